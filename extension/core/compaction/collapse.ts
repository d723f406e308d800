/**
 * Strategy 3, context collapse: an old, tool-heavy span of whole exchanges is condensed by a small model into a
 * record that replaces the span in the projection only (the transcript and the panel keep it). Cheaper than a full
 * summary, and it leaves the recent work untouched.
 */
import type { HistoryItem } from '../session/project';
import { exchangeStarts } from './pairs';
import { itemTokens, resultText } from './tokens';

export interface Span { from: number; to: number; tokens: number }

/**
 * The oldest run of tool-heavy exchanges (tool results at least half their tokens), leaving the last `keepExchanges`
 * exchanges alone, of at least `minTokens` and at most `maxTokens`. Undefined when there is none worth collapsing.
 */
export function pickSpan(items: readonly HistoryItem[], o: { keepExchanges: number; minTokens: number; maxTokens: number }): Span | undefined {
  const starts = exchangeStarts(items);
  if (starts.length <= o.keepExchanges) return undefined;
  const candidates = starts.slice(0, starts.length - o.keepExchanges);
  let span: Span | undefined;
  for (let k = 0; k < candidates.length; k++) {
    const a = candidates[k]!;
    const b = (starts[k + 1] ?? items.length) - 1;
    let tokens = 0;
    let resultTokens = 0;
    for (let i = a; i <= b; i++) {
      const it = items[i]!;
      const n = itemTokens(it);
      tokens += n;
      if (it.content.some((x) => x.type === 'tool_result')) resultTokens += n;
    }
    const heavy = resultTokens >= tokens / 2;
    if (!heavy) { if (span && span.tokens >= o.minTokens) return span; span = undefined; continue; }
    if (span && span.tokens + tokens > o.maxTokens) return span.tokens >= o.minTokens ? span : undefined;
    span = span ? { from: span.from, to: b, tokens: span.tokens + tokens } : { from: a, to: b, tokens };
  }
  return span && span.tokens >= o.minTokens ? span : undefined;
}

/** The span as plain text for the small model (long results cut). */
export function renderSpan(items: readonly HistoryItem[], span: Span): string {
  const out: string[] = [];
  for (let i = span.from; i <= span.to; i++) {
    const it = items[i]!;
    for (const b of it.content) {
      if (b.type === 'text') out.push(`${it.role === 'user' ? 'USER' : 'AGENT'}: ${b.text}`);
      else if (b.type === 'tool_use') out.push(`AGENT CALLS ${b.name} ${JSON.stringify(b.input ?? {}).slice(0, 600)}`);
      else if (b.type === 'tool_result') {
        const t = resultText(b);
        out.push(`RESULT${b.is_error ? ' (error)' : ''}: ${t.length > 2_500 ? `${t.slice(0, 2_000)}\n… (${t.length - 2_000} more characters)` : t}`);
      }
    }
  }
  return out.join('\n\n');
}

export const COLLAPSE_HEAD = '[cairn] Summary of earlier work (collapsed to save context; the full record stays in the transcript and transcript_search finds it):';
