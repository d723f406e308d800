/** What tunes context management (VS Code settings `cairn.compaction.*`; the runner's flags and defaults). */

export interface CompactionSettings {
  /** Compact automatically (snip, microcompact, collapse, autocompact). Off: only the tool-result budget and /compact. */
  auto: boolean;
  /** A single tool result larger than this goes to a file; the context keeps a preview. */
  toolResultBudgetTokens: number;
  /** All tool results of one message together stay under this (the largest go to files first). */
  messageBudgetTokens: number;
  /** Microcompact keeps the contents of this many most recent tool results. */
  keepRecentToolResults: number;
  /** The provider's cache lifetime: idle longer than this and the cache is cold anyway (the light strategies run). */
  cacheTtlMs: number;
  /** Above this share of the autocompact mark the light strategies run even with a warm cache. */
  lightAtRatio: number;
  /** Above this share of the autocompact mark an old tool-heavy span is collapsed (a small-model side request). */
  collapseAtRatio: number;
  /** The small model that writes collapse summaries. */
  collapseModel: string;
  /** The session notes are brought up to date each time the context has grown by this many tokens (0: never). */
  notesEveryTokens: number;
  /** A new session starts with the newest notes of the last session (two weeks at most), as hints to verify. */
  carryNotes: boolean;
  /** Let the running task finish before compacting, while the window allows. */
  waitForTaskEnd: boolean;
  /** The panel warns from this share of the autocompact mark. */
  warnAtRatio: number;
  /** Override the model's context window (tests, benchmarks, smaller budgets). */
  contextWindow?: number;
}

export const DEFAULT_COMPACTION: CompactionSettings = {
  auto: true,
  toolResultBudgetTokens: 10_000,
  messageBudgetTokens: 40_000,
  keepRecentToolResults: 6,
  cacheTtlMs: 5 * 60_000,
  lightAtRatio: 0.7,
  collapseAtRatio: 0.85,
  collapseModel: 'claude-haiku-4-5',
  notesEveryTokens: 12_000,
  carryNotes: true,
  waitForTaskEnd: false,
  warnAtRatio: 0.9,
};

/** Three failed automatic compactions in a row switch automatic compaction off for the session. */
export const CIRCUIT_BREAKER_FAILURES = 3;
