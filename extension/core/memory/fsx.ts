/**
 * Crash-safe file primitives for `.agent/`: atomic replace (temp file + fsync + rename, so a crash leaves
 * the old or the new file, never a mix), whole-line appends, and a cross-process lock (O_EXCL lock file with
 * stale-lock recovery) so two VS Code windows on one workspace never interleave a memory write.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { appendWhole, createWhole, writeProblem } from '../util/disk';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * Replace `path` with `data` atomically. The temp file lives in the same folder (rename is atomic there) and never
 * outlives a failure; the error then says what was not written and that the previous version is kept.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    createWhole(path, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { durable: true });
  } catch (err) {
    const e = new Error(`Could not write ${path}: ${writeProblem(err)}. ${existsSync(path) ? 'Its previous version is kept unchanged' : 'It was not created'} (no partial file is left).`);
    (e as NodeJS.ErrnoException).code = (err as NodeJS.ErrnoException).code;
    throw e;
  }
  syncDir(dirname(path));
}

/** Append one whole line (one write() on an O_APPEND descriptor; a failure truncates back, never a torn line). */
export function appendLine(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o644);
  try { appendWhole(fd, Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8')); } finally { closeSync(fd); }
}

function syncDir(dir: string): void {
  try { const fd = openSync(dir, 'r'); try { fsyncSync(fd); } finally { closeSync(fd); } } catch { /* not supported on every platform */ }
}

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this (ms) is considered abandoned by a crashed process. */
  staleMs?: number;
  /** Injected for tests. */
  now?(): number;
  isAlive?(pid: number): boolean;
}

interface LockBody { pid: number; host: string; at: number; token: string }

const DEFAULT_STALE_MS = 30_000;

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

function readLock(path: string): LockBody | undefined {
  try { return JSON.parse(readFileSync(path, 'utf8')) as LockBody; } catch { return undefined; }
}

/** Is the lock at `path` abandoned (its owner died, or it is older than staleMs)? */
export function lockIsStale(path: string, opts: LockOptions = {}): boolean {
  const now = (opts.now ?? Date.now)();
  const body = readLock(path);
  let mtime = now;
  try { mtime = statSync(path).mtimeMs; } catch { return false; }
  const age = now - (body?.at ?? mtime);
  if (age > (opts.staleMs ?? DEFAULT_STALE_MS)) return true;
  // Same machine and the owner process is gone: stale at once.
  if (body && body.host === hostname() && body.pid !== process.pid && !(opts.isAlive ?? pidAlive)(body.pid)) return true;
  // A half-written lock file (crash between open and write) is stale after a short grace period.
  return !body && age > 2_000;
}

/** Try once to take the lock. Returns the release function, or undefined when someone else holds it. */
export function tryLock(path: string, opts: LockOptions = {}): (() => void) | undefined {
  mkdirSync(dirname(path), { recursive: true });
  const token = randomBytes(8).toString('hex');
  const body: LockBody = { pid: process.pid, host: hostname(), at: (opts.now ?? Date.now)(), token };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try { writeSync(fd, JSON.stringify(body)); } finally { closeSync(fd); }
      return () => {
        // Only remove our own lock (a stale-lock breaker may have replaced it).
        if (readLock(path)?.token === token) { try { unlinkSync(path); } catch { /* gone */ } }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (attempt > 0 || !lockIsStale(path, opts)) return undefined;
      breakStaleLock(path, opts);
    }
  }
  return undefined;
}

/**
 * Move a stale lock aside (rename is atomic: only one breaker wins). If what we moved turns out to be a fresh
 * lock that another process took in between, put it back (link fails if a third lock appeared meanwhile).
 */
function breakStaleLock(path: string, opts: LockOptions): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try { renameSync(path, aside); } catch { return; }
  if (!lockIsStale(aside, opts)) { try { linkSync(aside, path); } catch { /* a newer lock exists */ } }
  try { unlinkSync(aside); } catch { /* gone */ }
}

/** Run `fn` while holding the lock file; waits (polling) up to timeoutMs. */
export async function withFileLock<T>(path: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let delay = 5;
  for (;;) {
    const release = tryLock(path, opts);
    if (release) {
      try { return await fn(); } finally { release(); }
    }
    if (Date.now() > deadline) throw new Error(`Another Cairn window is writing memory (lock ${path} is held). Try again in a moment.`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(100, delay * 2);
  }
}

/** Serialises async sections within one process (the file lock handles other processes). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
