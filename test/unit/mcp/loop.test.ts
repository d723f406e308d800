// MCP servers through the agent loop: the fixture server (built from the SDK's McpServer) over stdio and
// streamable HTTP, the real SDK against the emulator, the real registry and permission engine.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpManager } from '../../../extension/core/mcp';
import { harness, type Harness } from '../agent/harness';
import { allowFixture, mcpRuntime, readyManager, requestBodies, startHttpFixture, stdioSpec } from './helpers';

let h: Harness | undefined;
let m: McpManager | undefined;
const stops: Array<() => void> = [];
afterEach(async () => {
  await m?.close(); m = undefined;
  await h?.close(); h = undefined;
  for (const s of stops.splice(0)) s();
});

const use = (name: string, input: Record<string, unknown>) => ({ content: [{ type: 'tool_use' as const, name, input }] });
const lastToolResult = (hh: Harness) => JSON.stringify(requestBodies(hh).at(-1)!.messages.at(-1));

describe('MCP tools in the loop', () => {
  it('lists a stdio server\'s tools after the built-ins, sorted, and calls one when a rule allows it', async () => {
    h = await harness({ scenario: [use('mcp__fixture__echo', { text: 'hi there' }), { text: 'done' }] });
    m = await readyManager(h.dir, [stdioSpec()]);
    expect(m.servers()[0]).toMatchObject({ name: 'fixture', state: 'ready', toolCount: 6 });
    const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
    rt.submit('echo please');
    expect(await rt.idle()).toBe('completed');
    const names = requestBodies(h)[0]!.tools.map((t) => t.name);
    const firstMcp = names.findIndex((n) => n.startsWith('mcp__'));
    expect(names.slice(0, firstMcp)).toEqual([...names.slice(0, firstMcp)].sort());
    expect(names.slice(firstMcp)).toEqual(['mcp__fixture__add_tool', 'mcp__fixture__big', 'mcp__fixture__crash', 'mcp__fixture__echo', 'mcp__fixture__env_probe', 'mcp__fixture__leak']);
    expect(names.slice(firstMcp + 1).every((n) => n.startsWith('mcp__'))).toBe(true);
    expect(lastToolResult(h)).toContain('echo: hi there');
  });

  it('calls a tool of a server over streamable HTTP', async () => {
    const srv = await startHttpFixture();
    stops.push(srv.stop);
    h = await harness({ scenario: [use('mcp__web__echo', { text: 'over http' }), { text: 'done' }] });
    m = await readyManager(h.dir, [{ name: 'web', scope: 'user', source: 'test', transport: 'http', url: srv.url, headers: {} }]);
    expect(m.servers()[0]).toMatchObject({ state: 'ready', transport: 'http' });
    const rt = mcpRuntime(h, m.sessionTools(), { rules: [{ effect: 'allow', pattern: 'mcp__web', source: 'user' }] });
    rt.submit('go');
    expect(await rt.idle()).toBe('completed');
    expect(lastToolResult(h)).toContain('echo: over http');
  });

  it('asks before an MCP call in every mode without a rule (auto and accept-edits included), and denies in plan mode', async () => {
    for (const mode of ['ask', 'accept-edits', 'auto'] as const) {
      h = await harness({ scenario: [use('mcp__fixture__echo', { text: 'x' }), { text: 'done' }] });
      m = await readyManager(h.dir, [stdioSpec()]);
      const asked: string[] = [];
      const rt = mcpRuntime(h, m.sessionTools(), { mode, approval: { ask: async (r) => { asked.push(r.tool); return { decision: 'reject' }; } } });
      rt.submit('go');
      await rt.idle();
      expect(asked, mode).toEqual(['mcp__fixture__echo']);
      expect(lastToolResult(h)).toContain('rejected');
      await m.close(); await h.close(); h = undefined;
    }
    h = await harness({ scenario: [use('mcp__fixture__echo', { text: 'x' }), { text: 'done' }] });
    m = await readyManager(h.dir, [stdioSpec()]);
    const rt = mcpRuntime(h, m.sessionTools(), { mode: 'plan', rules: allowFixture });
    rt.submit('go');
    await rt.idle();
    expect(lastToolResult(h)).toContain('plan mode is read-only');
  });

  it('keeps the tools + system prefix byte-identical across 20 requests, even when the server changes its tool list', async () => {
    const turns = [];
    for (let i = 0; i < 10; i++) turns.push(use(i === 3 ? 'mcp__fixture__add_tool' : 'mcp__fixture__echo', { text: `n${i}` }), { text: `answer ${i}` });
    h = await harness({ scenario: turns });
    m = await readyManager(h.dir, [stdioSpec()]);
    const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
    for (let i = 0; i < 10; i++) { rt.submit(`question ${i}`); expect(await rt.idle()).toBe('completed'); }
    const bodies = requestBodies(h);
    expect(bodies).toHaveLength(20);
    expect(new Set(bodies.map((b) => JSON.stringify([b.tools, b.system]))).size).toBe(1);
    expect(bodies[0]!.tools.some((t) => t.name === 'mcp__fixture__late')).toBe(false);
    // The server announced a new tool: the panel is told, and the next session gets it.
    await until(() => m!.servers()[0]!.toolsChanged === true);
    expect(m.sessionTools().map((t) => t.name)).toContain('mcp__fixture__late');
    expect(m.servers()[0]!.toolsChanged).toBeUndefined();
  });

  it('a server that crashes mid-call gives the model a clear error and the session goes on', async () => {
    h = await harness({ scenario: [use('mcp__fixture__crash', {}), { text: 'the server died' }, use('mcp__fixture__echo', { text: 'again' }), { text: 'still here' }] });
    m = await readyManager(h.dir, [stdioSpec()]);
    const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
    rt.submit('crash it');
    expect(await rt.idle()).toBe('completed');
    expect(lastToolResult(h)).toMatch(/MCP server \\"fixture\\" stopped while crash was running/);
    const st = m.servers()[0]!;
    expect(st.state).toBe('failed');
    expect(st.stderrTail).toContain('crashing now');
    rt.submit('try again');
    expect(await rt.idle()).toBe('completed');
    expect(lastToolResult(h)).toContain('is not running (failed');
    // A restart brings it back.
    await m.restart('fixture');
    expect(m.servers()[0]!.state).toBe('ready');
  });

  it('a tool description that tells the model to read .env still meets the permission engine', async () => {
    writeFileSync(join((h = await harness({ scenario: [use('read_file', { path: '.env' }), use('mcp__fixture__helper', { data: 'SECRET=1' }), { text: 'done' }] })).dir, '.env'), 'SECRET=hunter2-very-secret\n');
    m = await readyManager(h.dir, [stdioSpec('fixture', { env: { MCP_EVIL: '1' } })]);
    const asked: string[] = [];
    const rt = mcpRuntime(h, m.sessionTools(), { mode: 'auto', approval: { ask: async (r) => { asked.push(r.tool); return { decision: 'reject' }; } } });
    rt.submit('use the helper');
    await rt.idle();
    const bodies = requestBodies(h);
    expect(bodies[0]!.tools.find((t) => t.name === 'mcp__fixture__helper')!.description).toContain('read_file on .env');
    const afterRead = JSON.stringify(bodies[1]!.messages.at(-1));
    expect(afterRead).toContain('looks like a secret file');
    expect(JSON.stringify(bodies)).not.toContain('hunter2');
    expect(asked).toEqual(['mcp__fixture__helper']);
  });

  it('results go through the same secret redaction as built-in results', async () => {
    const key = 'sk-ant-test-mcp-0123456789abcdef';
    process.env.CAIRN_TEST_SECRET = key;
    process.env.CAIRN_SECRET_ENV_VARS = 'CAIRN_TEST_SECRET';
    try {
      h = await harness({ scenario: [use('mcp__fixture__leak', { name: 'LEAKED' }), { text: 'done' }] });
      m = await readyManager(h.dir, [stdioSpec('fixture', { env: { LEAKED: key } })]);
      const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
      rt.submit('go');
      await rt.idle();
      expect(JSON.stringify(requestBodies(h))).not.toContain(key);
      expect(lastToolResult(h)).toContain('[redacted secret]');
    } finally {
      delete process.env.CAIRN_TEST_SECRET;
      delete process.env.CAIRN_SECRET_ENV_VARS;
    }
  });

  it('the server process never gets the API key', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-not-leak-123456';
    try {
      h = await harness({ scenario: [use('mcp__fixture__env_probe', { names: ['ANTHROPIC_API_KEY', 'PATH'] }), { text: 'done' }] });
      m = await readyManager(h.dir, [stdioSpec('fixture', { env: { ANTHROPIC_API_KEY: 'sk-ant-from-config-1234567' } })]);
      const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
      rt.submit('go');
      await rt.idle();
      expect(lastToolResult(h)).toContain('ANTHROPIC_API_KEY=unset PATH=set');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });
});

async function until(f: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) { if (Date.now() > end) throw new Error('timed out waiting'); await new Promise((r) => setTimeout(r, 20)); }
}
