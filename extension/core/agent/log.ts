/**
 * An agent's log: where its durable events go, and the projection its requests are built from. The chat
 * session's log is its transcript on disk (session/log.ts); a side request (a summary) or a test can use the
 * in-memory one below.
 */
import type { ApiMessage } from '../providers/types';
import type { TranscriptEntry } from '../session/entries';
import { HistoryProjection, type ProjectionSteps } from '../session/project';

export interface AgentLog {
  /** Append one durable event (written before anyone is told about it). */
  append(entry: TranscriptEntry): void;
  /** The API history now: the projection of every entry so far. */
  history(): ApiMessage[];
}

/** A log kept in memory only. */
export class MemoryLog implements AgentLog {
  readonly entries: TranscriptEntry[] = [];
  private readonly projection: HistoryProjection;
  constructor(initial: readonly TranscriptEntry[] = [], steps?: ProjectionSteps) {
    this.projection = new HistoryProjection(steps);
    for (const e of initial) this.append(e);
  }
  append(entry: TranscriptEntry): void {
    this.entries.push(entry);
    this.projection.apply(entry);
  }
  history(): ApiMessage[] { return this.projection.messages(); }
}
