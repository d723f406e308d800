// The manager's panel-facing behaviour: tool names per server, "tools changed since the session started" (a
// server that changed its list, started later or was restarted), and a reload of the configuration (unchanged
// servers keep their process, changed ones restart, removed ones stop; the open session's tools reach the
// current connection). The fixture server from the SDK's own classes over stdio, the real loop and emulator.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpManager } from '../../../extension/core/mcp';
import { McpManager as Manager } from '../../../extension/core/mcp/manager';
import { memoryPins } from '../../../extension/core/util/pins';
import { harness, type Harness } from '../agent/harness';
import { allowFixture, FIXTURE, mcpRuntime, readyManager, requestBodies, stdioSpec } from './helpers';

let h: Harness | undefined;
let m: McpManager | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await m?.close(); m = undefined;
  await h?.close(); h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const use = (name: string, input: Record<string, unknown>) => ({ content: [{ type: 'tool_use' as const, name, input }] });
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'cairn-mcp-re-')); dirs.push(d); return d; };
const pidOf = (file: string) => Number(/started (\d+)/.exec(readFileSync(file, 'utf8'))?.[1]);

async function until(f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) { if (Date.now() > end) throw new Error('timed out waiting'); await new Promise((r) => setTimeout(r, 20)); }
}

describe('the manager for the panel', () => {
  it('names each server\'s tools; a server that changes its list after the session took its tools is flagged until the next session', async () => {
    h = await harness({ scenario: [use('mcp__fixture__add_tool', {}), { text: 'added' }] });
    const changes: number[] = [];
    m = new Manager({ workspaceRoot: h.dir, trusted: true, servers: [stdioSpec()], pins: memoryPins(), onChange: (s) => changes.push(s.length) });
    await m.start();
    const s0 = m.servers()[0]!;
    expect(s0.tools).toEqual(['mcp__fixture__add_tool', 'mcp__fixture__big', 'mcp__fixture__crash', 'mcp__fixture__echo', 'mcp__fixture__env_probe', 'mcp__fixture__leak']);
    expect(s0.summary).toBe(`${process.execPath} ${FIXTURE}`);
    // Before any session took tools nothing is "changed".
    expect(s0.toolsChanged).toBeUndefined();
    const rt = mcpRuntime(h, m.sessionTools(), { rules: allowFixture });
    rt.submit('add one');
    expect(await rt.idle()).toBe('completed');
    await until(() => m!.servers()[0]!.toolsChanged === true);
    expect(m.servers()[0]!.tools).toContain('mcp__fixture__late');
    expect(changes.length).toBeGreaterThan(0);
    m.sessionTools();
    expect(m.servers()[0]!.toolsChanged).toBeUndefined();
  });

  it('a server that became ready after the session started is flagged (its tools wait for the next session)', async () => {
    const dir = tmp();
    m = new Manager({ workspaceRoot: dir, trusted: true, servers: [stdioSpec()], pins: memoryPins() });
    expect(m.sessionTools()).toEqual([]); // the session is assembled before the server is up
    await m.start();
    expect(m.servers()[0]).toMatchObject({ state: 'ready', toolsChanged: true });
    expect(m.sessionTools()).toHaveLength(6);
    expect(m.servers()[0]!.toolsChanged).toBeUndefined();
  });

  it('a reload keeps an unchanged server\'s process, restarts a changed one, starts a new one and stops a removed one', async () => {
    const dir = tmp();
    const markA = join(dir, 'a.txt');
    const markB = join(dir, 'b.txt');
    m = await readyManager(dir, [stdioSpec('a', { env: { MCP_MARKER: markA } }), stdioSpec('b', { env: { MCP_MARKER: markB } })]);
    const pidA = pidOf(markA);
    const pidB = pidOf(markB);
    const markC = join(dir, 'c.txt');
    await m.reconfigure([stdioSpec('a', { env: { MCP_MARKER: markA } }), stdioSpec('c', { env: { MCP_MARKER: markC } })]);
    expect(m.servers().map((s) => [s.name, s.state])).toEqual([['a', 'ready'], ['c', 'ready']]);
    expect(pidOf(markA)).toBe(pidA);
    expect(pidOf(markC)).toBeGreaterThan(0);
    await until(() => { try { process.kill(pidB, 0); return false; } catch { return true; } });
    // A changed configuration (another env value) restarts that server.
    await m.reconfigure([stdioSpec('a', { env: { MCP_MARKER: markA, EXTRA: '1' } }), stdioSpec('c', { env: { MCP_MARKER: markC } })]);
    expect(m.servers()[0]!.state).toBe('ready');
    expect(pidOf(markA)).not.toBe(pidA);
  });

  it('after a reload the open session\'s tools call the server\'s new connection; a removed server\'s tool says so', async () => {
    h = await harness({ scenario: [use('mcp__fixture__echo', { text: 'after reload' }), { text: 'one' }, use('mcp__other__echo', { text: 'x' }), { text: 'two' }] });
    m = await readyManager(h.dir, [stdioSpec(), stdioSpec('other')]);
    const rt = mcpRuntime(h, m.sessionTools(), { rules: [...allowFixture, { effect: 'allow', pattern: 'mcp__other', source: 'user' }] });
    await m.reconfigure([stdioSpec('fixture', { env: { CHANGED: '1' } })]);
    rt.submit('echo');
    expect(await rt.idle()).toBe('completed');
    expect(JSON.stringify(requestBodies(h).at(-1)!.messages.at(-1))).toContain('echo: after reload');
    rt.submit('other');
    expect(await rt.idle()).toBe('completed');
    expect(JSON.stringify(requestBodies(h).at(-1)!.messages.at(-1))).toContain('is no longer configured');
  });
});
