/**
 * The background's store in the webview: proactive mode's state, the notices feed, and the last dream (for the
 * memory view). Loads `background/state` once, then applies the host's events; every user action is a request
 * and the host decides (the fix prompt never passes through the webview: it asks by notice id).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type Bridge } from '../../bridge';
import type { BackgroundNotice, DreamInfo, EventMessage, ProactiveInfo } from '../../protocol';

export interface BackgroundState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  proactive: ProactiveInfo | null;
  /** Newest first, one per key. */
  notices: BackgroundNotice[];
  lastDream: DreamInfo | null;
  /** What is being asked of the host now (buttons show it and do not ask twice). */
  busy: { toggle: boolean; dream: boolean; undo: boolean; fix: string | null; settle: string | null };
  /** The outcome of the last action, for the user ("Nothing to dream about: ...", "Undone: 2 files restored"). */
  note: string | null;
  error: string | null;
}

export interface BackgroundActions {
  load(): Promise<void>;
  setProactive(enabled: boolean): Promise<boolean>;
  fix(id: string): Promise<boolean>;
  dismiss(id: string): Promise<boolean>;
  dreamNow(): Promise<boolean>;
  undoDream(id: string): Promise<boolean>;
  settle(slug: string, accept: boolean): Promise<boolean>;
  dismissNote(): void;
  dismissError(): void;
}

export interface BackgroundStore { store: StoreApi<BackgroundState>; actions: BackgroundActions; dispose(): void }

export const NOTICES_MAX = 50;

export function initialBackgroundState(): BackgroundState {
  return { status: 'idle', proactive: null, notices: [], lastDream: null, busy: { toggle: false, dream: false, undo: false, fix: null, settle: null }, note: null, error: null };
}

/** A new notice goes first; an older one that says the same thing (same key or id) is dropped: duplicates are suppressed. */
export function addNotice(list: BackgroundNotice[], n: BackgroundNotice): BackgroundNotice[] {
  return [n, ...list.filter((x) => x.key !== n.key && x.id !== n.id)].sort((a, b) => b.ts - a.ts).slice(0, NOTICES_MAX);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function createBackgroundStore(bridge: Bridge): BackgroundStore {
  const store = createStore<BackgroundState>(() => initialBackgroundState());
  const set = (p: Partial<BackgroundState>) => store.setState(p);
  const busy = (p: Partial<BackgroundState['busy']>) => set({ busy: { ...store.getState().busy, ...p } });
  const fail = (err: unknown) => { set({ error: errorText(err) }); return false; };

  const unsubscribe = bridge.onEvent((e: EventMessage) => {
    const s = store.getState();
    if (e.name === 'proactive/status') set({ proactive: e.data as ProactiveInfo });
    else if (e.name === 'proactive/notice') set({ notices: addNotice(s.notices, e.data as BackgroundNotice) });
    else if (e.name === 'dream/changed') set({ lastDream: (e.data as { dream: DreamInfo | null }).dream });
  });

  const actions: BackgroundActions = {
    async load() {
      if (store.getState().status !== 'ready') set({ status: 'loading' });
      try {
        const r = await bridge.request('background/state', {});
        // Events that arrived while loading are newer than nothing; the loaded list is merged under them.
        const live = store.getState().notices;
        set({ status: 'ready', proactive: r.proactive, notices: live.reduce(addNotice, r.notices.slice(0, NOTICES_MAX)), lastDream: r.lastDream, error: null });
      } catch (err) { set({ status: 'error', error: errorText(err) }); }
    },
    async setProactive(enabled) {
      if (store.getState().busy.toggle) return false;
      busy({ toggle: true });
      try {
        const r = await bridge.request('proactive/set', { enabled });
        set({ proactive: r.proactive, note: r.warning ?? null });
        return true;
      } catch (err) { return fail(err); } finally { busy({ toggle: false }); }
    },
    async fix(id) {
      if (store.getState().busy.fix) return false;
      busy({ fix: id });
      try {
        const r = await bridge.request('notice/fix', { id });
        if (!r.ok) { set({ error: r.error ?? 'The fix could not be started.' }); return false; }
        return true;
      } catch (err) { return fail(err); } finally { busy({ fix: null }); }
    },
    async dismiss(id) {
      // Gone from the feed at once; the host remembers it, so a reload does not bring it back.
      set({ notices: store.getState().notices.filter((n) => n.id !== id) });
      try { return (await bridge.request('notice/dismiss', { id })).ok; } catch (err) { return fail(err); }
    },
    async dreamNow() {
      if (store.getState().busy.dream) return false;
      busy({ dream: true });
      set({ note: null });
      try {
        const r = await bridge.request('dream/now', {});
        if (r.dream) set({ lastDream: r.dream });
        if (r.status === 'skipped') set({ note: `No dream: ${r.reason ?? 'it could not start'}.` });
        else if (r.status === 'rolled_back') set({ note: `The dream was rolled back; memory is as it was: ${r.reason ?? ''}` });
        else if (r.dream && r.dream.diff.length === 0) set({ note: 'Cairn dreamed and found nothing to change.' });
        return r.status === 'done';
      } catch (err) { return fail(err); } finally { busy({ dream: false }); }
    },
    async undoDream(id) {
      if (store.getState().busy.undo) return false;
      busy({ undo: true });
      try {
        const r = await bridge.request('dream/undo', { id });
        if (!r.ok) { set({ error: r.error ?? 'The dream could not be undone.' }); return false; }
        set({ note: `Dream undone: ${plural(r.restored.length, 'file')} restored${r.conflicts.length ? `; kept because they changed since: ${r.conflicts.join(', ')}` : ''}.` });
        return true;
      } catch (err) { return fail(err); } finally { busy({ undo: false }); }
    },
    async settle(slug, accept) {
      const d = store.getState().lastDream;
      if (!d || store.getState().busy.settle) return false;
      busy({ settle: slug });
      try {
        const r = await bridge.request('dream/settle', { id: d.id, slug, accept });
        if (!r.ok) { set({ error: r.error ?? 'The proposal could not be settled.' }); return false; }
        return true;
      } catch (err) { return fail(err); } finally { busy({ settle: null }); }
    },
    dismissNote() { set({ note: null }); },
    dismissError() { set({ error: null }); },
  };
  return { store, actions, dispose: unsubscribe };
}
