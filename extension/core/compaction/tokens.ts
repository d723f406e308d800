/**
 * Token estimates for what the API has not counted yet (~4 characters a token, padded by a third, images at a
 * flat 1,600). The reported usage of the last response is the base; estimates cover only what came after it,
 * and what a compaction removed or added.
 */
import type { ContentParam, HistoryItem } from '../session/project';

const PAD = 4 / 3;

export function textTokens(text: string): number {
  return Math.ceil((text.length / 4) * PAD);
}

export function blockTokens(b: ContentParam): number {
  switch (b.type) {
    case 'text': return textTokens(b.text);
    case 'thinking': return textTokens(b.thinking);
    case 'redacted_thinking': return textTokens(b.data);
    case 'tool_use': return textTokens(b.name) + textTokens(JSON.stringify(b.input ?? {}));
    case 'tool_result': return 4 + (typeof b.content === 'string' ? textTokens(b.content) : (b.content ?? []).reduce((n, c) => n + (c.type === 'text' ? textTokens(c.text) : 1_600), 0));
    case 'image': return 1_600;
    default: return textTokens(JSON.stringify(b));
  }
}

export function itemTokens(it: HistoryItem): number {
  let n = 4;
  for (const b of it.content) n += blockTokens(b);
  return n;
}

export function itemsTokens(items: readonly HistoryItem[]): number {
  let n = 0;
  for (const it of items) n += itemTokens(it);
  return n;
}

/** The text of a tool_result block's content. */
export function resultText(b: Extract<ContentParam, { type: 'tool_result' }>): string {
  return typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => (c.type === 'text' ? c.text : '[image]')).join('\n');
}
