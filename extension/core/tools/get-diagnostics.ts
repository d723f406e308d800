/** get_diagnostics: errors (and, on request, warnings) from the editor's language services, capped. */
import { z } from 'zod';
import type { Tool } from './types';
import type { Diagnostic } from '../ports';
import { errText, resolveForTool } from './fsutil';
import { toRel } from '../permissions/containment';

export const DIAGNOSTICS_LIMIT = 100;

const input = z.object({
  path: z.string().optional().describe('Only this file. Default: the whole workspace.'),
  include_warnings: z.boolean().optional().describe('Also return warnings. Default: errors only.'),
  wait: z.boolean().optional().describe('First wait (up to 3 s) for the language services to settle, e.g. right after an edit.'),
});

const RANK: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };

export const getDiagnosticsTool: Tool<typeof input> = {
  name: 'get_diagnostics',
  description: `Get compiler and linter problems reported by the editor (errors; warnings with include_warnings), as "path:line:col severity message [source code]". At most ${DIAGNOSTICS_LIMIT}.`,
  input,
  kind: 'state',
  label: 'Problems',
  describe: (i) => i.path ?? 'the workspace',
  path: (i) => i.path,
  readOnly: true,
  concurrencySafe: true,
  async execute(args, ctx) {
    const port = ctx.ports.diagnostics;
    if (!port) return { isError: true, content: 'Diagnostics are not available here (no editor). Run the compiler or linter with run_command instead.' };
    try {
      const abs = args.path ? resolveForTool(ctx, args.path).real : undefined;
      if (args.wait) await port.settle(500, 3000);
      const all = port.get(abs).filter((d) => d.severity === 'error' || (args.include_warnings && d.severity === 'warning'));
      all.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.absPath < b.absPath ? -1 : a.absPath > b.absPath ? 1 : 0) || a.line - b.line || a.col - b.col);
      if (all.length === 0) return { content: `No ${args.include_warnings ? 'errors or warnings' : 'errors'}${args.path ? ` in ${args.path}` : ' in the workspace'}.` };
      const shown = all.slice(0, DIAGNOSTICS_LIMIT).map((d) => `${toRel(ctx.workspaceRoot, d.absPath)}:${d.line}:${d.col} ${d.severity} ${d.message.replace(/\s*\n\s*/g, ' ')}${d.source || d.code ? ` [${[d.source, d.code].filter(Boolean).join(' ')}]` : ''}`);
      const errors = all.filter((d) => d.severity === 'error').length;
      const more = all.length > DIAGNOSTICS_LIMIT ? `\n[${all.length - DIAGNOSTICS_LIMIT} more not shown; ask for one file at a time.]` : '';
      return { content: `${errors} error(s), ${all.length - errors} warning(s):\n${shown.join('\n')}${more}`, display: { errors, warnings: all.length - errors } };
    } catch (e) {
      return { isError: true, content: errText(e) };
    }
  },
};
