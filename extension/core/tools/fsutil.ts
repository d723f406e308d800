/** File helpers shared by the tools: decoding, hashing, the read ledger, atomic writes that never follow a leaf symlink. */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { ReadLedger, ReadRecord, ToolContext } from './types';
import { canonicalPath, contain, PathError } from '../permissions/containment';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export type Decoded =
  | { kind: 'text'; text: string; bom: boolean }
  | { kind: 'binary' }
  | { kind: 'non-utf8'; encoding: string };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Decode a file: UTF-8 (with or without BOM); anything else is reported, never mangled. */
export function decode(buf: Buffer): Decoded {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    return { kind: 'non-utf8', encoding: 'UTF-16' };
  }
  const bom = buf.length >= 3 && buf.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? buf.subarray(3) : buf;
  const probe = body.subarray(0, 8192);
  if (probe.includes(0)) return { kind: 'binary' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { kind: 'text', text, bom };
  } catch {
    // Many control bytes suggest binary; otherwise it is text in another encoding (latin-1, cp1252...).
    let ctrl = 0;
    for (const b of probe) if (b < 9 || (b > 13 && b < 32)) ctrl++;
    return ctrl > probe.length / 20 ? { kind: 'binary' } : { kind: 'non-utf8', encoding: 'unknown (not UTF-8)' };
  }
}

export function encode(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

export function recordOf(st: fs.Stats, buf: Buffer): ReadRecord {
  return { mtimeMs: st.mtimeMs, size: st.size, sha256: sha256(buf) };
}

/** A plain in-memory ledger (the session owns one). */
export function createReadLedger(): ReadLedger & { clear(): void; delete(absPath: string): void } {
  const m = new Map<string, ReadRecord>();
  return {
    get: (p) => m.get(p),
    set: (p, r) => { m.set(p, r); },
    delete: (p) => { m.delete(p); },
    clear: () => m.clear(),
  };
}

/** Roots a tool may touch: the workspace plus directories the user added. */
export function rootsOf(ctx: ToolContext): string[] {
  return [ctx.workspaceRoot, ...(ctx.allowedRoots ?? [])];
}

/**
 * Resolve a tool path and refuse it when its canonical form is outside the allowed roots. The permission engine
 * checks this before the call; tools check again right before touching the disk (a link may have appeared).
 */
export function resolveForTool(ctx: ToolContext, p: string): { abs: string; real: string } {
  // The call's own path was resolved once, before the permission check: use that resolution.
  const c = ctx.target && ctx.target.given === p ? ctx.target : contain(rootsOf(ctx), p);
  if (!c.inside) throw new PathError(`${p} resolves outside the workspace (${c.real}); that is not allowed.`);
  return { abs: c.abs, real: c.real };
}

/**
 * Write a file atomically: a temp file in the same folder, then rename over the target. rename() replaces a
 * symlink itself rather than writing through it. The parent folder is re-checked for containment at write time.
 */
export async function atomicWrite(abs: string, data: Buffer | string, roots: string[]): Promise<void> {
  const dir = path.dirname(abs);
  await fsp.mkdir(dir, { recursive: true });
  const realDir = canonicalPath(dir);
  if (!roots.some((r) => { const cr = canonicalPath(r); const rel = path.relative(cr, realDir); return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)); })) {
    throw new PathError(`the folder of ${abs} resolves outside the workspace; refusing to write.`);
  }
  const target = path.join(realDir, path.basename(abs));
  let mode: number | undefined;
  try {
    const st = await fsp.lstat(target);
    if (st.isSymbolicLink()) throw new PathError(`${abs} is a symbolic link; refusing to replace it.`);
    if (st.isDirectory()) throw new PathError(`${abs} is a directory.`);
    mode = st.mode & 0o7777;
  } catch (e) {
    if (e instanceof PathError) throw e;
  }
  const tmp = path.join(realDir, `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode ?? 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    if (mode !== undefined) await fsp.chmod(tmp, mode);
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** Read a regular file without following a leaf symlink out of the roots (the link's target is checked instead). */
export async function readChecked(ctx: ToolContext, p: string): Promise<{ abs: string; real: string; buf: Buffer; st: fs.Stats }> {
  const { abs, real } = resolveForTool(ctx, p);
  const st = await fsp.stat(real);
  if (st.isDirectory()) throw new PathError(`${p} is a directory; use list_files.`);
  if (!st.isFile()) throw new PathError(`${p} is not a regular file.`);
  const buf = await fsp.readFile(real);
  return { abs, real, buf, st };
}

/** Line-ending style of a text. */
export function eolOf(text: string): '\r\n' | '\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++; else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** A message for the model from any thrown value. */
export function errText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `No such file or directory: ${(e as NodeJS.ErrnoException).path ?? ''}`.trim();
    if (code === 'EACCES' || code === 'EPERM') return `Permission denied: ${(e as NodeJS.ErrnoException).path ?? ''}`.trim();
    return e.message;
  }
  return String(e);
}

const failureMaps = new WeakMap<ReadLedger, Map<string, number>>();
/** Consecutive failed edits per file (E9: after 2 the model must re-read). read_file resets the count. */
export function editFailures(ledger: ReadLedger): Map<string, number> {
  let m = failureMaps.get(ledger);
  if (!m) { m = new Map(); failureMaps.set(ledger, m); }
  return m;
}
