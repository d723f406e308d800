/**
 * Strategies 4 and 5 and /compact: a compact boundary. Everything before it is replaced, in the projection only, by
 * one message: the summary (from the session notes, which cost no model call at that moment, or from a structured
 * summary request sent as a continuation of the cached prefix), the mechanical ledger, and the pinned items; a
 * recent tail is kept verbatim after it. Reactive compaction (the API said the prompt is too long) summarises only
 * the oldest part, since the whole no longer fits in one request.
 */
import { buildLedger, ledgerText, type LedgerTools } from './ledger';
import { isCutPoint } from './pairs';
import { pinnedText, type PinnedSources } from './pinned';
import { CONTINUATION_HEAD, CONTINUATION_TAIL } from './prompts';
import { itemTokens } from './tokens';
import type { HistoryItem } from '../session/project';
import type { TranscriptEntry } from '../session/entries';

/**
 * Where the verbatim tail starts: the earliest cut point whose tail stays within `budget` tokens (never inside a
 * tool_use/tool_result pair, never splitting an assistant turn). -1: keep nothing after the summary.
 */
export function tailStart(items: readonly HistoryItem[], budget: number, notBefore = 0): number {
  let tokens = 0;
  let best = -1;
  for (let i = items.length - 1; i >= Math.max(1, notBefore); i--) {
    tokens += itemTokens(items[i]!);
    if (tokens > budget) break;
    if (isCutPoint(items, i)) best = i;
  }
  return best;
}

/** The message the model sees in place of everything before the kept tail. */
export function continuationText(summary: string, entries: readonly TranscriptEntry[], tools: LedgerTools, pinned: PinnedSources, source: 'notes' | 'summary'): string {
  const parts = [
    CONTINUATION_HEAD,
    '',
    source === 'notes' ? '<summary source="session notes">' : '<summary>',
    summary,
    '</summary>',
    '',
    ledgerText(buildLedger(entries, tools)),
  ];
  const pins = pinnedText(pinned);
  if (pins) parts.push('', pins);
  parts.push('', CONTINUATION_TAIL);
  return parts.join('\n');
}

/** Human-readable lines of what a boundary dropped (for the panel). */
export function droppedLines(items: readonly HistoryItem[], keepFrom: number): string[] {
  const cut = keepFrom < 0 ? items.length : keepFrom;
  let user = 0;
  let assistant = 0;
  let results = 0;
  for (const it of items.slice(0, cut)) {
    if (it.role === 'assistant') assistant++;
    else if (it.content.some((b) => b.type === 'tool_result')) results++;
    else user++;
  }
  const n = (k: number, one: string, many: string) => (k ? [`${k} ${k === 1 ? one : many}`] : []);
  const parts = [...n(user, 'message of yours', 'messages of yours'), ...n(assistant, 'reply', 'replies'), ...n(results, 'set of tool results', 'sets of tool results')];
  return parts.length ? [`${parts.join(', ')} summarised (still here and in the transcript)`] : [];
}
