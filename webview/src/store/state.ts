/** The webview's mirror of the host's session state (the host is the source of truth). */
import type { ApprovalRequestInfo, Attachment, AuthState, ChatMessage, ContextInfo, ErrorInfo, PermissionMode, ReviewRequest, Snapshot, StopReason, TurnStatus, Usage } from '../protocol';
import { EMPTY_LOG, logFrom, newestFirst, type MessageLog } from './messages';

/** Something the host wants the user to know (not part of the snapshot; dismissed by the user). */
export interface Notice {
  /** The seq of the event that carried it. */
  id: number;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** The most notices kept; older ones fall off. */
export const MAX_NOTICES = 5;

/** A failed request the host will re-send after a delay. */
export interface RetryInfo {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: ErrorInfo;
}

/**
 * loading: no snapshot yet; live: in step with the host; stale: an event was missed or did not fit,
 * nothing more is applied until a fresh snapshot arrives.
 */
export type SyncStatus = 'loading' | 'live' | 'stale';

export interface ChatState {
  sync: SyncStatus;
  sessionId: string;
  title: string;
  /** The conversation (a persistent chunked vector: see messages.ts). */
  messages: MessageLog;
  /**
   * id -> position in `messages`, so a delta finds its message without a scan. Append-only and shared between
   * versions of the state (adding a message does not copy it); a lookup checks the id at that position.
   */
  index: ReadonlyMap<string, number>;
  /** Where the latest `todo` tool call is (its input is the current task list); null when none. */
  todo: { messageId: string; blockIndex: number } | null;
  turn: TurnStatus;
  lastError: ErrorInfo | null;
  /** Why the last turn ended (when the host said). */
  stopReason: StopReason | null;
  /** Set while the host waits to re-send a failed request; cleared by the next turn status. */
  retrying: RetryInfo | null;
  /** Tool calls waiting for the user's approval, oldest first. */
  approvals: readonly ApprovalRequestInfo[];
  notices: readonly Notice[];
  auth: AuthState;
  model: string;
  /** Diff reviews waiting for the user, oldest first. */
  reviews: readonly ReviewRequest[];
  /** The permission mode (ask, accept-edits, plan, auto). */
  mode: PermissionMode;
  usage: Usage;
  /** Cost of the session so far in USD; null when the model has no known price. */
  costUsd: number | null;
  /** The last request's usage (for the cache hit rate); null until one finished. */
  lastRequest: Usage | null;
  /** Tokens in context against the window and the compaction threshold; null until known. */
  context: ContextInfo | null;
  /** Text and attachments the host asked to put into the composer (a new object each time). */
  compose: { id: number; text: string; attachments: readonly Attachment[]; replace?: boolean } | null;
  /** The seq of the last event folded into this state. */
  seq: number;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function initialChatState(): ChatState {
  return {
    sync: 'loading',
    sessionId: '',
    title: '',
    messages: EMPTY_LOG,
    index: new Map(),
    todo: null,
    turn: 'idle',
    lastError: null,
    stopReason: null,
    retrying: null,
    approvals: [],
    notices: [],
    auth: { status: 'missing', source: 'none', demoAvailable: false },
    model: '',
    mode: 'ask',
    reviews: [],
    usage: ZERO_USAGE,
    costUsd: null,
    lastRequest: null,
    context: null,
    compose: null,
    seq: 0,
  };
}

export function indexMessages(messages: readonly ChatMessage[]): Map<string, number> {
  const index = new Map<string, number>();
  messages.forEach((m, i) => index.set(m.id, i));
  return index;
}

/** Replace everything the host owns with a snapshot; other fields of a wider state are kept. */
export function loadSnapshot<S extends ChatState>(state: S, snap: Snapshot): S {
  return {
    ...state,
    sync: 'live',
    sessionId: snap.sessionId,
    title: snap.title,
    messages: logFrom(snap.messages),
    index: indexMessages(snap.messages),
    todo: findTodo(snap.messages),
    turn: snap.turn,
    lastError: snap.lastError,
    stopReason: null,
    retrying: null,
    approvals: snap.pendingApprovals ?? [],
    auth: snap.auth,
    model: snap.model,
    mode: snap.mode ?? 'ask',
    reviews: snap.pendingReviews ?? [],
    usage: snap.usage,
    costUsd: snap.costUsd ?? null,
    context: snap.context ?? null,
    notices: mergeNotices(state.sessionId === snap.sessionId ? state.notices : [], snap.notices ?? []),
    seq: snap.seq,
  };
}

export const TODO_TOOL = 'todo';

/** The latest `todo` tool call, searched from the newest message back. */
export function findTodo(messages: readonly ChatMessage[] | MessageLog): ChatState['todo'] {
  const iter = Array.isArray(messages) ? [...(messages as readonly ChatMessage[])].reverse() : newestFirst(messages as MessageLog);
  for (const m of iter) {
    for (let b = m.blocks.length - 1; b >= 0; b--) {
      const block = m.blocks[b];
      if (block?.type === 'tool_use' && block.name === TODO_TOOL) return { messageId: m.id, blockIndex: b };
    }
  }
  return null;
}

/** Notices already shown stay; the host's kept notices for the session (e.g. "resumed mid-turn") join them once. */
function mergeNotices(current: readonly Notice[], kept: ReadonlyArray<{ level: Notice['level']; message: string }>): readonly Notice[] {
  const known = new Set(current.map((n) => n.message));
  const added = kept.filter((n) => !known.has(n.message)).map((n, k) => ({ id: -(k + 1), level: n.level, message: n.message }));
  return added.length ? [...added, ...current] : current;
}
