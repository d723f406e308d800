/** list_files: the entries of a folder (optionally a few levels deep), sorted, capped, respecting .gitignore and .agentignore. */
import * as fsp from 'node:fs/promises';
import { z } from 'zod';
import type { Tool } from './types';
import { errText, resolveForTool } from './fsutil';
import { Ignorer, walk } from './walk';
import { toRel } from '../permissions/containment';

export const LIST_LIMIT = 500;

const input = z.object({
  path: z.string().optional().describe('Folder to list, relative to the workspace root. Default: the root.'),
  depth: z.number().int().min(1).max(10).optional().describe('How many levels to descend. Default 1 (direct children only).'),
});

export const listFilesTool: Tool<typeof input> = {
  name: 'list_files',
  description:
    `List the files and folders in a workspace folder, sorted by name; folders end with "/", symbolic links with "@". ` +
    `Files ignored by .gitignore or .agentignore are left out. At most ${LIST_LIMIT} entries. To find files by name pattern use glob.`,
  input,
  kind: 'read',
  label: 'List',
  describe: (i) => i.path ?? '.',
  path: (i) => i.path ?? '.',
  readOnly: true,
  concurrencySafe: true,
  async execute(args, ctx) {
    try {
      const { real } = resolveForTool(ctx, args.path ?? '.');
      const st = await fsp.stat(real);
      if (!st.isDirectory()) return { isError: true, content: `${args.path} is a file, not a folder. Use read_file to read it.` };
      const startRel = toRel(ctx.workspaceRoot, real);
      const ign = new Ignorer(ctx.workspaceRoot);
      const out: string[] = [];
      let more = false;
      for await (const e of walk(ign, startRel, { maxDepth: args.depth ?? 1, signal: ctx.signal, limit: LIST_LIMIT + 1 })) {
        if (out.length >= LIST_LIMIT) { more = true; break; }
        out.push(e.rel + (e.isSymlink ? '@' : e.isDir ? '/' : ''));
      }
      const where = startRel || '.';
      if (out.length === 0) return { content: `${where} is empty (or everything in it is ignored).` };
      return {
        content: out.join('\n') + (more ? `\n[Stopped at ${LIST_LIMIT} entries; list a subfolder or use glob to narrow down.]` : ''),
        display: { path: where, count: out.length, truncated: more },
      };
    } catch (e) {
      return { isError: true, content: `Could not list ${args.path ?? '.'}: ${errText(e)}` };
    }
  },
};
