import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mementoPins, PINS_KEY, type PinMemento } from '../../../extension/host/extensions/pins';
import { serverItem } from '../../../extension/host/extensions/items';
import { loadMcpConfig, McpManager } from '../../../extension/core/mcp';

/** A Map-backed memento, like context.globalState. */
function memento(initial: Record<string, unknown> = {}): PinMemento & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k: string, v: unknown) => { data.set(k, v); } };
}
const pin = (c: string) => c.repeat(64);

describe('mementoPins (approvals kept in global state)', () => {
  it('adds, finds and keeps pins across stores on the same memento', async () => {
    const m = memento();
    const a = mementoPins(m);
    expect(a.has(pin('a'))).toBe(false);
    await a.add(pin('a'));
    await a.add(pin('a'));
    expect(m.data.get(PINS_KEY)).toEqual([pin('a')]);
    expect(mementoPins(m).has(pin('a'))).toBe(true);
    expect(mementoPins(m).has(pin('b'))).toBe(false);
  });

  it('ignores malformed stored values and refuses to store a non-pin', async () => {
    const m = memento({ [PINS_KEY]: ['nothex', 42, pin('c'), pin('C')] });
    const s = mementoPins(m);
    expect(s.has(pin('c'))).toBe(true);
    expect(s.has('nothex')).toBe(false);
    expect(s.has(pin('C'))).toBe(false);
    await expect(Promise.resolve(s.add('x'))).rejects.toThrow(/sha256 hex/);
    expect(mementoPins(memento({ [PINS_KEY]: 'garbage' })).has(pin('c'))).toBe(false);
  });

  it('a project MCP server is asked about once, then pinned; a changed command asks again', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-mcphost-'));
    mkdirSync(join(root, '.agent'));
    const write = (code: string) => writeFileSync(join(root, '.agent', 'mcp.json'), JSON.stringify({ mcpServers: { p: { command: process.execPath, args: ['-e', code] } } }));
    const m = memento();
    let asked = 0;
    const run = async () => {
      const cfg = loadMcpConfig({ workspaceRoot: root });
      expect(cfg.problems).toEqual([]);
      const mgr = new McpManager({ workspaceRoot: root, trusted: true, servers: cfg.servers, pins: mementoPins(m), approve: async () => { asked++; return true; } });
      await mgr.start();
      const views = mgr.servers();
      await mgr.close();
      return views;
    };
    write('process.exit(3)');
    const first = await run();
    expect(asked).toBe(1);
    expect(first[0]!.state).toBe('failed');
    expect((m.data.get(PINS_KEY) as string[]).length).toBe(1);
    await run();
    expect(asked).toBe(1);
    write('process.exit(4)');
    await run();
    expect(asked).toBe(2);
    expect((m.data.get(PINS_KEY) as string[]).length).toBe(2);
  }, 30_000);
});

describe('serverItem (the MCP Servers quick pick)', () => {
  const base = { name: 'gh', scope: 'user' as const, transport: 'stdio' as const, toolCount: 0, detail: 'gh-mcp --stdio', summary: 'gh-mcp --stdio', tools: [] as string[] };
  it('shows state, tool count and scope', () => {
    expect(serverItem({ ...base, state: 'ready', toolCount: 3 })).toMatchObject({ label: 'gh', description: 'ready · 3 tools · user', detail: 'gh-mcp --stdio' });
    expect(serverItem({ ...base, state: 'ready', toolCount: 1 }).description).toBe('ready · 1 tool · user');
  });
  it('a failed server shows why and the tail of its stderr; a blocked one why', () => {
    const f = serverItem({ ...base, state: 'failed', error: 'exited with code 1', stderrTail: 'a\nb\nc\nboom' });
    expect(f.description).toBe('failed · user');
    expect(f.detail).toBe('exited with code 1 — stderr: b ⏎ c ⏎ boom');
    expect(serverItem({ ...base, scope: 'project', state: 'blocked', error: 'not trusted' })).toMatchObject({ description: 'blocked · project', detail: 'not trusted' });
  });
});
