/**
 * The transcript format: `.agent/sessions/<id>.jsonl`, one JSON object per line, appended whole.
 *
 * The transcript is the session's append-only log of durable domain events. Everything else is a projection of
 * it: the API history the next request is built from (session/project.ts), the conversation the panel shows
 * (session/view.ts), usage and cost. A live session and the same session reopened from its transcript fold the
 * same entries through the same functions, so they cannot differ. Nothing is ever rewritten: later entries
 * (a tool result, a compaction) change what the projections show.
 */
import type { ApiMessage, ErrorInfo, Usage } from '../providers/types';

export const TRANSCRIPT_VERSION = 1;

/** Why a task ended. Named values, recorded in `turn_end` and shown by every front end. */
export type StopReason = 'completed' | 'aborted' | 'max_turns' | 'budget_reached' | 'prompt_too_long' | 'error' | 'interrupted';

/**
 * The life of a tool call: validating (its input is checked) -> awaiting_approval (the user decides) -> running ->
 * done | error | cancelled (never started: the turn stopped first) | interrupted (stopped, or the process died, while
 * it ran). `error` also covers calls that were refused (invalid input, denied, rejected by the user).
 */
export type ToolCallState = 'validating' | 'awaiting_approval' | 'running' | 'done' | 'error' | 'cancelled' | 'interrupted';
export type ToolOutcome = Extract<ToolCallState, 'done' | 'error' | 'cancelled' | 'interrupted'>;

export type ContentList = Exclude<ApiMessage['content'], string>;

export type TranscriptEntry =
  | { t: 'meta'; v: number; id: string; createdAt: number; model: string; cwd?: string; agent?: string; parent?: string }
  | { t: 'title'; title: string }
  /**
   * A message appended to the API history (user text, an assistant response, or tool results). `uiId` is the
   * conversation's id for it (user and assistant messages); `id` identifies the entry for later entries that
   * refer to it (compaction).
   */
  | { t: 'msg'; ts: number; id?: string; uiId?: string; role: ApiMessage['role']; content: ContentList; stopReason?: string | null; usage?: Usage; costUsd?: number; model?: string; attachments?: Array<{ kind: string; label: string }> }
  /** An assistant response cut off mid-stream: shown as incomplete, never part of the history. */
  | { t: 'partial'; ts: number; uiId: string; text: string; reason: string; usage?: Usage; costUsd?: number }
  /** Older transcripts: a tool started running (now `tool_state` with state `running`). */
  | { t: 'tool_start'; ts: number; toolUseId: string; name: string }
  /** A tool call moved to a non-final state (awaiting the user's decision, running). */
  | { t: 'tool_state'; ts: number; toolUseId: string; name: string; state: 'awaiting_approval' | 'running'; reason?: string }
  /** A tool call ended; its result is what the model sees. `display` is for front ends only (bounded). */
  | { t: 'tool_result'; ts: number; toolUseId: string; content: string; isError: boolean; status: ToolOutcome; durationMs: number; display?: Record<string, unknown> }
  | { t: 'retry'; ts: number; attempt: number; maxAttempts?: number; delayMs: number; error: ErrorInfo }
  | { t: 'turn_end'; ts: number; stop: StopReason; error?: ErrorInfo | null }
  /** The context meter after a request (tokens in context, the window, where compaction starts). */
  | { t: 'context'; ts: number; context: { tokens: number; window: number; compactAt: number } }
  /**
   * Context management changed what the model sees from here on (core/compaction). The transcript keeps every
   * earlier entry; the history projection applies this one at its position, so a resumed session projects the
   * same request.
   */
  | CompactionEntry
  /** The session notes were brought up to date (a side request; its usage is the session's). */
  | { t: 'notes'; ts: number; covers: string; tokens: number; usage?: Usage; costUsd?: number; model?: string };

/** How a compaction changes the projection. */
export type CompactionOp = 'compact_boundary' | 'snip' | 'microcompact' | 'collapse';
/** Which strategy made it. */
export type CompactionStrategy = 'snip' | 'microcompact' | 'collapse' | 'autocompact' | 'reactive' | 'manual';

export interface CompactionEntry {
  t: 'compaction';
  ts: number;
  id: string;
  op: CompactionOp;
  strategy: CompactionStrategy;
  /** Why it ran: the context passed a threshold, the cache was cold anyway, the API refused, the user asked. */
  trigger: 'threshold' | 'cold-cache' | 'prompt-too-long' | 'user';
  /** Estimated tokens in context before and after. */
  before: number;
  after: number;
  /** What the model no longer sees, one line each (for the panel). */
  dropped: string[];
  /** snip, microcompact: the new content of these tool results. */
  targets?: Array<{ toolUseId: string; text: string }>;
  /** collapse: the span of history items (inclusive) replaced by `summary`. */
  from?: string;
  to?: string;
  /** collapse, compact_boundary: the summary text. */
  summary?: string;
  /** compact_boundary: where the summary came from (the session notes cost no model call at that moment). */
  source?: 'notes' | 'summary';
  /** compact_boundary: the message the model sees in place of everything before `keepFrom` (summary, ledger, pinned items). */
  attach?: string;
  /** compact_boundary: the first history item kept verbatim after the summary (absent: none). */
  keepFrom?: string;
  /** The side request's cost, when one was made. */
  usage?: Usage;
  costUsd?: number;
  model?: string;
}

export type EntryType = TranscriptEntry['t'];
export type EntryOf<T extends EntryType> = Extract<TranscriptEntry, { t: T }>;

/** Entry types this version reads; anything else is reported as unreadable (never fatal). */
export const KNOWN_ENTRY_TYPES: ReadonlySet<string> = new Set<EntryType>([
  'meta', 'title', 'msg', 'partial', 'tool_start', 'tool_state', 'tool_result', 'retry', 'turn_end', 'context',
  'compaction', 'notes',
]);

/** The most bytes of a tool result's `display` kept in the transcript. */
export const MAX_DISPLAY_BYTES = 16_000;
