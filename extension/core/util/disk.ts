/**
 * Writes that are whole or absent. A write can stop part way (a full disk accepts some bytes, then ENOSPC):
 * appends are truncated back to where they started, temp files are removed, so a failure never leaves a torn
 * line or a stray `.tmp` behind, and the error says what was being written and what was kept.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';

/** The file-system calls used here (a test injects a disk that fills up part way). */
export interface DiskIo {
  fstatSync(fd: number): { size: number };
  writeSync(fd: number, buf: Buffer, offset: number, length: number): number;
  ftruncateSync(fd: number, len: number): void;
}
export const nodeDisk: DiskIo = { fstatSync, writeSync, ftruncateSync };

export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Why a write failed, in words: "the disk is full" or the system's message. */
export function writeProblem(err: unknown): string {
  if (isDiskFull(err)) return 'the disk is full';
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? err);
}

/** Write all of `buf` at the descriptor's position (loops over short writes). */
export function writeAll(fd: number, buf: Buffer, io: DiskIo = nodeDisk): void {
  for (let off = 0; off < buf.length;) off += io.writeSync(fd, buf, off, buf.length - off);
}

/**
 * Append `buf` to a file opened for appending, all of it or none of it: on a failure the file is truncated back to
 * its size before the append and the error is rethrown. Returns the size the file had (what is kept on failure).
 */
export function appendWhole(fd: number, buf: Buffer, io: DiskIo = nodeDisk): number {
  const before = io.fstatSync(fd).size;
  try {
    writeAll(fd, buf, io);
  } catch (err) {
    try { io.ftruncateSync(fd, before); } catch { /* the error below still says what happened */ }
    throw err;
  }
  return before;
}

/** Create `path` with `data` through a temp file and a rename; the temp file never outlives a failure. */
export function createWhole(path: string, data: Buffer, opts: { durable?: boolean; io?: DiskIo } = {}): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeAll(fd, data, opts.io);
    if (opts.durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) { try { closeSync(fd); } catch { /* closing */ } }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw err;
  }
}
