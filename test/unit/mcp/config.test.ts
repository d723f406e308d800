// MCP configuration and the trust gate: clear errors naming file and field; project servers start only in a
// trusted workspace after the user approved that exact configuration (pinned by hash); a change asks again.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMcpConfig, McpManager, serverPin } from '../../../extension/core/mcp';
import { parseRule, ruleAppliesTo } from '../../../extension/core/permissions/rules';
import { filePins, memoryPins } from '../../../extension/core/util/pins';
import { FIXTURE } from './helpers';

let dir: string;
let managers: McpManager[] = [];
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cairn-mcp-')); mkdirSync(join(dir, '.agent')); });
afterEach(async () => { for (const m of managers) await m.close(); managers = []; rmSync(dir, { recursive: true, force: true }); });

const writeProject = (doc: unknown) => writeFileSync(join(dir, '.agent', 'mcp.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
const marker = () => join(dir, 'started.txt');
const projectServer = (extraArgs: string[] = []) => ({ servers: { proj: { command: process.execPath, args: [FIXTURE, ...extraArgs], env: { MCP_MARKER: marker() } } } });

describe('MCP configuration', () => {
  it('reads stdio and http servers from the project file and user settings', () => {
    writeProject({ servers: { local: { command: 'node', args: ['s.js'], env: { A: '1' }, cwd: 'tools' }, remote: { url: 'https://example.test/mcp', headers: { Authorization: 'Bearer x' } } } });
    const c = loadMcpConfig({ workspaceRoot: dir, userServers: { mine: { command: 'mcp-mine' } } });
    expect(c.problems).toEqual([]);
    expect(c.servers.map((s) => [s.name, s.scope, s.transport])).toEqual([['mine', 'user', 'stdio'], ['local', 'project', 'stdio'], ['remote', 'project', 'http']]);
  });

  it('names the file and the field of every problem and keeps the good servers', () => {
    writeProject({ mcpServers: { ok: { command: 'x' }, bad__name: { command: 'x' }, both: { command: 'x', url: 'https://a' }, none: { args: [] }, argsbad: { command: 'x', args: 'no' }, urlbad: { url: 'file:///etc/passwd' }, extra: { command: 'x', shell: true } } });
    const c = loadMcpConfig({ workspaceRoot: dir });
    expect(c.servers.map((s) => s.name)).toEqual(['ok']);
    const p = c.problems.join('\n');
    expect(p).toContain('.agent/mcp.json: mcpServers.bad__name: the server name');
    expect(p).toContain('mcpServers.both: give either "command" or "url"');
    expect(p).toContain('mcpServers.none: needs "command"');
    expect(p).toMatch(/mcpServers\.argsbad: args .*expected array/);
    expect(p).toContain('mcpServers.urlbad: url must be an http:// or https:// URL');
    expect(p).toMatch(/mcpServers\.extra: .*shell/);
  });

  it('reports a broken JSON file instead of ignoring it', () => {
    writeProject('{ "servers": ');
    const c = loadMcpConfig({ workspaceRoot: dir, userServers: 'nope' });
    expect(c.problems.join('\n')).toContain('.agent/mcp.json: is not valid JSON');
    expect(c.problems.join('\n')).toContain('user settings (cairn.mcpServers): must be a JSON object');
  });

  it('pins exactly what runs: another argument, env value or workspace gives another pin', () => {
    const [a] = (writeProject(projectServer()), loadMcpConfig({ workspaceRoot: dir }).servers);
    const [b] = (writeProject(projectServer(['--x'])), loadMcpConfig({ workspaceRoot: dir }).servers);
    expect(serverPin(a!, dir)).toMatch(/^[0-9a-f]{64}$/);
    expect(serverPin(a!, dir)).not.toBe(serverPin(b!, dir));
    expect(serverPin(a!, dir)).not.toBe(serverPin(a!, join(dir, 'other')));
    expect(serverPin({ ...a!, env: { MCP_MARKER: 'y' } } as never, dir)).not.toBe(serverPin(a!, dir));
  });

  it('MCP permission rules: mcp__server and mcp__server__* cover that server only; a bare * is not a rule', () => {
    const r = parseRule({ effect: 'allow', pattern: 'mcp__github__*', source: 'user' })!;
    expect(ruleAppliesTo(r.tool, 'mcp__github__create_issue')).toBe(true);
    expect(ruleAppliesTo(r.tool, 'mcp__githubx__create_issue')).toBe(false);
    expect(ruleAppliesTo('mcp__github', 'mcp__github__x')).toBe(true);
    expect(ruleAppliesTo('mcp__github', 'mcp__github2__x')).toBe(false);
    expect(ruleAppliesTo('mcp__github__*', 'read_file')).toBe(false);
    expect(parseRule({ effect: 'allow', pattern: '*', source: 'user' })).toBeUndefined();
    expect(parseRule({ effect: 'allow', pattern: 'read_*', source: 'user' })).toBeUndefined();
  });
});

describe('project servers and trust', () => {
  const manager = (o: Partial<ConstructorParameters<typeof McpManager>[0]>) => {
    const m = new McpManager({ workspaceRoot: dir, trusted: true, servers: loadMcpConfig({ workspaceRoot: dir }).servers, pins: memoryPins(), ...o });
    managers.push(m);
    return m;
  };

  it('an unapproved project server never starts (no prompt available)', async () => {
    writeProject(projectServer());
    const m = manager({});
    await m.start();
    expect(m.servers()[0]).toMatchObject({ state: 'blocked', toolCount: 0 });
    expect(m.servers()[0]!.error).toContain('not approved');
    expect(m.sessionTools()).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker())).toBe(false);
  });

  it('in an untrusted workspace it does not start and nobody is asked', async () => {
    writeProject(projectServer());
    let asked = 0;
    const m = manager({ trusted: false, approve: async () => { asked++; return true; }, allowProject: true });
    await m.start();
    expect(m.servers()[0]!.state).toBe('blocked');
    expect(asked).toBe(0);
    expect(existsSync(marker())).toBe(false);
  });

  it('a rejection keeps it stopped; an approval shows the exact command, is pinned, and a changed config asks again', async () => {
    writeProject(projectServer());
    const shown: string[] = [];
    const pins = filePins(join(dir, 'user-state', 'pins.json'));
    const m1 = manager({ pins, approve: async (_s, detail) => { shown.push(detail); return false; } });
    await m1.start();
    expect(m1.servers()[0]!.state).toBe('blocked');
    expect(existsSync(marker())).toBe(false);

    const m2 = manager({ pins, approve: async (_s, detail) => { shown.push(detail); return true; } });
    await m2.start();
    expect(m2.servers()[0]!.state).toBe('ready');
    expect(readFileSync(marker(), 'utf8')).toContain('started');
    expect(shown[1]).toContain(FIXTURE);
    expect(shown[1]).toContain('MCP_MARKER=');
    await m2.close();

    // Approved: the next start does not ask.
    const m3 = manager({ pins, approve: async () => { throw new Error('must not ask'); } });
    await m3.start();
    expect(m3.servers()[0]!.state).toBe('ready');
    await m3.close();

    // Changed arguments: asked again.
    rmSync(marker());
    writeProject(projectServer(['--changed']));
    let askedAgain = 0;
    const m4 = manager({ pins, approve: async () => { askedAgain++; return false; } });
    await m4.start();
    expect(askedAgain).toBe(1);
    expect(existsSync(marker())).toBe(false);
  });

  it('a server that cannot start is "failed" with the reason; the others still start', async () => {
    const m = new McpManager({ workspaceRoot: dir, trusted: true, pins: memoryPins(), servers: [
      { name: 'broken', scope: 'user', source: 't', transport: 'stdio', command: process.execPath, args: ['-e', 'process.stderr.write("boom: missing token\\n"); process.exit(2)'], env: {} },
      { name: 'good', scope: 'user', source: 't', transport: 'stdio', command: process.execPath, args: [FIXTURE], env: {} },
    ] });
    managers.push(m);
    await m.start();
    const [broken, good] = m.servers();
    expect(broken).toMatchObject({ state: 'failed' });
    expect(broken!.error).toMatch(/could not start/);
    expect(broken!.stderrTail).toContain('boom: missing token');
    expect(good).toMatchObject({ state: 'ready', toolCount: 6 });
  });
});
