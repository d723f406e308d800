/** read_file: a text file with line numbers, a line range, a size cap with a clear note, binary/encoding detection. */
import { z } from 'zod';
import { redactForModel } from '../util/redact';
import type { Tool } from './types';
import { decode, editFailures, errText, readChecked, recordOf } from './fsutil';
import { toRel } from '../permissions/containment';

export const READ_DEFAULT_LINES = 2000;
export const READ_MAX_CHARS = 100_000;
export const READ_MAX_LINE = 2000;
/** Files above this are read only with an explicit range. */
export const READ_MAX_BYTES = 10 * 1024 * 1024;

const input = z.object({
  path: z.string().describe('File path, relative to the workspace root (or absolute inside it).'),
  offset: z.number().int().min(1).optional().describe('First line to read (1-based). Default 1.'),
  limit: z.number().int().min(1).max(10_000).optional().describe(`How many lines to read. Default ${READ_DEFAULT_LINES}.`),
});

export const readFileTool: Tool<typeof input> = {
  name: 'read_file',
  description:
    `Read a text file from the workspace. Returns the lines prefixed with their 1-based line numbers and a tab (the prefix is not part of the file). ` +
    `Reads up to ${READ_DEFAULT_LINES} lines by default; use offset and limit for long files. A file must be read before edit_file or write_file can change it. ` +
    `Binary files and files that are not UTF-8 are reported, not shown.`,
  input,
  kind: 'read',
  label: 'Read',
  describe: (i) => (i.offset || i.limit ? `${i.path} (lines ${i.offset ?? 1}–${(i.offset ?? 1) + (i.limit ?? READ_DEFAULT_LINES) - 1})` : i.path),
  path: (i) => i.path,
  readOnly: true,
  concurrencySafe: true,
  async execute(args, ctx) {
    try {
      const { real, buf, st } = await readChecked(ctx, args.path);
      const rel = toRel(ctx.workspaceRoot, real) || args.path;
      if (st.size > READ_MAX_BYTES && !args.offset && !args.limit) {
        return { isError: true, content: `${rel} is ${st.size} bytes, too large to read whole. Read a range with offset and limit, or search it with grep.` };
      }
      const dec = decode(buf);
      ctx.reads.set(real, recordOf(st, buf));
      editFailures(ctx.reads).delete(real);
      if (dec.kind === 'binary') return { content: `${rel} is a binary file (${st.size} bytes); its content is not shown.`, display: { path: rel, binary: true } };
      if (dec.kind === 'non-utf8') return { content: `${rel} is not UTF-8 text (${dec.encoding}, ${st.size} bytes); it is not shown and can't be edited safely with edit_file.`, display: { path: rel, encoding: dec.encoding } };
      if (dec.text.length === 0) return { content: `${rel} exists and is empty.`, display: { path: rel, lines: 0 } };
      const lines = dec.text.split(/\r?\n/);
      if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
      const total = lines.length;
      const from = Math.min(args.offset ?? 1, total + 1);
      const want = args.limit ?? READ_DEFAULT_LINES;
      if (from > total) return { isError: true, content: `${rel} has ${total} lines; offset ${args.offset} is past the end.` };
      const out: string[] = [];
      let chars = 0;
      let last = from - 1;
      let cutLines = 0;
      const width = String(Math.min(total, from + want - 1)).length;
      for (let i = from; i <= total && i < from + want; i++) {
        let line = lines[i - 1] ?? '';
        if (line.length > READ_MAX_LINE) { line = line.slice(0, READ_MAX_LINE) + ` [... line cut: ${line.length} chars]`; cutLines++; }
        const row = `${String(i).padStart(width)}\t${line}`;
        if (chars + row.length + 1 > READ_MAX_CHARS && out.length > 0) break;
        out.push(row);
        chars += row.length + 1;
        last = i;
      }
      const notes: string[] = [];
      if (last < total) notes.push(`[Showing lines ${from}-${last} of ${total}. Read more with offset=${last + 1}.]`);
      if (cutLines) notes.push(`[${cutLines} long line(s) were cut at ${READ_MAX_LINE} characters.]`);
      if (dec.bom) notes.push('[The file starts with a UTF-8 byte order mark; edits keep it.]');
      return {
        content: redactForModel(out.join('\n') + (notes.length ? '\n' + notes.join('\n') : '')),
        display: { path: rel, from, to: last, total },
      };
    } catch (e) {
      return { isError: true, content: `Could not read ${args.path}: ${errText(e)}` };
    }
  },
};
