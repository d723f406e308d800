// The headless runner with MCP: the user's servers start; the project's only with --allow-project-mcp.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { FIXTURE } from './helpers';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
let emu: Emulator;
beforeEach(async () => { dir = mkdtempSync(join(tmpdir(), 'cairn-mcp-cli-')); mkdirSync(join(dir, '.agent')); emu = await startEmulator({}); });
afterEach(async () => { await emu.close(); rmSync(dir, { recursive: true, force: true }); });

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: emu.url, CAIRN_USER_SETTINGS: join(dir, 'user-settings.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli.ts'), '--cwd', dir, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const marker = () => join(dir, 'project-server-started.txt');
beforeEach(() => {
  writeFileSync(join(dir, '.agent', 'mcp.json'), JSON.stringify({ servers: { proj: { command: process.execPath, args: [FIXTURE], env: { MCP_MARKER: marker() } } } }));
  writeFileSync(join(dir, 'user-settings.json'), JSON.stringify({ permissions: { allow: ['mcp__proj__*', 'mcp__mine__echo'] }, mcpServers: { mine: { command: process.execPath, args: [FIXTURE] } } }));
});

describe('cairn headless with MCP servers', () => {
  it('without --allow-project-mcp the project server does not start, says why, and the user server works', async () => {
    emu.enqueue({ content: [{ type: 'tool_use', name: 'mcp__mine__echo', input: { text: 'from the runner' } }] });
    emu.enqueue({ text: 'done' });
    const r = await cli(['-p', 'echo']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('mcp: server proj blocked: a project server that you have not approved');
    expect(r.stderr).toMatch(/\[done\] mine: echo/);
    expect(existsSync(marker())).toBe(false);
    const tools = (emu.requests.find((q) => q.path === '/v1/messages')!.body as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    expect(tools.filter((n) => n.startsWith('mcp__'))).toContain('mcp__mine__echo');
    expect(tools.some((n) => n.startsWith('mcp__proj__'))).toBe(false);
    expect(JSON.stringify(emu.requests.at(-1)!.body)).toContain('echo: from the runner');
  });

  it('with --allow-project-mcp it starts and its tools are called', async () => {
    emu.enqueue({ content: [{ type: 'tool_use', name: 'mcp__proj__echo', input: { text: 'project' } }] });
    emu.enqueue({ text: 'done' });
    const r = await cli(['--allow-project-mcp', '-p', 'echo']);
    expect(r.code).toBe(0);
    expect(existsSync(marker())).toBe(true);
    expect(JSON.stringify(emu.requests.at(-1)!.body)).toContain('echo: project');
  });
});
