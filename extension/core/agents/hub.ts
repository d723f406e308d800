/**
 * A session's subagents: the bound on how many run at once, their stop handles, and the live status front ends
 * show (a card per subagent). One hub per session, shared by every depth, so the bound holds across all of them.
 */
import type { Usage } from '../providers/types';
import { loadAgentTypes, type LoadedTypes } from './load';

export interface SubagentSettings {
  /** How deep subagents may nest: 1 = the main agent may start subagents, a subagent may not. */
  maxDepth: number;
  /** How many subagents run at once (more wait their turn). */
  maxParallel: number;
}

export const DEFAULT_SUBAGENT_SETTINGS: SubagentSettings = { maxDepth: 1, maxParallel: 4 };

export type SubagentState = 'queued' | 'running' | 'completed' | 'error' | 'aborted' | 'interrupted';

/** A subagent's status as a front end shows it. */
export interface SubagentStatus {
  agentId: string;
  /** The parent's tool call that started it. */
  toolUseId: string;
  type: string;
  description: string;
  depth: number;
  state: SubagentState;
  /** The tool it is running now ("Read src/a.ts"). */
  currentTool?: string;
  toolCount: number;
  usage: Usage;
  costUsd?: number;
  /** Its final report (bounded), once it has one. */
  report?: string;
  /** Its transcript, relative to the workspace. */
  transcript: string;
}

export class SubagentHub {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly controllers = new Map<string, AbortController>();
  private readonly listeners = new Set<(s: SubagentStatus) => void>();
  private loaded: LoadedTypes | undefined;

  constructor(private readonly agentDir: string, readonly settings: () => SubagentSettings = () => DEFAULT_SUBAGENT_SETTINGS) {}

  /** The types for this session, read once (the `agent` tool's description must not change mid-session). */
  types(): LoadedTypes {
    return (this.loaded ??= loadAgentTypes(this.agentDir));
  }

  /** Wait for a free slot; resolves with its release (call once). Rejects when the signal aborts first. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    const limit = Math.max(1, this.settings().maxParallel);
    if (this.running >= limit) {
      await new Promise<void>((resolve, reject) => {
        const go = () => { signal.removeEventListener('abort', stop); resolve(); };
        const stop = () => { const i = this.waiting.indexOf(go); if (i >= 0) this.waiting.splice(i, 1); reject(new Error('aborted')); };
        if (signal.aborted) return stop();
        signal.addEventListener('abort', stop, { once: true });
        this.waiting.push(go);
      });
    }
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      if (this.running < Math.max(1, this.settings().maxParallel)) this.waiting.shift()?.();
    };
  }

  register(agentId: string, controller: AbortController): () => void {
    this.controllers.set(agentId, controller);
    return () => { this.controllers.delete(agentId); };
  }

  /** Stop one subagent (the user's stop button); its parent goes on with what it reported so far. */
  stop(agentId: string): boolean {
    const c = this.controllers.get(agentId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Ids of the subagents running now. */
  active(): string[] { return [...this.controllers.keys()]; }

  subscribe(fn: (s: SubagentStatus) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  emit(s: SubagentStatus): void {
    for (const l of this.listeners) {
      try { l({ ...s }); } catch { /* a broken subscriber must not break the subagent */ }
    }
  }
}
