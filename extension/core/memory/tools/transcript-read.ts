/** transcript_read: a small range of lines around a transcript_search hit. */
import { z } from 'zod';
import type { Tool } from '../../tools/types';
import { readTranscriptRange } from '../search/read';
import type { MemoryServices } from './services';

const input = z.object({
  session: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/).describe('Session id from a transcript_search hit.'),
  line: z.number().int().min(1).describe('Line number from the hit.'),
  before: z.number().int().min(0).max(20).optional().describe('Lines before (default 3, at most 20).'),
  after: z.number().int().min(0).max(20).optional().describe('Lines after (default 3, at most 20).'),
});

export function createTranscriptReadTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'transcript_read',
    description: 'Open a few lines of a past session transcript around a line found with transcript_search (each line is one message, tool call or result, shortened when long).',
    input,
    kind: 'memory',
    label: 'Read session',
    describe: (i) => `${i.session} line ${i.line}`,
    untrustedOutput: () => true,
    readOnly: true,
    concurrencySafe: true,
    async execute(args) {
      const from = Math.max(1, args.line - (args.before ?? 3));
      const to = args.line + (args.after ?? 3);
      let r;
      try { r = readTranscriptRange(s.agentDir, args.session, from, to); } catch (err) {
        return { content: `Cannot open session ${args.session}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such transcript' : (err as Error).message}`, isError: true };
      }
      if (!r.lines.length) return { content: `Session ${args.session} has no lines ${from}-${to}${r.total !== undefined ? ` (it has ${r.total})` : ''}.${r.problems.length ? ` ${r.problems.join('; ')}` : ''}`, isError: true };
      const body = r.lines.map((l) => `${l.line}${l.line === args.line ? '>' : ':'} ${l.text}`).join('\n');
      return { content: `Session ${args.session}, lines ${r.lines[0]!.line}-${r.lines[r.lines.length - 1]!.line}:\n${body}${r.problems.length ? `\nSkipped: ${r.problems.join('; ')}` : ''}` };
    },
  };
}
