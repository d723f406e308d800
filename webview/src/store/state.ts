/** The webview's mirror of the host's session state (the host is the source of truth). */
import type { ApprovalRequestInfo, AuthState, ChatMessage, ErrorInfo, PermissionMode, ReviewRequest, Snapshot, StopReason, TurnStatus, Usage } from '../protocol';

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
  messages: readonly ChatMessage[];
  /** id -> position in `messages`, so a delta finds its message without a scan. */
  index: ReadonlyMap<string, number>;
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
  /** The seq of the last event folded into this state. */
  seq: number;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function initialChatState(): ChatState {
  return {
    sync: 'loading',
    sessionId: '',
    title: '',
    messages: [],
    index: new Map(),
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
    messages: snap.messages,
    index: indexMessages(snap.messages),
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
    seq: snap.seq,
  };
}
