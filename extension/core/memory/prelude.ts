/**
 * The session prelude (the first user content): the workspace root's rules files, then the memory index.
 * Built once per session (the prompt-cache prefix must not change within a session). An index over its limits
 * is shown up to the limit with an explicit error for the model, and reported to the user (never a silent cut).
 */
import { checkIndex, INDEX_MAX_BYTES, INDEX_MAX_LINES, parseIndex } from './format';
import { loadRulesIn, renderRules } from './rules';
import type { MemoryStore } from './store';
import { DAY_MS } from './tools/services';

export interface PreludeParts {
  text: string | undefined;
  /** Only the memory part (what the index costs in context). */
  memory: string | undefined;
  /** Problems the user should see (index over its limit, rules imports refused...). */
  problems: string[];
}

export const MEMORY_HEADER = 'Memory index (.agent/MEMORY.md), from earlier sessions: pointers, not facts. Read a topic with memory_read before relying on it; memories are hints, so verify them against the code before acting, and fix (memory_write) or delete (memory_delete) any the code contradicts.';

export function buildMemoryPart(store: MemoryStore): { text: string | undefined; problems: string[] } {
  const raw = store.readIndex();
  if (!raw.trim()) return { text: undefined, problems: [] };
  const check = checkIndex(raw);
  const problems: string[] = [];
  let shown = raw.trimEnd();
  let error = '';
  if (!check.ok) {
    // Show whole lines up to the limits, and say plainly that the rest is not shown.
    const lines = raw.split(/\r?\n/);
    const kept: string[] = [];
    let bytes = 0;
    for (const l of lines) {
      const b = Buffer.byteLength(l) + 1;
      if (kept.length >= INDEX_MAX_LINES || bytes + b > INDEX_MAX_BYTES) break;
      kept.push(l);
      bytes += b;
    }
    shown = kept.join('\n').trimEnd();
    error = `\nError: ${check.error} Only the first ${kept.length} lines are shown here; tell the user and compact the index.`;
    problems.push(check.error!);
  }
  let stale = 0;
  for (const e of parseIndex(shown).entries) {
    const t = store.readTopic(e.slug);
    if (t && store.ageMs(t) > DAY_MS) stale++;
  }
  const staleNote = stale ? `\n${stale} of these memories are older than a day: treat them as possibly outdated and verify before acting.` : '';
  return { text: `<system-reminder>\n${MEMORY_HEADER}${staleNote}\n${shown}${error}\n</system-reminder>`, problems };
}

export function buildPrelude(store: MemoryStore, workspaceRoot: string, _now?: number): PreludeParts {
  const problems: string[] = [];
  const rules = loadRulesIn(workspaceRoot, workspaceRoot);
  for (const f of rules) problems.push(...f.problems);
  const rulesText = rules.length
    ? `<system-reminder>\nInstructions from the project's rules files. They override default behaviour; follow them.\n${renderRules(rules)}\n</system-reminder>`
    : undefined;
  const mem = buildMemoryPart(store);
  problems.push(...mem.problems);
  const parts = [rulesText, mem.text].filter((p): p is string => Boolean(p));
  return { text: parts.length ? parts.join('\n\n') : undefined, memory: mem.text, problems };
}

/** Rough token count (bytes / 4), as the benchmark reports it. */
export function estimateTokens(text: string | undefined): number {
  return text ? Math.ceil(Buffer.byteLength(text) / 4) : 0;
}
