/**
 * Memory in `.agent/` (issue 6), as one object any host can use (the VS Code extension and the headless CLI):
 * the six tools, the per-session prelude (root rules + memory index, computed once per session), nested
 * rules notes for tool results, and the store the memory view talks to.
 */
import type { AnyTool } from '../tools/types';
import type { SessionContribution } from '../session/assemble';
import { buildPrelude } from './prelude';
import { NestedRules, touchedPath } from './rules';
import { TranscriptSearcher, type SearcherOptions } from './search/search';
import { MemoryStore } from './store';
import { createMemoryDeleteTool } from './tools/memory-delete';
import { createMemoryReadTool } from './tools/memory-read';
import { createMemoryViewTool } from './tools/memory-view';
import { createMemoryWriteTool } from './tools/memory-write';
import { createTranscriptReadTool } from './tools/transcript-read';
import { createTranscriptSearchTool } from './tools/transcript-search';

export { MemoryStore, memoryPaths, type MemoryChange, type LogEntry, type PendingWrite, type TopicSummary, type WriteOutcome } from './store';
export { TranscriptSearcher, type SearchQuery, type SearchResult, type SearchHit } from './search/search';
export { buildPrelude, estimateTokens } from './prelude';
export { NestedRules } from './rules';

/** What memory adds to every session, for any front end (the panel and the runner add the same). */
export function memoryContribution(memory: Memory): SessionContribution {
  return {
    tools: () => memory.tools(),
    // Root rules + memory index, computed on the first request of a session and then fixed (prompt cache).
    prelude: () => memory.prelude(),
    toolResultNote: (path) => memory.toolResultNote(path),
  };
}

export interface MemoryOptions {
  agentDir: string;
  workspaceRoot: string;
  now?(): number;
  search?: SearcherOptions;
}

export interface Memory {
  store: MemoryStore;
  searcher: TranscriptSearcher;
  tools(): AnyTool[];
  /** The prelude of the current session: computed on first use, then the same string until resetSession(). */
  prelude(): string | undefined;
  /** A session ended: the next prelude() is recomputed, nested rules are attached afresh. */
  resetSession(): void;
  /**
   * A note to append to a successful tool result: rules files (AGENTS.md / CLAUDE.md) of the folders a call that
   * read or wrote `path` (Tool.path) touched that this session has not seen yet. Undefined when there is nothing new.
   */
  toolResultNote(path: string): string | undefined;
  /** Problems the user should see (index over its limit, refused imports); called when a prelude is built. */
  onProblems(fn: (problems: string[]) => void): () => void;
  dispose(): void;
}

export function createMemory(opts: MemoryOptions): Memory {
  const now = opts.now ?? Date.now;
  const store = new MemoryStore(opts.agentDir, now);
  // What an interrupted write left behind (temp files, a topic without its index line) is repaired at start.
  let recovered = store.recover();
  const searcher = new TranscriptSearcher(opts.search);
  const nested = new NestedRules(opts.workspaceRoot);
  const services = { store, searcher, agentDir: opts.agentDir, now };
  const tools = [
    createMemoryViewTool(services), createMemoryReadTool(services), createMemoryWriteTool(services), createMemoryDeleteTool(services),
    createTranscriptSearchTool(services), createTranscriptReadTool(services),
  ];
  const problemListeners = new Set<(p: string[]) => void>();
  let cached: { text: string | undefined } | undefined;
  return {
    store,
    searcher,
    tools: () => tools,
    prelude() {
      if (!cached) {
        let built;
        try { built = buildPrelude(store, opts.workspaceRoot, now()); } catch (err) {
          built = { text: undefined, memory: undefined, problems: [`Could not load the rules and memory index: ${(err as Error).message}`] };
        }
        cached = { text: built.text };
        if (recovered.length) { built = { ...built, problems: [...recovered, ...built.problems] }; recovered = []; }
        if (built.problems.length) for (const l of problemListeners) { try { l(built.problems); } catch { /* ignore */ } }
      }
      return cached.text;
    },
    resetSession() { cached = undefined; nested.reset(); },
    toolResultNote(path) {
      const p = touchedPath({ path });
      if (!p) return undefined;
      try { return nested.noteFor(p); } catch { return undefined; }
    },
    onProblems(fn) { problemListeners.add(fn); return () => problemListeners.delete(fn); },
    dispose() { searcher.dispose(); },
  };
}
