/** What the memory tools share: the store, the transcript searcher, and a clock. */
import type { MemoryStore } from '../store';
import type { TranscriptSearcher } from '../search/search';

export interface MemoryServices {
  store: MemoryStore;
  searcher: TranscriptSearcher;
  agentDir: string;
  now(): number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** "today", "yesterday", "N days ago": models reason better about age in words than about timestamps. */
export function ageText(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  return days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

export const STALE_NOTE = 'This memory is more than a day old: it is a point-in-time note, not a fact. Verify it against the current code before acting on it or stating it as fact; if the code contradicts it, fix the memory (memory_write with a reason) or delete it (memory_delete).';
