/**
 * The MCP panel's own store: the servers, hooks and configuration problems as the host last reported them
 * (`mcp/status` once, then every `mcp/changed`, which carries the whole status), and the restart action.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorText, type Bridge } from '../../bridge';
import type { EventData, EventMessage, ExtensionsStatus } from '../../protocol';

export interface McpState extends ExtensionsStatus {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Servers a restart was asked for and has not answered yet. */
  restarting: string[];
  error: string | null;
}

export interface McpActions {
  load(): Promise<void>;
  restart(name: string): Promise<boolean>;
  dismissError(): void;
}

export interface McpStore { store: StoreApi<McpState>; actions: McpActions; dispose(): void }

export function initialMcpState(): McpState {
  return { status: 'idle', servers: [], hooks: [], problems: [], restarting: [], error: null };
}

/** Servers or hooks that need the user's attention (failed, blocked, a hook's last run failed). */
export function attention(s: ExtensionsStatus): number {
  return s.servers.filter((x) => x.state === 'failed' || x.state === 'blocked').length + s.hooks.filter((h) => h.state === 'blocked' || h.lastProblem).length + s.problems.length;
}

export function createMcpStore(bridge: Bridge): McpStore {
  const store = createStore<McpState>(() => initialMcpState());
  const unsubscribe = bridge.onEvent((e: EventMessage) => {
    if (e.name !== 'mcp/changed') return;
    const d = e.data as EventData<'mcp/changed'>;
    store.setState({ status: 'ready', servers: d.servers, hooks: d.hooks, problems: d.problems });
  });
  const actions: McpActions = {
    async load() {
      if (store.getState().status !== 'ready') store.setState({ status: 'loading' });
      try {
        const r = await bridge.request('mcp/status', {});
        store.setState({ status: 'ready', servers: r.servers, hooks: r.hooks, problems: r.problems });
      } catch (err) {
        if (store.getState().status !== 'ready') store.setState({ status: 'error' });
        store.setState({ error: errorText(err) });
      }
    },
    async restart(name) {
      store.setState((s) => ({ restarting: [...s.restarting.filter((n) => n !== name), name], error: null }));
      try {
        const r = await bridge.request('mcp/restart', { name });
        if (!r.ok) store.setState({ error: `No MCP server named "${name}" is configured any more.` });
        return r.ok;
      } catch (err) {
        store.setState({ error: errorText(err) });
        return false;
      } finally {
        store.setState((s) => ({ restarting: s.restarting.filter((n) => n !== name) }));
      }
    },
    dismissError() { store.setState({ error: null }); },
  };
  return { store, actions, dispose: unsubscribe };
}
