/**
 * write_file: create a new file, or replace an existing one that was read in this session and is unchanged since.
 * Replacing a large existing file whole is refused (targeted edits only), so a model can't silently drop content.
 */
import * as fsp from 'node:fs/promises';
import { z } from 'zod';
import { createTwoFilesPatch } from 'diff';
import type { Tool, ToolResult } from './types';
import { decode, encode, eolOf, errText, recordOf, resolveForTool, sha256 } from './fsutil';
import { writeText } from './edit-file';
import { toRel } from '../permissions/containment';

/** Existing files longer than this are not rewritten whole (E11): use edit_file. */
export const MAX_OVERWRITE_LINES = 400;

const input = z.object({
  path: z.string().describe('File to write, relative to the workspace root. Missing folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});

export const writeFileTool: Tool<typeof input> = {
  name: 'write_file',
  description:
    'Create a new file with the given content. An existing file can be replaced only if you read it with read_file in this session and it has not changed since; ' +
    `prefer edit_file for changes to existing files (files over ${MAX_OVERWRITE_LINES} lines can only be changed with edit_file).`,
  input,
  kind: 'edit',
  label: 'Write',
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
    let before: Buffer | undefined;
    try {
      const st = await fsp.lstat(real);
      if (st.isDirectory()) return { isError: true, content: `${rel} is a directory.` };
      before = await fsp.readFile(real);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { isError: true, content: `Could not check ${rel}: ${errText(e)}` };
    }
    let text = args.content;
    let bom = false;
    let beforeText = '';
    let userEdited = false;
    if (before) {
      const rec = ctx.reads.get(real);
      if (!rec) return { isError: true, content: `${rel} already exists and you have not read it in this session. Read it first; to change part of it, use edit_file.` };
      if (sha256(before) !== rec.sha256) return { isError: true, content: `${rel} has changed since you read it. Read it again before replacing it.` };
      const dec = decode(before);
      if (dec.kind === 'text') {
        beforeText = dec.text;
        bom = dec.bom;
        const lines = dec.text.split('\n').length;
        if (lines > MAX_OVERWRITE_LINES) return { isError: true, content: `${rel} has ${lines} lines; rewriting a file that long whole is not allowed. Use edit_file for targeted changes.` };
        // Keep the file's line-ending style when it has one.
        if (eolOf(dec.text) === '\r\n' && dec.text.includes('\r\n')) text = text.replace(/\r?\n/g, '\r\n');
      }
    }
    // When the user must approve, the write is shown as a diff first (a new file as all-added); the review is the approval.
    if (ctx.review) {
      const reviewed = await ctx.review(real, beforeText, text);
      if (!reviewed) return { isError: true, content: `The user rejected the new content for ${rel}; the file is unchanged.` };
      userEdited = reviewed.text !== text;
      text = reviewed.text;
    }
    try {
      if (before) {
        const now = await fsp.readFile(real);
        if (!now.equals(before)) return { isError: true, content: `${rel} changed while the write was being prepared. Read it again.` };
      }
      await ctx.checkpoint?.(real);
      const bytes = encode(text, bom);
      const refused = await writeText(ctx, abs, real, bytes, text, beforeText);
      if (refused) return { isError: true, content: `Did not write ${rel}: ${refused}` };
      const st = await fsp.stat(real).catch(() => undefined);
      ctx.reads.set(real, st ? recordOf(st, bytes) : { mtimeMs: Date.now(), size: bytes.length, sha256: sha256(bytes) });
    } catch (e) {
      return { isError: true, content: `Could not write ${rel}: ${errText(e)}` };
    }
    const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    return {
      content: before ? `Replaced ${rel} (${lines} lines).` + (userEdited ? ' The user edited the content before accepting it; read the file to see the final version.' : '') : `Created ${rel} (${lines} lines).`,
      display: { path: rel, created: !before, patch: createTwoFilesPatch(rel, rel, beforeText, text, '', '', { context: 3 }) },
    };
  },
};
