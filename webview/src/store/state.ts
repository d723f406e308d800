/** The webview's mirror of the host's session state (the host is the source of truth). */
import type { ApprovalRequestInfo, Attachment, AuthState, ChatMessage, CompactionStatus, ContextInfo, ErrorInfo, JobInfo, PendingDecision, PermissionMode, ReviewRequest, Snapshot, StopReason, SubagentStatus, TodoItem, TurnStatus, Usage, WorkerStatus } from '../protocol';
import { EMPTY_LOG, logFrom, type MessageLog } from './messages';

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
  /** The agent's task list (the host publishes it whole on every change). */
  todo: readonly TodoItem[];
  /** This session's background jobs. */
  jobs: readonly JobInfo[];
  /** Live subagents by the parent's `agent` tool call id (cards nested in the turn). */
  subagents: Readonly<Record<string, SubagentStatus>>;
  /** Coordinator workers by the coordinator's `start_worker` call id. */
  workers: Readonly<Record<string, WorkerStatus>>;
  /** Coordinator mode (new sessions orchestrate workers). */
  coordinator: boolean;
  turn: TurnStatus;
  lastError: ErrorInfo | null;
  /** Why the last turn ended (when the host said). */
  stopReason: StopReason | null;
  /** Set while the host waits to re-send a failed request; cleared by the next turn status. */
  retrying: RetryInfo | null;
  /** Everything waiting for the user's decision, oldest first (the host's one list). */
  decisions: readonly PendingDecision[];
  /** The approvals among them (derived from `decisions`, kept in step by the reducer). */
  approvals: readonly ApprovalRequestInfo[];
  notices: readonly Notice[];
  auth: AuthState;
  model: string;
  /** The diff reviews among them (derived from `decisions`). */
  reviews: readonly ReviewRequest[];
  /** The permission mode (ask, accept-edits, plan, auto). */
  mode: PermissionMode;
  usage: Usage;
  /** Cost of the session so far in USD; null when the model has no known price. */
  costUsd: number | null;
  /** The last request's usage (for the cache hit rate); null until one finished. */
  lastRequest: Usage | null;
  /** Context management: running, warning, failed, switched off, and the last compaction; null until known. */
  compaction: CompactionStatus | null;
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
    todo: [],
    jobs: [],
    subagents: {},
    workers: {},
    coordinator: false,
    turn: 'idle',
    lastError: null,
    stopReason: null,
    retrying: null,
    decisions: [],
    approvals: [],
    notices: [],
    auth: { status: 'missing', source: 'none', demoAvailable: false },
    model: '',
    mode: 'ask',
    reviews: [],
    usage: ZERO_USAGE,
    costUsd: null,
    lastRequest: null,
    compaction: null,
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
    todo: snap.todo ?? [],
    jobs: snap.jobs ?? [],
    // The host keeps the last status of each subagent and worker of the session: the cards survive a reload.
    subagents: Object.fromEntries((snap.subagents ?? []).map((x) => [x.toolUseId, x])),
    workers: Object.fromEntries((snap.workers ?? []).map((x) => [x.toolUseId, x])),
    coordinator: snap.coordinator ?? false,
    turn: snap.turn,
    lastError: snap.lastError,
    // A turn cut off by a reload: shown as interrupted, with Continue.
    stopReason: snap.resumable && snap.turn === 'idle' ? 'interrupted' : null,
    retrying: null,
    ...decisionSlices(snap.pendingDecisions ?? []),
    auth: snap.auth,
    model: snap.model,
    mode: snap.mode ?? 'ask',
    usage: snap.usage,
    costUsd: snap.costUsd ?? null,
    context: snap.context ?? null,
    compaction: snap.compaction ?? null,
    notices: mergeNotices(state.sessionId === snap.sessionId ? state.notices : [], snap.notices ?? []),
    seq: snap.seq,
  };
}

/** The decision list and the per-kind views the components read. */
export function decisionSlices(decisions: readonly PendingDecision[]): Pick<ChatState, 'decisions' | 'approvals' | 'reviews'> {
  return {
    decisions,
    approvals: decisions.flatMap((d) => (d.kind === 'approval' ? [d.request] : [])),
    reviews: decisions.flatMap((d) => (d.kind === 'review' ? [d.request] : [])),
  };
}

/** Notices already shown stay; the host's kept notices for the session (e.g. "resumed mid-turn") join them once. */
function mergeNotices(current: readonly Notice[], kept: ReadonlyArray<{ level: Notice['level']; message: string }>): readonly Notice[] {
  const known = new Set(current.map((n) => n.message));
  const added = kept.filter((n) => !known.has(n.message)).map((n, k) => ({ id: -(k + 1), level: n.level, message: n.message }));
  return added.length ? [...added, ...current] : current;
}
