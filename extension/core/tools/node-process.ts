/**
 * A ProcessPort on plain Node (for the headless CLI and the tests): child_process.spawn with the child in its own
 * process group, so a timeout or an abort kills the whole tree (SIGTERM, then SIGKILL after a grace period).
 * argv requests never touch a shell; `command` requests run through /bin/sh -c (cmd.exe /d /s /c on Windows).
 * Children never inherit the API key or any variable marked secret (util/secrets.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { ProcessPort, ProcessRequest, ProcessResult } from '../ports';
import { scrubEnv } from '../util/secrets';

export interface NodeProcessOptions {
  /** Shell for `command` requests. Default: bash when present, else /bin/sh. */
  shell?: string;
  /** Most output kept in memory (the middle is dropped beyond it). Default 20 MB. */
  maxBufferChars?: number;
  /** Grace between SIGTERM and SIGKILL. Default 2 s. */
  killGraceMs?: number;
  /** The environment children start from (default: this process's). Secret variables are always removed. */
  env?: NodeJS.ProcessEnv;
}

function defaultShell(): string {
  if (process.platform === 'win32') return process.env.ComSpec ?? 'cmd.exe';
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/** Kill a child and everything in its process group. */
export function killTree(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* gone */ } }
}

export function createNodeProcessPort(opts: NodeProcessOptions = {}): ProcessPort {
  const maxBuf = opts.maxBufferChars ?? 20_000_000;
  const grace = opts.killGraceMs ?? 2000;
  return {
    run(req: ProcessRequest): Promise<ProcessResult> {
      return new Promise((resolve) => {
        const shell = opts.shell ?? defaultShell();
        const [file, args] = req.argv && req.argv.length
          ? [req.argv[0] ?? '', req.argv.slice(1)]
          : process.platform === 'win32' ? [shell, ['/d', '/s', '/c', req.command ?? '']] : [shell, ['-c', req.command ?? '']];
        let out = '';
        let dropped = 0;
        let timedOut = false;
        let aborted = false;
        let done = false;
        const add = (c: Buffer) => {
          const s = c.toString('utf8');
          req.onOutput?.(s);
          out += s;
          if (out.length > maxBuf) { const keep = maxBuf / 2; dropped += out.length - maxBuf; out = out.slice(0, keep) + out.slice(out.length - keep); }
        };
        let child: ChildProcess;
        try {
          child = spawn(file, args, { cwd: req.cwd, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], env: scrubEnv(opts.env ?? process.env), windowsHide: true });
        } catch (e) {
          resolve({ exitCode: null, signal: null, output: `Could not start: ${(e as Error).message}`, timedOut: false, aborted: false });
          return;
        }
        let killTimer: NodeJS.Timeout | undefined;
        const stop = () => {
          killTree(child, 'SIGTERM');
          killTimer = setTimeout(() => killTree(child, 'SIGKILL'), grace);
          killTimer.unref?.();
        };
        const timer = setTimeout(() => { timedOut = true; stop(); }, req.timeoutMs);
        const onAbort = () => { aborted = true; stop(); };
        if (req.signal.aborted) onAbort(); else req.signal.addEventListener('abort', onAbort, { once: true });
        child.stdout?.on('data', add);
        child.stderr?.on('data', add);
        const finish = (code: number | null, sig: NodeJS.Signals | null) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (killTimer && !timedOut && !aborted) clearTimeout(killTimer);
          req.signal.removeEventListener('abort', onAbort);
          const note = dropped ? `\n[${dropped} characters in the middle of the output were dropped]` : '';
          resolve({ exitCode: code, signal: sig, output: out + note, timedOut, aborted });
        };
        child.on('error', (e) => { out += `Could not start ${file}: ${e.message}`; finish(null, null); });
        child.on('exit', (code, sig) => {
          // Wait for the pipes to drain, but not for grandchildren that keep them open.
          const t = setTimeout(() => { child.stdout?.destroy(); child.stderr?.destroy(); finish(code, sig); }, 300);
          child.on('close', () => { clearTimeout(t); finish(code, sig); });
        });
      });
    },
  };
}
