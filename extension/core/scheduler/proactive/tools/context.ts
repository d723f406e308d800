/** What a tick's own tools share: where notices go, and what the tick decided. */
import type { Notice } from '../state';

export interface TickToolContext {
  agentDir: string;
  now(): number;
  newId(): string;
  /** A new (not duplicate) notice was raised. */
  raise(n: Notice): void;
  /** What the tick decided, for the daily log and the scheduler. */
  /** The tick has its answer (a notice or a sleep): end the task after this round of tools. */
  finish(): void;
  decision: { notices: string[]; duplicates: string[]; sleepUntil?: number; sleepReason?: string };
}

/** A notice that says the same thing within this long is a duplicate. */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
