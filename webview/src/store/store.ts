/**
 * The zustand wrapper around the pure reducer. It asks the host for `session/snapshot` once on start, buffers
 * events that arrive while a snapshot is on its way, and asks again (once at a time) when the reducer reports
 * the state went stale (a seq gap or an event that did not fit). User actions are plain requests: the host
 * decides and answers with events; only request failures are kept here, to show them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type Bridge } from '../bridge';
import type { EventMessage, Snapshot } from '../protocol';
import { applyEvent, dismissNotice } from './reducer';
import { initialChatState, loadSnapshot, type ChatState } from './state';

export interface ViewState extends ChatState {
  /** Why the session could not be loaded (shown with a reload button); null when fine. */
  loadError: string | null;
  /** The last user action that failed (a request the host refused or never answered); null when none. */
  actionError: string | null;
}

export interface ChatActions {
  send(text: string): Promise<boolean>;
  stop(): Promise<boolean>;
  retry(): Promise<boolean>;
  newSession(): Promise<boolean>;
  promptKey(): Promise<boolean>;
  useDemo(): Promise<boolean>;
  /** Answer an approval prompt (for this call only; broader scopes belong to a later UI). */
  answerApproval(id: string, decision: 'approve' | 'reject'): Promise<boolean>;
  /** Continue the task without a new message (after a stop or a step limit). */
  continueTask(): Promise<boolean>;
  dismissActionError(): void;
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
    try {
      await run();
      if (store.getState().actionError !== null) store.setState({ actionError: null });
      return true;
    } catch (err) {
      store.setState({ actionError: errorText(err) });
      return false;
    }
  }

  const actions: ChatActions = {
    send: (text) => act(() => bridge.request('chat/send', { text })),
    stop: () => act(() => bridge.request('chat/stop', {})),
    retry: () => act(() => bridge.request('chat/retry', {})),
    newSession: () => act(() => bridge.request('session/new', {})),
    promptKey: () => act(() => bridge.request('auth/promptKey', {})),
    useDemo: () => act(() => bridge.request('auth/useDemo', {})),
    answerApproval: (id, decision) => act(() => bridge.request('approval/answer', { id, decision, scope: 'once' })),
    continueTask: () => act(() => bridge.request('chat/continue', {})),
    dismissActionError: () => store.setState({ actionError: null }),
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
