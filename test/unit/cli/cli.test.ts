// The headless runner as a user meets it: help, version, and every early failure saying what is wrong
// and what to do; the real CLI process against the emulator, a port nothing listens on, and a server
// that is not a Messages API.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELP, OPTIONS, parseCli } from '../../../extension/cli/args';
import { startEmulator, type Emulator } from '../../emulator';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cairn-cli-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

interface Run { code: number | null; stdout: string; stderr: string; ms: number }
/** Runs extension/cli.ts in a new node process, in the repository (for tsx), on the folder `dir`. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  if (!args.includes('--cwd') && !args.some((a) => a.startsWith('-h') || a.startsWith('--help') || a.startsWith('--version'))) args = ['--cwd', dir, ...args];
  const t0 = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, CAIRN_MODEL: undefined, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli.ts'), ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 })));
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('parseCli', () => {
  it('names every option, both environment variables and examples in the help', () => {
    for (const [name, o] of Object.entries(OPTIONS)) {
      expect(HELP).toContain(`--${name}`);
      if ('short' in o) expect(HELP).toContain(`-${o.short}, --${name}`);
    }
    expect(HELP).toMatch(/ANTHROPIC_API_KEY/);
    expect(HELP).toMatch(/ANTHROPIC_BASE_URL/);
    expect(HELP).toMatch(/Examples:\n(.*\n)*\s+cairn -p "/);
  });

  it('rejects a --cwd that does not exist, or is a file, saying so', () => {
    const missing = parseCli(['--cwd', 'nope/deeper', '-p', 'x'], dir);
    expect(missing).toEqual({ kind: 'usage', message: expect.stringMatching(/^--cwd "nope\/deeper" does not exist \(resolved to .*nope\/deeper\): give the path of an existing folder/) });
    writeFileSync(join(dir, 'file.txt'), 'x');
    expect(parseCli(['--cwd', 'file.txt', '-p', 'x'], dir)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/is a file, not a folder/) });
    expect(parseCli(['--cwd', '.', '-p', 'x'], dir)).toMatchObject({ kind: 'run', options: { prompt: 'x' } });
  });

  it('says what a valid base URL looks like', () => {
    for (const bad of ['not-a-url', 'ftp://example.com', 'http://127.0.0.1:4000/v1/messages']) {
      const r = parseCli(['-p', 'x'], dir, { ANTHROPIC_BASE_URL: bad });
      expect(r.kind).toBe('usage');
      expect((r as { message: string }).message).toMatch(/^ANTHROPIC_BASE_URL: ".*" .*like https:\/\/api\.anthropic\.com/);
    }
    expect(parseCli(['-p', 'x'], dir, { ANTHROPIC_BASE_URL: 'http://localhost:4000/' }).kind).toBe('run');
    // --list reads only the folder: a bad base URL does not stop it.
    expect(parseCli(['--list'], dir, { ANTHROPIC_BASE_URL: 'not-a-url' }).kind).toBe('run');
  });

  it('turns a bare word into advice to use -p, and checks numbers', () => {
    expect(parseCli(['fix', 'it'], dir)).toEqual({ kind: 'usage', message: 'unexpected argument "fix": give the task with -p "..." (quote it)' });
    expect(parseCli(['-p', 'x', '--max-turns', '0'], dir)).toMatchObject({ kind: 'usage', message: expect.stringContaining('--max-turns must be a whole number') });
    expect(parseCli(['-p', '  '], dir)).toMatchObject({ kind: 'usage', message: 'the task given with -p is empty' });
  });
});

describe('cairn (the real process)', () => {
  it('--help prints the help on stdout and exits 0; --version prints the version', async () => {
    const help = await cli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe(HELP);
    const version = await cli(['--version']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `cairn ${pkg.version}\n` });
  });

  it('a missing --cwd is named, with no stack or raw ENOENT, exit 2', async () => {
    const r = await cli(['--cwd', join(dir, 'missing'), '-p', 'hi'], { ANTHROPIC_API_KEY: 'k' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cairn: --cwd ".*missing" does not exist: give the path of an existing folder/);
    expect(r.stderr).not.toMatch(/ENOENT|lstat|at /);
  });

  it('fails at once when nothing listens at a local base URL, names it, and lists no session', async () => {
    const { server, url } = await listen(() => undefined);
    await new Promise((r) => server.close(r)); // the port is now free: connections are refused
    const r = await cli(['-p', 'hi'], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Nothing is listening at ${url} (connection refused). Start the server there, or change the base URL`);
    expect(r.stderr).not.toMatch(/Retrying/);
    expect(r.ms).toBeLessThan(12_000); // not the ~20 s of retries (starting the process takes 1-3 s)
    const list = await cli(['--list']);
    expect(list).toMatchObject({ code: 0, stdout: 'ID\tUPDATED\tMESSAGES\tTITLE\n' });
  });

  it('says the base URL is probably wrong when the server answers 405 or 404', async () => {
    for (const status of [405, 404]) {
      const { server, url } = await listen((_q, s) => { s.writeHead(status, { 'content-type': 'text/html' }); s.end(`<h1>${status}</h1>`); });
      try {
        const r = await cli(['-p', 'hi'], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`The server at ${url} answered ${status}`);
        expect(r.stderr).toMatch(/the base URL is probably wrong\. Set the base URL .* to the root of an Anthropic Messages API, like https:\/\/api\.anthropic\.com/);
      } finally { await new Promise((r) => server.close(r)); }
    }
    expect((await cli(['--list'])).stdout).toBe('ID\tUPDATED\tMESSAGES\tTITLE\n');
  }, 60_000); // three runs of the real process: seconds each on a busy machine

  it('rejects a base URL that is not one before creating a session', async () => {
    const r = await cli(['-p', 'hi'], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'not-a-url' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"not-a-url" is not a valid base URL. A base URL is the API\'s root with its scheme and host, like https://api.anthropic.com');
    expect((await cli(['--list'])).stdout).toBe('ID\tUPDATED\tMESSAGES\tTITLE\n');
  });

  it('answers through the emulator, and --list shows the session under a header', async () => {
    const emu: Emulator = await startEmulator({});
    try {
      emu.enqueue({ text: 'Hello from the emulator.' });
      const r = await cli(['-p', 'Say hello'], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: emu.url });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Hello from the emulator.');
    } finally { await emu.close(); }
    const list = await cli(['--list']);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ID\tUPDATED\tMESSAGES\tTITLE');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9a-f-]{36}\t\d{4}-\d\d-\d\dT[\d:.]+Z\t2\tSay hello$/);
  });
});
