/**
 * Append-only JSONL transcripts. Each entry is serialized, redacted and written with one write() on an
 * O_APPEND descriptor before the caller tells the UI the step is done. Reading skips (and reports) torn or
 * corrupt lines instead of failing.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../util/redact';
import { appendWhole, createWhole, nodeDisk, writeProblem, type DiskIo } from '../util/disk';
import { KNOWN_ENTRY_TYPES, type TranscriptEntry } from './entries';

/** A step could not be saved. The message says which step, why, and what the transcript still holds. */
export class TranscriptWriteError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly path: string) {
    super(message);
    this.name = 'TranscriptWriteError';
  }
}

/** What an entry is, in words, for error messages. */
export function describeEntry(e: TranscriptEntry): string {
  switch (e.t) {
    case 'msg': return e.role === 'user' ? (e.content.some((b) => b.type === 'tool_result') ? 'the tool results' : 'your message') : 'the assistant\'s reply';
    case 'tool_result': return `the result of tool call ${e.toolUseId}`;
    case 'tool_start': return `the start of tool call ${e.toolUseId} (${e.name})`;
    case 'partial': return 'a partial reply';
    case 'retry': return 'a retry note';
    case 'turn_end': return 'the end of the turn';
    case 'title': return 'the session title';
    case 'meta': return 'the session header';
    case 'context': return 'the context meter';
    case 'tool_state': return `the state of tool call ${e.toolUseId}`;
    default: return `a ${(e as { t: string }).t} entry`;
  }
}

export class TranscriptWriter {
  private fd: number | null = null;
  private closed = false;

  /** Nothing touches the disk until the first append. `io` is for tests that simulate a disk filling up. */
  constructor(readonly path: string, private readonly durable = false, private readonly io: DiskIo = nodeDisk) {}

  get opened(): boolean { return this.fd !== null; }

  private open(): number {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a');
    // A torn last line from a crash: start on a fresh line so the next entry is not glued to it.
    if (endsMidLine(this.path)) writeSync(fd, '\n');
    return fd;
  }

  /**
   * Append one entry as one whole line. On any failure (a full disk above all) nothing of the line stays in the
   * file and a TranscriptWriteError says which step was not saved and what the transcript keeps.
   */
  append(entry: TranscriptEntry): void {
    if (this.closed) throw new Error(`transcript ${this.path} is closed`);
    const line = Buffer.from(redact(JSON.stringify(entry)) + '\n', 'utf8');
    if (this.fd === null && !existsSync(this.path)) {
      // A new transcript appears with its first line already in it (temp file + rename), so a crash can
      // never leave an empty or half-created file behind.
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        createWhole(this.path, line, { durable: this.durable, io: this.io });
      } catch (err) {
        throw this.failure(err, entry, 'nothing yet: the transcript was not created (no partial file is left)');
      }
      this.fd = openSync(this.path, 'a');
      return;
    }
    if (this.fd === null) this.fd = this.open();
    let kept = 0;
    try {
      kept = this.io.fstatSync(this.fd).size;
      appendWhole(this.fd, line, this.io);
      if (this.durable) fsyncSync(this.fd);
    } catch (err) {
      throw this.failure(err, entry, `every earlier step (${kept} bytes, ending on a whole line; nothing of this step)`);
    }
  }

  private failure(err: unknown, entry: TranscriptEntry, kept: string): TranscriptWriteError {
    const code = (err as NodeJS.ErrnoException)?.code;
    const why = writeProblem(err);
    const fix = code === 'ENOSPC' || code === 'EDQUOT' ? ' Free some disk space: the next step is saved normally again.' : '';
    return new TranscriptWriteError(`Could not save ${describeEntry(entry)} to the transcript ${this.path}: ${why}. The transcript keeps ${kept}.${fix}`, code, this.path);
  }

  close(): void {
    this.closed = true;
    if (this.fd !== null) { closeSync(this.fd); this.fd = null; }
  }
}

/** Does the file end inside a line (a crash mid-write)? Reads only its last byte. */
function endsMidLine(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if (!st.isFile() || st.size === 0) return false;
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, st.size - 1);
    return b[0] !== 0x0a;
  } catch { return false; } finally { if (fd !== undefined) closeSync(fd); }
}

export interface ReadProblem { line: number; kind: 'torn' | 'corrupt'; preview: string }
export interface ReadResult { entries: TranscriptEntry[]; problems: ReadProblem[] }

export function readTranscript(path: string): ReadResult {
  if (!existsSync(path)) return { entries: [], problems: [] };
  return parseTranscript(readFileSync(path));
}

export function parseTranscript(buf: Buffer): ReadResult {
  const entries: TranscriptEntry[] = [];
  const problems: ReadProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    const torn = end === -1;
    if (torn) end = buf.length;
    lineNo++;
    const bytes = buf.subarray(start, end);
    start = end + 1;
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) continue;
    try {
      const line = decoder.decode(bytes);
      const v = JSON.parse(line) as { t?: unknown };
      if (!v || typeof v !== 'object' || typeof v.t !== 'string' || !KNOWN_ENTRY_TYPES.has(v.t)) throw new Error('unknown entry');
      entries.push(v as TranscriptEntry);
    } catch {
      problems.push({ line: lineNo, kind: torn ? 'torn' : 'corrupt', preview: bytes.subarray(0, 80).toString('utf8') });
    }
  }
  return { entries, problems };
}
