/**
 * Parse SEARCH/REPLACE envelopes as models write them, tolerating the variants seen in the wild:
 * `<<<<<<< SEARCH` (also `<<<<<<< SEARCH>`, `<<<<<<<SEARCH`, `------- SEARCH`), `=======` (5-9 '='),
 * `>>>>>>> REPLACE` (also `+++++++ REPLACE`, `>>>>>>> REPLACE>`), a ``` fence around the envelope or around
 * each side, a file-name line before it, and a whole envelope JSON-escaped into one line.
 */
import type { EditBlock } from './edit-engine';

const OPEN = /^\s*(?:<{5,9}|-{5,9})\s*SEARCH\s*>?\s*$/i;
const MID = /^\s*={5,9}\s*$/;
const CLOSE = /^\s*(?:>{5,9}|\+{5,9})\s*REPLACE\s*>?\s*$/i;
const FENCE = /^\s*(`{3,}|~{3,})[\w.+-]*\s*$/;

export type ParsedBlocks = { ok: true; blocks: EditBlock[] } | { ok: false; error: string };

function unfence(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !(lines[a] ?? '').trim()) a++;
  while (b > a && !(lines[b - 1] ?? '').trim()) b--;
  if (b - a >= 2 && FENCE.test(lines[a] ?? '') && FENCE.test(lines[b - 1] ?? '')) return lines.slice(a + 1, b - 1);
  return lines;
}

export function parseBlocks(raw: string): ParsedBlocks {
  let text = raw;
  if (!text.includes('\n') && /\\n/.test(text)) text = text.replace(/\\r\\n|\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  const lines = text.split(/\r?\n/);
  const blocks: EditBlock[] = [];
  let state: 'out' | 'search' | 'replace' = 'out';
  let search: string[] = [];
  let replace: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (state === 'out') {
      if (OPEN.test(line)) { state = 'search'; search = []; replace = []; }
      continue;
    }
    if (state === 'search') {
      if (MID.test(line)) { state = 'replace'; continue; }
      if (CLOSE.test(line)) return { ok: false, error: `Block ${blocks.length + 1}: found the REPLACE marker before "=======". Each block is: <<<<<<< SEARCH, the exact old lines, =======, the new lines, >>>>>>> REPLACE.` };
      if (OPEN.test(line)) return { ok: false, error: `Block ${blocks.length + 1}: a new SEARCH marker started before the previous block was closed with >>>>>>> REPLACE.` };
      search.push(line);
      continue;
    }
    if (CLOSE.test(line) || OPEN.test(line)) {
      blocks.push({ oldText: unfence(search).join('\n'), newText: unfence(replace).join('\n') });
      state = OPEN.test(line) ? 'search' : 'out';
      search = [];
      replace = [];
      continue;
    }
    replace.push(line);
  }
  if (state === 'replace') {
    // Without its closing marker nobody can tell where the new text ends (the output may have been cut off):
    // never write a guess.
    return { ok: false, error: `Block ${blocks.length + 1} is not closed: the ">>>>>>> REPLACE" marker after its new text is missing (was the output cut off?). Nothing was written. Send the block again, ending with >>>>>>> REPLACE.` };
  } else if (state === 'search') {
    return { ok: false, error: `Block ${blocks.length + 1}: the "=======" separator is missing, so the old and new text can't be told apart. Each block is: <<<<<<< SEARCH, the exact old lines, =======, the new lines, >>>>>>> REPLACE.` };
  }
  if (blocks.length === 0) return { ok: false, error: 'No SEARCH/REPLACE block found. Use the `edits` field (a list of {old_text, new_text}) or blocks in the form: <<<<<<< SEARCH, old lines, =======, new lines, >>>>>>> REPLACE.' };
  return { ok: true, blocks };
}
