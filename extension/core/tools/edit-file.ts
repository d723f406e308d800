/**
 * edit_file: exact search/replace blocks (one or many, any order) on a file read in this session and unchanged
 * since. All blocks apply or none; a failed edit leaves the file byte-identical. Line endings, BOM, indentation
 * and the final newline are preserved. Writes go through the editor when there is one (so open buffers update),
 * and through the diff review in ask mode (the user may change the text: what they accept is what is written).
 */
import * as fsp from 'node:fs/promises';
import { z } from 'zod';
import { createTwoFilesPatch } from 'diff';
import type { Tool, ToolContext, ToolResult } from './types';
import { applyEdits, type EditBlock } from './edit-engine';
import { parseBlocks } from './edit-blocks';
import { atomicWrite, decode, editFailures, encode, errText, recordOf, resolveForTool, rootsOf, sha256 } from './fsutil';
import { toRel } from '../permissions/containment';

export const MAX_CONSECUTIVE_FAILURES = 2;

const input = z.object({
  path: z.string().describe('File to edit, relative to the workspace root.'),
  edits: z.array(z.object({
    old_text: z.string().describe('Exact text currently in the file, including whitespace and indentation. Must match exactly one place.'),
    new_text: z.string().describe('The text that replaces it.'),
  })).optional().describe('One or more replacements. They are applied together (order does not matter) or not at all.'),
  blocks: z.string().optional().describe('Alternative to `edits`: SEARCH/REPLACE blocks (<<<<<<< SEARCH / ======= / >>>>>>> REPLACE).'),
});

type Input = z.infer<typeof input>;

/** Write `text` to the file through the editor when present, else atomically on disk. */
export async function writeText(ctx: ToolContext, abs: string, real: string, bytes: Buffer, text: string, expected: string): Promise<string | undefined> {
  const editor = ctx.ports.editor;
  if (editor) {
    const doc = editor.openDocuments().find((d) => d.absPath === abs || d.absPath === real);
    if (doc?.isDirty && doc.text !== expected) {
      return 'the file has unsaved changes in the editor that differ from the file on disk. Ask the user to save or revert them, then read the file again.';
    }
    const ok = await editor.applyText(real, text, expected);
    if (!ok) return 'the editor refused the change because its buffer has unsaved changes that differ from what you read. Ask the user to save or revert them, then read the file again.';
    return undefined;
  }
  await atomicWrite(real, bytes, rootsOf(ctx));
  return undefined;
}

function blocksOf(args: Input): EditBlock[] | string {
  const list: EditBlock[] = (args.edits ?? []).map((e) => ({ oldText: e.old_text, newText: e.new_text }));
  if (args.blocks !== undefined) {
    const p = parseBlocks(args.blocks);
    if (!p.ok) return p.error;
    list.push(...p.blocks);
  }
  if (list.length === 0) return 'No edits given. Pass `edits`: a list of {old_text, new_text}.';
  return list;
}

export const editFileTool: Tool<typeof input> = {
  name: 'edit_file',
  description:
    'Edit a text file by exact search and replace. Each old_text must be copied exactly from the file (whitespace and indentation included, ' +
    'without the line-number prefix read_file shows) and must match exactly one place; add surrounding lines to make it unique. ' +
    'Several edits to the same file go in one call. The file must have been read with read_file in this session and not changed since. ' +
    'If an edit fails, nothing is written and the error shows the closest match with line numbers. To create a new file use write_file.',
  input,
  kind: 'edit',
  label: 'Edit',
  describe: (i) => i.path,
  path: (i) => i.path,
  approval: 'diff',
  readOnly: false,
  concurrencySafe: false,
  async execute(args, ctx): Promise<ToolResult> {
    let abs: string;
    let real: string;
    try { ({ abs, real } = resolveForTool(ctx, args.path)); } catch (e) { return { isError: true, content: errText(e) }; }
    const rel = toRel(ctx.workspaceRoot, real) || args.path;
    const fails = editFailures(ctx.reads);
    const rec = ctx.reads.get(real);
    if (!rec) return { isError: true, content: `You have not read ${rel} in this session. Read it with read_file first, then edit.` };
    if ((fails.get(real) ?? 0) >= MAX_CONSECUTIVE_FAILURES) {
      return { isError: true, content: `${MAX_CONSECUTIVE_FAILURES} edits of ${rel} failed in a row. Read the file again with read_file (it may not be what you remember), then retry.` };
    }
    const blocks = blocksOf(args);
    if (typeof blocks === 'string') return { isError: true, content: blocks };
    let buf: Buffer;
    try { buf = await fsp.readFile(real); } catch (e) { return { isError: true, content: `Could not read ${rel}: ${errText(e)}` }; }
    if (sha256(buf) !== rec.sha256) {
      return { isError: true, content: `${rel} has changed since you read it (by the user, a formatter or another tool). Read it again with read_file, then redo the edit on the current content.` };
    }
    const dec = decode(buf);
    if (dec.kind !== 'text') return { isError: true, content: `${rel} is ${dec.kind === 'binary' ? 'a binary file' : 'not UTF-8 text'}; edit_file only edits UTF-8 text.` };
    const out = applyEdits(dec.text, blocks);
    if (!out.ok) {
      fails.set(real, (fails.get(real) ?? 0) + 1);
      const left = MAX_CONSECUTIVE_FAILURES - (fails.get(real) ?? 0);
      const tail = left > 0 ? '' : `\nThis was failure ${MAX_CONSECUTIVE_FAILURES} in a row: read the file again before the next edit.`;
      return { isError: true, content: `No changes were made to ${rel}.\n` + out.failures.map((f) => f.message).join('\n\n') + tail, display: { path: rel, failures: out.failures.map((f) => ({ index: f.index, kind: f.kind, lines: f.lines })) } };
    }
    let finalText = out.text;
    let userNote = '';
    if (ctx.review) {
      // The user must approve this edit: the per-hunk review is the approval (what they accept is what is written).
      const reviewed = await ctx.review(real, dec.text, out.text);
      if (!reviewed) { fails.delete(real); return { isError: true, content: `The user rejected the edit to ${rel}; the file is unchanged. Ask what they want instead of retrying the same change.` }; }
      if (reviewed.text !== out.text) {
        finalText = reviewed.text;
        userNote = `\nThe user changed your proposed edit before accepting it. The file now contains their version; the difference from your proposal:\n` +
          createTwoFilesPatch('proposed', 'accepted', out.text, finalText, '', '', { context: 1 }).split('\n').slice(4).join('\n');
      }
      if (finalText === dec.text) return { content: `The user accepted none of the changes to ${rel}; the file is unchanged.` };
    }
    try {
      // Critical section: re-check staleness right before writing (no awaits between check and write beyond the write itself).
      const now = await fsp.readFile(real);
      if (sha256(now) !== rec.sha256) return { isError: true, content: `${rel} changed while the edit was being prepared. Read it again, then redo the edit.` };
      await ctx.checkpoint?.(real);
      const bytes = encode(finalText, dec.bom);
      const refused = await writeText(ctx, abs, real, bytes, finalText, dec.text);
      if (refused) return { isError: true, content: `Did not edit ${rel}: ${refused}` };
      const st = await fsp.stat(real).catch(() => undefined);
      ctx.reads.set(real, { ...(st ? recordOf(st, bytes) : { mtimeMs: Date.now(), size: bytes.length, sha256: '' }), sha256: sha256(bytes), size: bytes.length });
      fails.delete(real);
    } catch (e) {
      return { isError: true, content: `Could not write ${rel}: ${errText(e)}` };
    }
    const where = out.applied.map((a) => `lines ${a.startLine}-${a.endLine}${a.how === 'exact' || a.how === 'line-endings' ? '' : ` (matched ${a.how === 'punctuation' ? 'treating curly and straight quotes as equal' : a.how === 'unescaped' ? 'after turning \\n escapes into newlines' : `ignoring ${a.how.replace('-', ' ')}`})`}`);
    const patch = createTwoFilesPatch(rel, rel, dec.text, finalText, '', '', { context: 3 });
    return {
      content: `Edited ${rel}: ${out.applied.length} replacement${out.applied.length === 1 ? '' : 's'} at ${where.join('; ')}.${userNote}`,
      display: { path: rel, patch },
    };
  },
};
