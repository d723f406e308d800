/** The instructions of context management's side requests (summary, collapse, session notes), and how their answers are read. */

export const SUMMARY_INSTRUCTION = [
  '[cairn] The conversation is about to be compacted: everything above will be replaced by your summary, so the work can go on in a fresh context.',
  'Do not call any tools now; answer with text only.',
  'First think in an <analysis> block (walk through the conversation in order: each request of the user, what you did, decisions, files and code, errors and how they were fixed). Then write the summary in a <summary> block with these sections:',
  '1. Primary request and intent: every explicit request of the user, in detail.',
  '2. Key technical concepts.',
  '3. Files and code: the files examined, changed or created, why each matters, with the important snippets.',
  '4. Errors and fixes, including what the user said about them.',
  '5. Problem solving: what was solved and what is still being investigated.',
  '6. All user messages: every message the user wrote (not tool results), in order.',
  '7. Pending tasks: only what the user asked for and is not done.',
  '8. Current work: precisely what was being done just before this summary, with file names and snippets.',
  '9. Next step: the next step, in line with the latest explicit request, quoting it; none if the task is done.',
  'Do not mark anything done that the transcript does not show as done; a ledger of files changed and commands run will be attached beside your summary.',
].join('\n');

export function summaryInstruction(extra?: string): string {
  return extra?.trim() ? `${SUMMARY_INSTRUCTION}\n\nThe user asked this summary to focus on: ${extra.trim()}` : SUMMARY_INSTRUCTION;
}

export const NOTES_INSTRUCTION = [
  '[cairn] Update the session notes (you are not being asked to continue the task; do not call any tools; answer with the notes only, in Markdown).',
  'The notes let this session continue after its context is compacted, and let a later session pick it up. Keep these sections, each short and factual:',
  '## Current task — what the user wants now, in their words where possible.',
  '## Decisions — what was decided and why.',
  '## Files — files read, changed or created, and what matters about each.',
  '## Errors and fixes',
  '## Next step',
  'Only write what the conversation shows; mark nothing done that is not done. At most about 1,500 words.',
].join('\n');

export function notesInstruction(current: string | undefined): string {
  return current?.trim() ? `${NOTES_INSTRUCTION}\n\nThe notes so far (rewrite them, keeping what is still true):\n<notes>\n${current.trim()}\n</notes>` : NOTES_INSTRUCTION;
}

export const COLLAPSE_SYSTEM = [
  'You condense a finished span of a coding agent\'s work into a short record the agent will read instead of the span.',
  'Keep: what was asked, what was found (file paths, function names, key facts and numbers), what was changed, commands run and their outcome, errors and how they were resolved.',
  'Drop: raw file contents and long outputs. Plain prose or bullets, at most 250 words, no preamble.',
].join(' ');

/** The text of a summary answer: the <summary> part without the <analysis> scratchpad. */
export function summaryFrom(text: string): string {
  const m = /<summary>([\s\S]*?)(<\/summary>|$)/i.exec(text);
  const body = m ? m[1]! : text.replace(/<analysis>[\s\S]*?(<\/analysis>|$)/gi, '');
  return body.trim();
}

export const CONTINUATION_HEAD = '[cairn] This session continues from an earlier part of the conversation that was compacted to save context. The summary below covers it; the ledger beside it is derived from the transcript itself, so where the two disagree, trust the ledger. Tool results that are not shown can be found again with transcript_search.';
export const CONTINUATION_TAIL = 'Continue the task from where it stopped. Do not ask the user to repeat anything, and do not redo work the ledger shows as done.';
