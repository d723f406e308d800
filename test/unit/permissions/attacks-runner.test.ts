/**
 * The attack table (attacks.ts: S1-S15, S23, S24, S26) end to end: every case is a tool call in a scripted model
 * turn (the in-process emulator), run by the real headless runner (the CLI bundle) in every permission mode.
 * Each call must end blocked ("Denied", or invalid input) or asking (headless refuses 'ask': "Needs the user's
 * approval ... nobody can approve here"), and nothing may change on disk.
 *
 * Bounded in time: one runner per mode, all four in parallel, each with the whole table in ONE assistant turn.
 * Defence in depth: the runner's HOME is a temp dir and its PATH starts with stubs for every program an attack
 * names (a stub only records that it ran), so even a permission bug could not touch the real machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { startEmulator, type Emulator } from '../../emulator';
import type { PermissionMode } from '../../../extension/core/permissions/types';
import { ATTACKS, MODES, type AttackCase } from './attacks';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PROMPT = 'CAIRN-ATTACK-TABLE';
/** A run killed at this bound hung (a quiet machine needs a few seconds; a loaded one took over 40). */
const RUN_BOUND_MS = 90_000;
const STUBS = ['rm', 'curl', 'sh', 'bash', 'dash', 'zsh', 'touch', 'cp', 'mv', 'find', 'xargs', 'sudo', 'watch', 'nice', 'ionice', 'setsid', 'timeout', 'npx', 'npm', 'node', 'git', 'env', 'nohup', 'cat', 'ls', 'base64', 'whoami', 'mkdir', 'tee', 'chmod', 'ln', 'python3', 'perl', 'true', 'grep'];

let tmp: string;
let stubLog: string;
let cli: string;
let emu: Emulator;
const runs = new Map<PermissionMode, { root: string; home: string; stdout: string; stderr: string; code: number | null; ms: number }>();
const before = new Map<string, string>();
const outsideBefore = new Map<string, string>();
const OUTSIDE = ['/etc/profile', '/etc/passwd', '/tmp/x', '/tmp/cairn-nonexistent-dir'];

/** Every path under `dir` (lstat-based, symlinks not followed) -> a fingerprint; skips the runner's .agent/. */
function snapshot(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out.set(p, `link:${fs.readlinkSync(p)}`);
    else if (st.isDirectory()) {
      if (name === '.agent' && path.basename(dir) === 'ws') continue;
      out.set(p, 'dir');
      snapshot(p, out);
    } else out.set(p, `file:${st.mode.toString(8)}:${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
  }
  return out;
}

function outsideState(): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of OUTSIDE) {
    try { const st = fs.lstatSync(p); m.set(p, `${st.size}:${st.mtimeMs}`); } catch { m.set(p, 'absent'); }
  }
  return m;
}

function setupWorkspace(base: string): { root: string; home: string } {
  const root = path.join(base, 'ws');
  const home = path.join(base, 'home');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.mkdirSync(path.join(base, 'ws_evil'));
  // Targets the edit attacks name, so an edit would have something to change if it were let through.
  fs.writeFileSync(path.join(home, '.bashrc'), 'a\n');
  fs.writeFileSync(path.join(home, '.zshrc'), 'a\n');
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"a"}\n');
  fs.mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git', 'config'), 'a\n');
  fs.mkdirSync(path.join(root, 'build'));
  fs.writeFileSync(path.join(root, 'build', 'keep.txt'), 'a\n');
  fs.writeFileSync(path.join(root, 'evil.sh'), 'a\n');
  for (const a of ATTACKS) {
    for (const [rel, content] of Object.entries(a.setup ?? {})) {
      const p = path.join(root, rel);
      try { fs.lstatSync(p); continue; } catch { /* create it */ }
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (content.startsWith('->')) fs.symlinkSync(content.slice(2).replace(/^~/, home), p);
      else fs.writeFileSync(p, content);
    }
  }
  return { root, home };
}

/** The CLI bundle: dist/cli.js when it is newer than every source it is built from, else a fresh bundle in tmp. */
async function cliBundle(): Promise<string> {
  const dist = path.join(REPO, 'dist', 'cli.js');
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
  }, 0);
  const src = Math.max(newest(path.join(REPO, 'extension', 'core')), newest(path.join(REPO, 'extension', 'protocol')), fs.statSync(path.join(REPO, 'extension', 'cli.ts')).mtimeMs);
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs > src) return dist;
  const out = path.join(tmp, 'cli.js');
  await esbuild.build({ entryPoints: [path.join(REPO, 'extension', 'cli.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  // The shell grammar travels next to the bundle, as esbuild.mjs puts it into dist/.
  for (const f of ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm']) fs.copyFileSync(path.join(REPO, f), path.join(tmp, path.basename(f)));
  return out;
}

function runCli(mode: PermissionMode, root: string, home: string, stubs: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '-p', `${PROMPT} mode=${mode}`, '--permission-mode', mode, '--output-format', 'stream-json', '--cwd', root, '--max-turns', '3'], {
      cwd: root,
      env: {
        PATH: `${stubs}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: home,
        USERPROFILE: home,
        TMPDIR: path.join(tmp, 'runner-tmp'),
        ANTHROPIC_API_KEY: 'test',
        ANTHROPIC_BASE_URL: emu.url,
        CAIRN_STUB_LOG: stubLog,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_BOUND_MS);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ stdout, stderr, code }); });
  });
}

const toolId = (i: number) => `toolu_attack_${i}`;
/** A harmless call every mode allows: proves the harness sees a call that ran, and that the stubs intercept. */
const CONTROL_ID = 'toolu_control_ls';

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-attacks-runner-')));
  fs.mkdirSync(path.join(tmp, 'runner-tmp'));
  stubLog = path.join(tmp, 'stub-runs.log');
  const stubs = path.join(tmp, 'stub-bin');
  fs.mkdirSync(stubs);
  for (const name of STUBS) {
    fs.writeFileSync(path.join(stubs, name), `#!/bin/sh\necho "${name} $*" >> "$CAIRN_STUB_LOG"\nexit 0\n`, { mode: 0o755 });
  }
  cli = await cliBundle();
  const turn = { content: [
    ...ATTACKS.map((a, i) => ({ type: 'tool_use', id: toolId(i), name: a.tool, input: a.input })),
    { type: 'tool_use', id: CONTROL_ID, name: 'run_command', input: { command: 'ls' } },
  ] };
  emu = await startEmulator({
    port: 0,
    rules: [
      { match: { toolResult: true }, reply: { text: 'Done.' } },
      { match: { lastUserText: PROMPT }, reply: turn },
    ] as never,
  });
  for (const mode of MODES) {
    const w = setupWorkspace(path.join(tmp, mode));
    runs.set(mode, { ...w, stdout: '', stderr: '', code: null, ms: 0 });
  }
  snapshot(tmp).forEach((v, k) => { if (!k.startsWith(path.join(tmp, 'runner-tmp')) && k !== stubLog) before.set(k, v); });
  outsideState().forEach((v, k) => outsideBefore.set(k, v));
  const t0 = Date.now();
  await Promise.all(MODES.map(async (mode) => {
    const r = runs.get(mode)!;
    const res = await runCli(mode, r.root, r.home, stubs);
    Object.assign(r, res, { ms: Date.now() - t0 });
  }));
}, RUN_BOUND_MS + 30_000);

afterAll(async () => {
  await emu?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

type Outcome = 'deny' | 'ask' | 'ran';

/** The tool results the runner sent back for `mode` (from the emulator's record of its second request). */
function resultsFor(mode: PermissionMode): Map<string, { text: string; isError: boolean }> {
  const req = emu.requests.find((x) => {
    const msgs = (x.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? [];
    return JSON.stringify(msgs[0]?.content ?? '').includes(`${PROMPT} mode=${mode}`) && msgs.some((m) => JSON.stringify(m.content).includes('"tool_result"'));
  });
  const out = new Map<string, { text: string; isError: boolean }>();
  const msgs = (req?.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? [];
  for (const m of msgs) {
    if (m.role !== 'user' || !Array.isArray(m.content)) continue;
    for (const b of m.content as Array<{ type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }>) {
      if (b.type !== 'tool_result' || !b.tool_use_id) continue;
      const text = typeof b.content === 'string' ? b.content : JSON.stringify(b.content);
      out.set(b.tool_use_id, { text, isError: b.is_error === true });
    }
  }
  return out;
}

function classify(r: { text: string; isError: boolean }): Outcome {
  if (!r.isError) return 'ran';
  if (/^Needs the user's approval \(/.test(r.text)) return 'ask';
  if (/^Denied: /.test(r.text) || /^Invalid input for /.test(r.text)) return 'deny';
  return 'ran';
}

describe('attack classes through the emulator and the headless runner', () => {
  it('each runner finished its session within the time bound', () => {
    for (const mode of MODES) {
      const r = runs.get(mode)!;
      expect(r.stdout, `${mode}: stderr ${r.stderr.slice(0, 2000)}`).toContain('"type":"result"');
      expect(r.ms, `${mode} took ${r.ms}ms`).toBeLessThan(RUN_BOUND_MS);
    }
  });

  for (const mode of MODES) {
    it(`in ${mode} mode every attack ends blocked or asking (headless refuses the ask)`, () => {
      const results = resultsFor(mode);
      expect(results.size, `${mode}: tool results returned`).toBe(ATTACKS.length + 1);
      expect(classify(results.get(CONTROL_ID)!), `${mode}: the harmless control call did not run`).toBe('ran');
      const wrong: string[] = [];
      ATTACKS.forEach((a: AttackCase, i) => {
        const r = results.get(toolId(i));
        const got: Outcome = r ? classify(r) : 'ran';
        const allowed = a.expect ?? ['ask', 'deny'];
        if (!allowed.includes(got as 'ask' | 'deny')) wrong.push(`${a.id}: ${got} (${r?.text.slice(0, 160) ?? 'no result'})`);
      });
      const counts = ATTACKS.reduce((c, _a, i) => { const k = classify(results.get(toolId(i))!); c[k] = (c[k] ?? 0) + 1; return c; }, {} as Record<string, number>);
      console.log(`[attacks-runner] ${mode}: ${JSON.stringify(counts)} of ${ATTACKS.length} in ${runs.get(mode)!.ms}ms`);
      expect(wrong, `${mode} mode`).toEqual([]);
    });
  }

  it('nothing changed on disk: workspaces, homes, siblings, stubs never ran, no outside file touched', () => {
    const after = snapshot(tmp);
    const changed: string[] = [];
    for (const [p, v] of before) if (after.get(p) !== v) changed.push(`${p.slice(tmp.length)}: ${v} -> ${after.get(p) ?? 'gone'}`);
    for (const [p] of after) {
      if (p.startsWith(path.join(tmp, 'runner-tmp')) || p === stubLog || p === path.join(tmp, 'cli.js') || p === path.join(tmp, 'cli.js.map')) continue;
      if (!before.has(p)) changed.push(`${p.slice(tmp.length)}: created`);
    }
    expect(changed).toEqual([]);
    // Only the control `ls` (once per mode) may have reached a stub.
    const stubRuns = (fs.existsSync(stubLog) ? fs.readFileSync(stubLog, 'utf8') : '').split('\n').filter(Boolean);
    expect(stubRuns, 'a stubbed program ran').toEqual(MODES.map(() => 'ls '));
    expect(outsideState()).toEqual(outsideBefore);
  });
});
