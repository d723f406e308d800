/**
 * The zustand wrapper around the pure reducer. It asks the host for `session/snapshot` once on start, buffers
 * events that arrive while a snapshot is on its way, and asks again (once at a time) when the reducer reports
 * the state went stale (a seq gap or an event that did not fit). User actions are plain requests: the host
 * decides and answers with events; only request failures are kept here, to show them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type Bridge } from '../bridge';
import type { Attachment, EventMessage, ImageAttachment, McpPromptInfo, MentionCandidate, ModelChoice, PermissionMode, PlanListItem, RequestParams, SessionSummary, Snapshot, UndoPreview } from '../protocol';
import { applyEvent, dismissNotice } from './reducer';
import { initialChatState, loadSnapshot, type ChatState } from './state';

export interface ViewState extends ChatState {
  /** Why the session could not be loaded (shown with a reload button); null when fine. */
  loadError: string | null;
  /** The last user action that failed (a request the host refused or never answered); null when none. */
  actionError: string | null;
}

export type ApprovalScope = 'once' | 'session' | 'workspace' | 'user';

export interface ChatActions {
  send(text: string, attachments?: Attachment[], images?: ImageAttachment[]): Promise<boolean>;
  stop(): Promise<boolean>;
  /** Stop one subagent (its parent goes on with what it reported). */
  stopSubagent(agentId: string): Promise<boolean>;
  /** Open a subagent's or worker's transcript, read-only. */
  openTranscript(agentId: string): Promise<boolean>;
  /** Stop one coordinator worker (its changes so far are kept). */
  stopWorker(workerId: string): Promise<boolean>;
  /** Offer a worker's changes for review again. */
  reviewWorker(workerId: string): Promise<boolean>;
  /** Coordinator mode on or off (a session with messages is replaced by a new one). */
  setCoordinator(on: boolean): Promise<boolean>;
  retry(): Promise<boolean>;
  newSession(): Promise<boolean>;
  promptKey(): Promise<boolean>;
  useDemo(): Promise<boolean>;
  /** Answer an approval prompt: approve for a scope (default once), or reject with an optional reason. */
  answerApproval(id: string, decision: 'approve' | 'reject', options?: { scope?: ApprovalScope; reason?: string }): Promise<boolean>;
  /** Answer a diff review: apply the accepted hunks, or reject all. */
  answerReview(id: string, decision: 'apply' | 'reject', acceptedHunks?: number[]): Promise<boolean>;
  openReviewDiff(id: string): Promise<boolean>;
  /** Answer a proposed plan (the answer carries the nonce the host sent with the card). */
  answerPlan(id: string, answer: Extract<RequestParams<'decision/answer'>['answer'], { kind: 'plan' }>): Promise<boolean>;
  setMode(mode: PermissionMode): Promise<boolean>;
  /** The workspace's plans (open, approved, done, abandoned); null when the request failed. */
  listPlans(): Promise<PlanListItem[] | null>;
  /** Open a plan file in an editor, resume it in this session (back to review), or abandon it; null when the request failed. */
  planAction(action: 'open' | 'resume' | 'abandon', path: string): Promise<{ ok: boolean; error?: string } | null>;
  /** `/plan <task>`: start an UltraPlan run; false (with the reason shown) when refused. */
  ultraPlan(task: string): Promise<boolean>;
  setModel(id: string): Promise<boolean>;
  /** What undo would restore (null: nothing; undefined: the request failed). */
  undoPreview(): Promise<UndoPreview | null | undefined>;
  /** Undo the confirmed turn's file edits; resolves to the host's answer (null when the request failed). */
  undoLastTurn(turn: number): Promise<{ undone: boolean; restored: string[]; deleted: string[]; skipped: Array<{ path: string; reason: string }> } | null>;
  listSessions(): Promise<SessionSummary[] | null>;
  openSession(id: string): Promise<boolean>;
  renameSession(id: string, title: string): Promise<boolean>;
  deleteSession(id: string): Promise<boolean>;
  /** Completions for an @-mention; null when the request failed. */
  mentionCandidates(query: string): Promise<MentionCandidate[] | null>;
  /** MCP resources matching an @-mention; null when the request failed. */
  mcpResources(query: string): Promise<MentionCandidate[] | null>;
  /** The MCP servers' prompts (slash commands); null when the request failed. */
  mcpPrompts(): Promise<McpPromptInfo[] | null>;
  /** Expand an MCP prompt into the text to send; null after showing why it failed. */
  expandPrompt(server: string, name: string, args: Record<string, string>): Promise<string | null>;
  listModels(): Promise<{ models: ModelChoice[]; current: string } | null>;
  /** Report an action error from a component (shown like a failed request). */
  showActionError(message: string): void;
  /** /compact: summarise the conversation now, optionally with instructions. */
  compact(instructions?: string): Promise<boolean>;
  /** The session notes; null when the request failed. */
  sessionNotes(): Promise<{ text?: string; updated?: number } | null>;
  /** Continue the task without a new message (after a stop or a step limit). */
  continueTask(): Promise<boolean>;
  dismissActionError(): void;
  /** Put text into the composer in place of what is there (e.g. an example prompt of the empty state). */
  fillComposer(text: string): void;
  dismissNotice(id: number): void;
  /** Ask for a fresh snapshot (the reload button after a failed load). */
  reload(): void;
}

export interface ChatStore {
  store: StoreApi<ViewState>;
  actions: ChatActions;
  /** Subscribe to events and request the first snapshot. Idempotent. */
  start(): void;
  dispose(): void;
}

/** Events buffered while a snapshot is on its way; beyond this the buffer is dropped and another snapshot asked. */
const MAX_BUFFER = 5_000;
/** Snapshots in a row that did not get back in step before the store gives up and shows the reload button. */
const MAX_RESYNCS = 3;

export function createChatStore(bridge: Bridge): ChatStore {
  const store = createStore<ViewState>(() => ({ ...initialChatState(), loadError: null, actionError: null }));
  let buffer: EventMessage[] = [];
  let fills = 0;
  let overflowed = false;
  let inFlight = false;
  let resyncs = 0;
  let started = false;
  let unsubscribe: (() => void) | null = null;

  function onEvent(event: EventMessage): void {
    const state = store.getState();
    if (inFlight || state.sync === 'loading') {
      if (buffer.length >= MAX_BUFFER) overflowed = true;
      else buffer.push(event);
      return;
    }
    const next = applyEvent(state, event);
    if (next === state) return;
    if (next.sync === 'live') resyncs = 0;
    store.setState(next, true);
    // A new or reopened session: its history comes in one snapshot, not as a replay of events.
    if (next.sync === 'stale' || event.name === 'session/started') void requestSnapshot();
  }

  async function requestSnapshot(): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    let snap: Snapshot;
    try {
      snap = await bridge.request('session/snapshot', {});
    } catch (err) {
      inFlight = false;
      buffer = [];
      overflowed = false;
      store.setState({ loadError: `Could not load the session: ${errorText(err)}` });
      return;
    }
    let state = loadSnapshot(store.getState(), snap);
    for (const e of buffer) state = applyEvent(state, e);
    const lost = overflowed;
    buffer = [];
    overflowed = false;
    inFlight = false;
    if (state.sync === 'stale' || lost) {
      resyncs += 1;
      if (resyncs >= MAX_RESYNCS) {
        store.setState({ ...state, sync: 'stale', loadError: 'Lost step with the extension: some updates did not arrive.' }, true);
        return;
      }
      store.setState({ ...state, loadError: null }, true);
      void requestSnapshot();
      return;
    }
    store.setState({ ...state, loadError: null }, true);
  }

  async function act(run: () => Promise<unknown>): Promise<boolean> {
    return (await ask(run)) !== null;
  }

  /** Run a request; its result, or null after showing why it failed. */
  async function ask<T>(run: () => Promise<T>): Promise<T | null> {
    try {
      const result = await run();
      if (store.getState().actionError !== null) store.setState({ actionError: null });
      return result;
    } catch (err) {
      store.setState({ actionError: errorText(err) });
      return null;
    }
  }

  /** Completions are best-effort: a failure shows nothing rather than an error banner. */
  async function quiet<T>(run: () => Promise<T>): Promise<T | null> {
    try { return await run(); } catch { return null; }
  }

  const actions: ChatActions = {
    send: (text, attachments, images) => act(() => bridge.request('chat/send', {
      text,
      ...(attachments?.length ? { attachments } : {}),
      ...(images?.length ? { images } : {}),
    })),
    stop: () => act(() => bridge.request('chat/stop', {})),
    stopSubagent: (agentId) => act(() => bridge.request('subagent/stop', { agentId })),
    openTranscript: (agentId) => act(() => bridge.request('agent/openTranscript', { agentId })),
    stopWorker: (workerId) => act(() => bridge.request('worker/stop', { workerId })),
    reviewWorker: (workerId) => act(() => bridge.request('worker/review', { workerId })),
    setCoordinator: (on) => act(() => bridge.request('coordinator/set', { on })),
    retry: () => act(() => bridge.request('chat/retry', {})),
    newSession: () => act(() => bridge.request('session/new', {})),
    promptKey: () => act(() => bridge.request('auth/promptKey', {})),
    useDemo: () => act(() => bridge.request('auth/useDemo', {})),
    answerApproval: (id, decision, options = {}) => act(() => bridge.request('decision/answer', {
      id,
      answer: decision === 'approve'
        ? { kind: 'approval', decision, scope: options.scope ?? 'once' }
        : { kind: 'approval', decision, ...(options.reason ? { reason: options.reason } : {}) },
    })),
    answerReview: (id, decision, acceptedHunks) => act(() => bridge.request('decision/answer', {
      id,
      answer: decision === 'apply' ? { kind: 'review', decision, acceptedHunks: acceptedHunks ?? [] } : { kind: 'review', decision },
    })),
    answerPlan: (id, answer) => act(() => bridge.request('decision/answer', { id, answer })),
    openReviewDiff: (id) => act(() => bridge.request('review/openDiff', { id })),
    setMode: (mode) => act(() => bridge.request('mode/set', { mode })),
    ultraPlan: async (task) => {
      const r = await ask(() => bridge.request('plan/ultra', { task }));
      if (r && !r.ok) store.setState({ actionError: r.error ?? 'The planning run could not start.' });
      return r?.ok ?? false;
    },
    listPlans: async () => (await ask(() => bridge.request('plan/list', {})))?.plans ?? null,
    planAction: (action, path) => ask(() => bridge.request(action === 'open' ? 'plan/open' : action === 'resume' ? 'plan/resume' : 'plan/abandon', { path })),
    setModel: (id) => act(() => bridge.request('panel/setModel', { id })),
    undoPreview: async () => { const r = await ask(() => bridge.request('checkpoint/preview', {})); return r === null ? undefined : r.target; },
    undoLastTurn: (turn) => ask(() => bridge.request('checkpoint/undo', { turn })),
    listSessions: async () => (await ask(() => bridge.request('session/list', {})))?.sessions ?? null,
    openSession: (id) => act(() => bridge.request('session/open', { id })),
    renameSession: (id, title) => act(() => bridge.request('session/rename', { id, title })),
    deleteSession: (id) => act(() => bridge.request('session/delete', { id })),
    mentionCandidates: async (query) => (await quiet(() => bridge.request('panel/mentionCandidates', { query })))?.candidates ?? null,
    listModels: () => quiet(() => bridge.request('panel/models', {})),
    mcpResources: async (query) => (await quiet(() => bridge.request('mcp/resources', { query })))?.candidates ?? null,
    mcpPrompts: async () => (await quiet(() => bridge.request('mcp/prompts', {})))?.prompts ?? null,
    expandPrompt: async (server, name, args) => (await ask(() => bridge.request('mcp/getPrompt', { server, name, args })))?.text ?? null,
    showActionError: (message) => store.setState({ actionError: message }),
    continueTask: () => act(() => bridge.request('chat/continue', {})),
    compact: (instructions) => act(() => bridge.request('chat/compact', instructions?.trim() ? { instructions: instructions.trim() } : {})),
    sessionNotes: () => ask(() => bridge.request('session/notes', {})),
    dismissActionError: () => store.setState({ actionError: null }),
    fillComposer: (text) => store.setState({ compose: { id: -(++fills), text, attachments: [], replace: true } }),
    dismissNotice: (id) => store.setState(dismissNotice(store.getState(), id), true),
    reload: () => {
      resyncs = 0;
      store.setState({ loadError: null });
      void requestSnapshot();
    },
  };

  return {
    store,
    actions,
    start() {
      if (started) return;
      started = true;
      unsubscribe = bridge.onEvent(onEvent);
      void requestSnapshot();
    },
    dispose() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
