// Recording: every exchange is kept in memory (`emu.requests`) and, when a file is configured,
// appended to it as one JSON line once the response is finished (or the connection ended).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecordedExchange } from './types';

export class Recorder {
  readonly requests: RecordedExchange[] = [];
  private seq = 0;

  constructor(private readonly file?: string) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  nextSeq(): number {
    return ++this.seq;
  }

  start(rec: RecordedExchange): RecordedExchange {
    this.requests.push(rec);
    return rec;
  }

  finish(rec: RecordedExchange, outcome: string): void {
    if (rec.outcome !== 'pending') return;
    rec.outcome = outcome;
    if (this.file) appendFileSync(this.file, `${JSON.stringify(rec)}\n`);
  }

  clear(): void {
    this.requests.length = 0;
  }
}

/** Reads a JSONL record file back (for tests and tools). */
export function parseRecordFile(text: string): RecordedExchange[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RecordedExchange);
}
