/** The API history and the few rules that keep it valid (roles alternate; every tool_use is answered). */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage } from '../providers/types';

export type ContentParam = Anthropic.ContentBlockParam;

/** Append content as a message; consecutive messages of one role are merged so roles keep alternating. */
export function appendHistory(history: ApiMessage[], role: ApiMessage['role'], content: ContentParam[]): void {
  const last = history[history.length - 1];
  if (last && last.role === role) {
    const prev = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
    // tool_result blocks must come first in a user message
    const merged = [...prev, ...content];
    const results = merged.filter((b) => b.type === 'tool_result');
    const rest = merged.filter((b) => b.type !== 'tool_result');
    last.content = role === 'user' ? [...results, ...rest] : merged;
    return;
  }
  history.push({ role, content: [...content] } as ApiMessage);
}

/** The tool_use blocks of the last assistant message that no later user message answers. */
export function unansweredToolUses(history: ApiMessage[]): Anthropic.ToolUseBlockParam[] {
  const last = history[history.length - 1];
  if (!last || last.role !== 'assistant' || typeof last.content === 'string') return [];
  return last.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
}

export const INTERRUPTED_BY_USER = 'Interrupted by the user before this tool finished. It may have been partly applied; check before retrying.';
export const INTERRUPTED_BY_CRASH = 'The session stopped (the editor or process exited) while this tool was running. It was not re-run; check its effects before retrying.';
export const NOT_RUN = 'Not run: the turn was stopped before this tool started.';
