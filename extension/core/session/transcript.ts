/**
 * Append-only JSONL transcripts. Each entry is serialized, redacted and written with one write() on an
 * O_APPEND descriptor before the caller tells the UI the step is done. Reading skips (and reports) torn or
 * corrupt lines instead of failing.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from '../util/redact';
import { KNOWN_ENTRY_TYPES, type TranscriptEntry } from './entries';

export class TranscriptWriter {
  private fd: number | null = null;
  private closed = false;

  /** Nothing touches the disk until the first append. */
  constructor(readonly path: string, private readonly durable = false) {}

  get opened(): boolean { return this.fd !== null; }

  private open(): number {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a');
    // A torn last line from a crash: start on a fresh line so the next entry is not glued to it.
    if (endsMidLine(this.path)) writeSync(fd, '\n');
    return fd;
  }

  append(entry: TranscriptEntry): void {
    if (this.closed) throw new Error(`transcript ${this.path} is closed`);
    const line = redact(JSON.stringify(entry)) + '\n';
    if (this.fd === null && !existsSync(this.path)) {
      // A new transcript appears with its first line already in it (temp file + rename), so a crash can
      // never leave an empty or half-created file behind.
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, line, { flag: 'wx' });
      if (this.durable) { const fd = openSync(tmp, 'r'); fsyncSync(fd); closeSync(fd); }
      renameSync(tmp, this.path);
      this.fd = openSync(this.path, 'a');
      return;
    }
    if (this.fd === null) this.fd = this.open();
    writeSync(this.fd, line);
    if (this.durable) fsyncSync(this.fd);
  }

  close(): void {
    this.closed = true;
    if (this.fd !== null) { closeSync(this.fd); this.fd = null; }
  }
}

function endsMidLine(path: string): boolean {
  try {
    const buf = readFileSync(path);
    return buf.length > 0 && buf[buf.length - 1] !== 0x0a;
  } catch { return false; }
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
