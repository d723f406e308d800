/** glob: files matching a pattern, sorted by path, capped, respecting .gitignore and .agentignore. */
import * as fsp from 'node:fs/promises';
import { z } from 'zod';
import { Minimatch } from 'minimatch';
import type { Tool } from './types';
import { errText, resolveForTool } from './fsutil';
import { Ignorer, walk } from './walk';
import { toRel } from '../permissions/containment';

export const GLOB_LIMIT = 200;

const input = z.object({
  pattern: z.string().min(1).describe('Glob pattern, e.g. "**/*.ts", "src/**/test_*.py", "*.{json,md}". A pattern without "/" matches file names at any depth.'),
  path: z.string().optional().describe('Folder to search in, relative to the workspace root. Default: the root.'),
});

export const globTool: Tool<typeof input> = {
  name: 'glob',
  description:
    `Find files whose path matches a glob pattern (relative to the search folder). Returns workspace-relative paths sorted by name, at most ${GLOB_LIMIT}. ` +
    'Files ignored by .gitignore or .agentignore are left out.',
  input,
  kind: 'read',
  label: 'Find files',
  describe: (i) => (i.path ? `${i.pattern} in ${i.path}` : i.pattern),
  path: (i) => i.path ?? '.',
  readOnly: true,
  concurrencySafe: true,
  async execute(args, ctx) {
    try {
      const { real } = resolveForTool(ctx, args.path ?? '.');
      if (!(await fsp.stat(real)).isDirectory()) return { isError: true, content: `${args.path} is not a folder.` };
      const startRel = toRel(ctx.workspaceRoot, real);
      const mm = new Minimatch(args.pattern.replace(/^\.\//, ''), { dot: true, matchBase: !args.pattern.includes('/') });
      const ign = new Ignorer(ctx.workspaceRoot);
      const out: string[] = [];
      let more = false;
      for await (const e of walk(ign, startRel, { signal: ctx.signal, filesOnly: true })) {
        const sub = startRel ? e.rel.slice(startRel.length + 1) : e.rel;
        if (!mm.match(sub)) continue;
        if (out.length >= GLOB_LIMIT) { more = true; break; }
        out.push(e.rel);
      }
      if (out.length === 0) return { content: `No files match ${args.pattern}${startRel ? ` in ${startRel}` : ''}.` };
      return {
        content: out.join('\n') + (more ? `\n[Stopped at ${GLOB_LIMIT} files; use a narrower pattern or folder.]` : ''),
        display: { pattern: args.pattern, count: out.length, truncated: more },
      };
    } catch (e) {
      return { isError: true, content: `glob failed: ${errText(e)}` };
    }
  },
};
