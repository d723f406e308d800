/** The words of the undo confirmation, the same in the panel and the command palette. */

export interface UndoPreview { turn: number; prompt: string; turnsAgo: number; files: string[] }

function filesText(files: readonly string[]): string {
  if (files.length === 0) return 'no files';
  const shown = files.slice(0, 5).join(', ');
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

/** "Undo the edits of the last turn (“Fix the parser”)? Restores src/a.ts." — names the turn and its files. */
export function undoQuestion(p: UndoPreview): string {
  const which = p.turnsAgo === 0
    ? 'the last turn'
    : p.turnsAgo === 1
      ? 'the turn before the last one (the last one changed no files)'
      : `the turn ${p.turnsAgo} turns before the last one (the ${p.turnsAgo} after it changed no files)`;
  const prompt = p.prompt ? ` “${p.prompt}”` : '';
  return `Undo the edits of ${which}${prompt}? Restores ${filesText(p.files)}.`;
}

/** What was done, said once. */
export function undoDoneText(r: { restored: readonly string[]; deleted: readonly string[]; skipped: ReadonlyArray<{ path: string; reason: string }> }): string {
  const n = r.restored.length;
  const parts = [`Restored ${n} file${n === 1 ? '' : 's'}`];
  if (r.deleted.length) parts.push(`removed ${r.deleted.length} created file${r.deleted.length === 1 ? '' : 's'}`);
  let text = `${parts.join(', ')}.`;
  if (r.skipped.length) text += ` Skipped: ${r.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}.`;
  return text;
}
