/**
 * The chat session's log: its transcript on disk, the entries in memory, and the history projection kept up to
 * date as entries are appended. Every append reaches the disk before anyone is told about it.
 */
import type { ApiMessage } from '../providers/types';
import type { AgentLog } from '../agent/log';
import type { TranscriptEntry } from './entries';
import { HistoryProjection, type HistoryItem, type ProjectionSteps } from './project';
import { TranscriptWriter } from './transcript';

export class SessionLog implements AgentLog {
  readonly entries: TranscriptEntry[] = [];
  private readonly projection: HistoryProjection;
  private readonly writer: TranscriptWriter;
  /** Written just before the first entry (a new session reaches the disk with its first message). */
  private pendingMeta: TranscriptEntry | null = null;

  constructor(path: string, opts: { durable?: boolean; steps?: ProjectionSteps; beforeFirstWrite?(): void } = {}) {
    this.projection = new HistoryProjection(opts.steps);
    this.writer = new TranscriptWriter(path, opts.durable);
    this.beforeFirstWrite = opts.beforeFirstWrite;
  }
  private readonly beforeFirstWrite?: () => void;

  get path(): string { return this.writer.path; }

  /** Entries read back from disk (not written again). */
  load(entries: readonly TranscriptEntry[]): void {
    for (const e of entries) { this.entries.push(e); this.projection.apply(e); }
  }

  /** The first entry of a session that has none on disk yet. */
  setPendingMeta(meta: TranscriptEntry): void { this.pendingMeta = meta; }

  append(entry: TranscriptEntry): void {
    if (!this.writer.opened) this.beforeFirstWrite?.();
    if (this.pendingMeta) { const meta = this.pendingMeta; this.pendingMeta = null; this.writer.append(meta); this.entries.push(meta); }
    this.writer.append(entry);
    this.entries.push(entry);
    this.projection.apply(entry);
  }

  history(): ApiMessage[] { return this.projection.messages(); }
  /** The projected history before merging (each item with its entry id), for context management. */
  items(): readonly HistoryItem[] { return this.projection.history(); }
  lastMessage(): ApiMessage | undefined { return this.projection.last(); }

  close(): void { this.writer.close(); }
}
