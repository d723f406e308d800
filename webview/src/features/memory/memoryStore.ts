/**
 * The memory view's own store: loads `memory/list` once, then applies `memory/changed` deltas from the host
 * (the host decides; the view renders and asks). User actions are requests; their failures are kept to show.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type Bridge } from '../../bridge';
import type { EventData, EventMessage, MemoryIndexInfo, MemoryLogEntry, MemoryPending, MemoryTopicSummary } from '../../protocol';

export interface MemoryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  index: MemoryIndexInfo | null;
  topics: MemoryTopicSummary[];
  pending: MemoryPending[];
  /** Newest last, at most LOG_MAX. */
  log: MemoryLogEntry[];
  /** The topic open for viewing/editing: its raw text as loaded, and the draft. */
  open: { slug: string; text: string | null; draft: string } | null;
  error: string | null;
}

export interface MemoryActions {
  load(): Promise<void>;
  openTopic(slug: string): Promise<void>;
  closeTopic(): void;
  setDraft(text: string): void;
  save(): Promise<boolean>;
  remove(slug: string): Promise<boolean>;
  approve(id: string): Promise<boolean>;
  discard(id: string): Promise<boolean>;
  dismissError(): void;
}

export interface MemoryStore { store: StoreApi<MemoryState>; actions: MemoryActions; dispose(): void }

export const LOG_MAX = 200;

export function initialMemoryState(): MemoryState {
  return { status: 'idle', index: null, topics: [], pending: [], log: [], open: null, error: null };
}

/** Apply one `memory/changed` event (pure). */
export function applyMemoryChange(s: MemoryState, c: EventData<'memory/changed'>): MemoryState {
  let topics = s.topics;
  const slug = c.entry.slug;
  if (c.topic) {
    const t = c.topic;
    topics = topics.some((x) => x.slug === t.slug) ? topics.map((x) => (x.slug === t.slug ? t : x)) : [...topics, t].sort((a, b) => a.slug.localeCompare(b.slug));
  } else if (c.entry.op === 'delete') {
    topics = topics.filter((x) => x.slug !== slug);
  }
  let pending = s.pending;
  if (c.pending) pending = [...pending.filter((p) => p.id !== c.pending!.id), c.pending];
  if (c.pendingRemoved) pending = pending.filter((p) => p.id !== c.pendingRemoved);
  const log = [...s.log, c.entry].slice(-LOG_MAX);
  const open = s.open && s.open.slug === slug && c.entry.op === 'delete' ? null : s.open;
  return { ...s, topics, pending, log, open, index: c.index ?? s.index };
}

export function createMemoryStore(bridge: Bridge): MemoryStore {
  const store = createStore<MemoryState>(() => initialMemoryState());
  const set = (p: Partial<MemoryState>) => store.setState(p);
  const fail = (err: unknown) => { set({ error: errorText(err) }); return false; };
  const unsubscribe = bridge.onEvent((e: EventMessage) => {
    // A dream's undo puts files back without a change per file: load the whole view again.
    if (e.name === 'dream/changed') { if (store.getState().status === 'ready') void actions.load(); return; }
    if (e.name !== 'memory/changed') return;
    const s = store.getState();
    if (s.status !== 'ready') return; // the pending load brings the state
    store.setState(applyMemoryChange(s, e.data as EventData<'memory/changed'>));
    const open = store.getState().open;
    const topic = (e.data as EventData<'memory/changed'>).topic;
    // The open topic changed underneath an unedited view: reload it.
    if (open && topic && topic.slug === open.slug && open.draft === (open.text ?? '')) void actions.openTopic(open.slug);
  });

  const actions: MemoryActions = {
    async load() {
      set({ status: store.getState().status === 'ready' ? 'ready' : 'loading' });
      try {
        const r = await bridge.request('memory/list', {});
        set({ status: 'ready', index: r.index, topics: r.topics, pending: r.pending, log: r.log.slice(-LOG_MAX), error: null });
      } catch (err) {
        set({ status: 'error', error: errorText(err) });
      }
    },
    async openTopic(slug) {
      try {
        const r = await bridge.request('memory/read', { slug });
        set({ open: { slug, text: r.text, draft: r.text ?? '' } });
      } catch (err) { fail(err); }
    },
    closeTopic() { set({ open: null }); },
    setDraft(text) { const o = store.getState().open; if (o) set({ open: { ...o, draft: text } }); },
    async save() {
      const o = store.getState().open;
      if (!o) return false;
      try {
        const r = await bridge.request('memory/save', { slug: o.slug, text: o.draft });
        if (!r.ok) { set({ error: r.error ?? 'The memory was not saved.' }); return false; }
        set({ open: { ...o, text: o.draft } });
        return true;
      } catch (err) { return fail(err); }
    },
    async remove(slug) {
      try {
        const r = await bridge.request('memory/delete', { slug });
        if (!r.ok) { set({ error: r.error ?? 'The memory was not deleted.' }); return false; }
        return true;
      } catch (err) { return fail(err); }
    },
    async approve(id) {
      try {
        const r = await bridge.request('memory/approve', { id });
        if (!r.ok) { set({ error: r.error ?? 'The memory was not written.' }); return false; }
        return true;
      } catch (err) { return fail(err); }
    },
    async discard(id) {
      try { return (await bridge.request('memory/discard', { id })).ok; } catch (err) { return fail(err); }
    },
    dismissError() { set({ error: null }); },
  };
  return { store, actions, dispose: unsubscribe };
}
