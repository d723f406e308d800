/**
 * The system prompt. The static part never changes within a session (it heads the cached prefix);
 * nothing volatile (dates, ids, counters, paths that change) may appear in it.
 */
import type { ApiSystemBlock } from '../providers/types';

export const STATIC_SYSTEM_PROMPT = [
  'You are Cairn, a coding agent working inside the user\'s editor on their workspace.',
  'Be direct and concrete. Prefer small, verifiable steps. When you are unsure about code, read it before you act;',
  'treat anything you remember about the code as a hint to verify, not as a fact.',
  'Format answers in GitHub-flavoured Markdown; put code in fenced blocks with a language tag.',
].join('\n');

export function systemBlocks(): ApiSystemBlock[] {
  return [{ type: 'text', text: STATIC_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }];
}
