/**
 * Where a history may be cut, and the check that nothing orphaned reaches the API: every tool_use answered by a
 * tool_result in the next message and every tool_result answering a tool_use of the message before it; thinking
 * blocks only at the head of assistant messages that keep their whole turn.
 */
import type { ApiMessage } from '../providers/types';
import type { HistoryItem } from '../session/project';

const hasResults = (it: HistoryItem) => it.content.some((b) => b.type === 'tool_result');

/** True when a history may continue at item `i` after a summary: a message the user wrote (no tool results), or an assistant message. */
export function isCutPoint(items: readonly HistoryItem[], i: number): boolean {
  const it = items[i];
  if (!it) return false;
  return it.role === 'assistant' || !hasResults(it);
}

/** Index of item `id`, or -1. */
export function indexOfItem(items: readonly HistoryItem[], id: string | undefined): number {
  if (id === undefined) return -1;
  for (let i = 0; i < items.length; i++) if (items[i]!.id === id) return i;
  return -1;
}

/** Indexes of the items that start an exchange: messages the user wrote (not tool results). */
export function exchangeStarts(items: readonly HistoryItem[]): number[] {
  const out: number[] = [];
  items.forEach((it, i) => { if (it.role === 'user' && !hasResults(it)) out.push(i); });
  return out;
}

const toolUseIds = (m: ApiMessage | undefined): Set<string> =>
  new Set(m && m.role === 'assistant' && typeof m.content !== 'string' ? m.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) : []);
const toolResultIds = (m: ApiMessage | undefined): Set<string> =>
  new Set(m && m.role === 'user' && typeof m.content !== 'string' ? m.content.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : [])) : []);

/** Problems that would make the API refuse the messages (empty: valid). The last assistant message may still await its results. */
export function pairProblems(messages: readonly ApiMessage[]): string[] {
  const problems: string[] = [];
  if (messages[0] && messages[0].role !== 'user') problems.push('the first message is not the user\'s');
  messages.forEach((m, i) => {
    if (i > 0 && messages[i - 1]!.role === m.role) problems.push(`messages ${i - 1} and ${i} have the same role`);
    if (typeof m.content === 'string') return;
    if (m.role === 'user') {
      const uses = toolUseIds(messages[i - 1]);
      for (const id of toolResultIds(m)) if (!uses.has(id)) problems.push(`message ${i}: tool_result ${id} answers no tool_use of the message before it`);
      if (m.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking')) problems.push(`message ${i}: a thinking block in a user message`);
      return;
    }
    const next = messages[i + 1];
    if (next) {
      const answered = toolResultIds(next);
      for (const id of toolUseIds(m)) if (!answered.has(id)) problems.push(`message ${i}: tool_use ${id} has no tool_result in the next message`);
    }
    let seenOther = false;
    for (const b of m.content) {
      if (b.type === 'thinking' || b.type === 'redacted_thinking') { if (seenOther) problems.push(`message ${i}: a thinking block after other content`); }
      else seenOther = true;
    }
  });
  return problems;
}
