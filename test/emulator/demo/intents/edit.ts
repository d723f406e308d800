// "Change greet…": read the file (Cairn edits only what it has read), propose an edit that arrives as a per-hunk
// review in ask mode, then report what the user accepted. The script cannot write code to order: in the sample
// it proposes its one known edit (two hunks); elsewhere, a comment line at the top of the file it read.
import { lastCalls, type Task } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { fileLines, outcome } from '../results';
import { GREET_EDIT, lineComment } from '../sample';
import { answer, call, code, step } from '../say';

export const edit: Intent = {
  id: 'edit',
  tryThis: 'Make greet handle a blank name',
  shows: 'an edit: `read_file`, then `edit_file`, which arrives as a diff you accept or reject hunk by hunk',
  tools: ['read_file', 'edit_file'],
  matches: (t) => hasWord(t, 'edit*', 'change*', 'fix', 'fixes', 'refactor*', 'rename*', 'add', 'adds', 'update*', 'improve*', 'rewrite', 'modify', 'handle*', 'make'),
  next(task) {
    if (task.steps.length === 0) {
      const path = pathIn(task.typed) ?? GREET_EDIT.path;
      return step(task, `The demo cannot write code to order, but it can show how an edit is reviewed. Cairn edits only files it has read, so first I read ${code(path)}.`,
        [call('read_file', { path })]);
    }
    const last = lastCalls(task)[0];
    if (last?.name === 'read_file') return propose(task);
    return report(task);
  },
};

/** A file path the user named (something with a slash or an extension). */
export function pathIn(typed: string): string | undefined {
  return /(?:^|[\s`"'(])((?:[\w.-]+\/)*[\w-]+\.[A-Za-z0-9]{1,8})(?=$|[\s`"'),:;!?]|\.(?:\s|$))/.exec(typed)?.[1];
}

function propose(task: Task) {
  const read = lastCalls(task)[0]!;
  const path = String(read.input.path ?? '');
  if (outcome(read) !== 'ran' || read.result?.isError) return answer(`I could not read ${code(path)}: ${read.result?.text ?? 'no result'} The script's edit is for ${code(GREET_EDIT.path)} of the sample workspace; try "${edit.tryThis}".`);
  const lines = fileLines(read.result?.text ?? '');
  const text = lines.join('\n');
  if (path === GREET_EDIT.path && GREET_EDIT.edits.every((e) => text.includes(e.old_text))) {
    return step(task, `Here is the script's edit: ${GREET_EDIT.summary}. It touches two places far apart, so the review shows two hunks: accept or reject each, then apply. Nothing is written before you do.`,
      [call('edit_file', { path, edits: GREET_EDIT.edits.map((e) => ({ ...e })) })]);
  }
  const comment = lineComment(path);
  const first = lines.find((l) => l.trim() !== '');
  if (!comment || first === undefined || lines.filter((l) => l === first).length !== 1) {
    return answer(`${code(path)} is not a file the script knows how to edit${path === GREET_EDIT.path ? ' (it no longer reads as the sample did: maybe the edit is already in)' : ''}. Its edit is for ${code(GREET_EDIT.path)} of the sample workspace.`);
  }
  return step(task, `I don't know this file, so the script proposes a harmless edit: one comment line at the top of ${code(path)}. Review it, then apply or reject it.`,
    [call('edit_file', { path, edits: [{ old_text: first, new_text: `${comment('Reviewed in Cairn\'s offline demo: this line was proposed by the script.')}\n${first}` }] })]);
}

function report(task: Task) {
  const ed = lastCalls(task).find((c) => c.name === 'edit_file');
  const path = String(ed?.input.path ?? '');
  const res = ed?.result?.text ?? '';
  if (outcome(ed) === 'declined') return answer(`You declined the edit, so ${code(path)} is unchanged.`);
  if (/^The user rejected the edit/.test(res)) return answer(`You rejected the edit, so ${code(path)} is unchanged. (Cairn told the model not to retry the same change.)`);
  if (/^The user accepted none/.test(res)) return answer(`You accepted none of the hunks, so ${code(path)} is unchanged.`);
  if (ed?.result?.isError) return answer(`The edit did not apply: ${res}`);
  const partial = /The user changed your proposed edit/.test(res) ? ' You accepted only part of it (or changed it), and the file has exactly what you accepted.' : ' The whole proposal is in.';
  return answer(`Done: ${res.split('\n')[0]}${partial} The header's "Undo the last turn's file edits" button puts the file back.`);
}
