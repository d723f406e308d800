/**
 * How each compaction entry changes the projected history at its position (registered with the history
 * projection, so a live session and a resumed one apply exactly the same steps). None mutates its input.
 */
import type { CompactionEntry, TranscriptEntry } from '../session/entries';
import type { ContentParam, HistoryItem, ProjectionSteps } from '../session/project';
import { indexOfItem } from './pairs';

function replaceResults(items: readonly HistoryItem[], targets: ReadonlyArray<{ toolUseId: string; text: string }>): HistoryItem[] {
  const byId = new Map(targets.map((t) => [t.toolUseId, t.text]));
  return items.map((it) => {
    if (it.role !== 'user' || !it.content.some((b) => b.type === 'tool_result' && byId.has(b.tool_use_id))) return it;
    const content = it.content.map((b): ContentParam => (b.type === 'tool_result' && byId.has(b.tool_use_id)
      ? { type: 'tool_result', tool_use_id: b.tool_use_id, content: byId.get(b.tool_use_id)!, ...(b.is_error ? { is_error: true } : {}) }
      : b));
    return { ...it, content };
  });
}

/** A summary in place of a span [from, to] of whole exchanges. */
function collapse(items: readonly HistoryItem[], e: CompactionEntry): HistoryItem[] {
  const a = indexOfItem(items, e.from);
  const b = indexOfItem(items, e.to);
  if (a < 0 || b < a || !e.summary) return items.slice();
  const note: HistoryItem = { id: e.id, role: 'user', content: [{ type: 'text', text: e.summary }] };
  return [...items.slice(0, a), note, ...items.slice(b + 1)];
}

/** The summary message in place of everything before `keepFrom` (or of everything, without it). */
function boundary(items: readonly HistoryItem[], e: CompactionEntry): HistoryItem[] {
  const head: HistoryItem = { id: e.id, role: 'user', content: [{ type: 'text', text: e.attach ?? e.summary ?? '' }] };
  const k = indexOfItem(items, e.keepFrom);
  return [head, ...(k >= 0 ? items.slice(k) : [])];
}

function step(items: readonly HistoryItem[], entry: TranscriptEntry): HistoryItem[] {
  if (entry.t !== 'compaction') return items.slice();
  switch (entry.op) {
    case 'snip':
    case 'microcompact': return replaceResults(items, entry.targets ?? []);
    case 'collapse': return collapse(items, entry);
    case 'compact_boundary': return boundary(items, entry);
    default: return items.slice();
  }
}

export const COMPACTION_STEPS: ProjectionSteps = { compaction: step };
