/** The headless runner as the benchmarks run it: built when stale, started with a kill timer, its stream-json read. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const RUN_TIMEOUT_MS = 60_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'extension'))) return;
  console.log('# dist/cli.js is missing or older than the sources: node esbuild.mjs');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(CLI)) throw new Error(`node esbuild.mjs failed (exit ${r.status})`);
}

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string; ms: number; killedAt?: number; sessionId?: string }

export function runCli(args: string[], env: Record<string, string>, killAfterMs?: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: CliRun = { code: null, signal: null, lines: [], stderr: '', ms: 0 };
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      pending += c;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        run.lines.push(line);
        if (run.sessionId === undefined) {
          try { const v = JSON.parse(line) as { session?: string; type?: string }; if (v.type === 'session') run.sessionId = v.session; } catch { /* not JSON */ }
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => { run.stderr += c; });
    const killer = killAfterMs === undefined ? undefined : setTimeout(() => { run.killedAt = performance.now() - t0; child.kill('SIGKILL'); }, killAfterMs);
    const guard = setTimeout(() => { run.stderr += `\n[bench] no exit after ${RUN_TIMEOUT_MS} ms: killed`; child.kill('SIGKILL'); }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      if (killer) clearTimeout(killer);
      clearTimeout(guard);
      if (pending) run.lines.push(pending);
      run.code = code;
      run.signal = signal;
      run.ms = performance.now() - t0;
      resolve(run);
    });
  });
}

