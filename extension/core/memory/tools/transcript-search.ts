/** transcript_search: find snippets in past session transcripts (never replays them whole). */
import { z } from 'zod';
import type { Tool } from '../../tools/types';
import type { MemoryServices } from './services';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date such as 2026-11-02');

const input = z.object({
  query: z.string().min(2).max(200).describe('A few distinctive keywords (lines with more of them rank first), or one "quoted phrase". Lowercase and Capitalised spellings match.'),
  session: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/).optional().describe('Only this session id.'),
  since: date.optional().describe('Only entries on or after this date (ISO).'),
  until: date.optional().describe('Only entries on or before this date (ISO; a bare date includes the whole day).'),
  role: z.enum(['user', 'assistant', 'tool']).optional().describe('Only user messages, assistant messages, or tool calls/results.'),
  tool: z.string().max(64).optional().describe('Only calls and results of this tool (e.g. run_command).'),
  limit: z.number().int().min(1).max(50).optional().describe('Most snippets returned (default 10).'),
});

export const SNIPPET_BUDGET = 6_000;

export function createTranscriptSearchTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'transcript_search',
    description: 'Search the transcripts of past sessions (.agent/sessions/*.jsonl) for keywords; returns short snippets with session id and line number. Use it when the memory index has nothing on a topic but an earlier session may have discussed it; then open the surroundings of a hit with transcript_read. Search the memory (memory_view / memory_read) first: it is cheaper.',
    input,
    kind: 'memory',
    label: 'Search sessions',
    describe: (i) => i.query,
    // Past transcripts hold past tool output: nobody vouched for it.
    untrustedOutput: () => true,
    readOnly: true,
    concurrencySafe: true,
    async execute(args) {
      const since = args.since ? Date.parse(args.since) : undefined;
      const until = args.until ? Date.parse(args.until.length === 10 ? `${args.until}T23:59:59.999Z` : args.until) : undefined;
      const res = await s.searcher.search(s.agentDir, { query: args.query, session: args.session, role: args.role, tool: args.tool, since, until, limit: args.limit ?? 10 });
      const out: string[] = [];
      let used = 0;
      let shown = 0;
      for (const h of res.hits) {
        const line = `- ${h.session}:${h.line} [${h.role}${h.tools.length ? ` ${h.tools.join(',')}` : ''}${h.ts ? ` ${new Date(h.ts).toISOString().slice(0, 16).replace('T', ' ')}` : ''}] ${h.snippet}`;
        if (used + line.length > SNIPPET_BUDGET) break;
        out.push(line);
        used += line.length;
        shown++;
      }
      const head = res.hits.length
        ? `${shown} match(es) in ${res.files} transcript(s) (${(res.scannedBytes / 1048576).toFixed(1)} MB searched in ${Math.round(res.ms)} ms), best first:`
        : `No matches for "${args.query}" in ${res.files} transcript(s). Try fewer or other keywords.`;
      const tail: string[] = [];
      if (shown < res.hits.length) tail.push(`${res.hits.length - shown} more not shown (output budget); narrow the search.`);
      if (res.stopped) tail.push('The search stopped early: the longest keyword is very common. Use more distinctive keywords.');
      if (res.problems.length) tail.push(`Skipped unreadable lines: ${res.problems.slice(0, 5).map((p) => `${p.session}${p.line ? `:${p.line}` : ''} (${p.kind})`).join(', ')}${res.problems.length > 5 ? ` and ${res.problems.length - 5} more` : ''}.`);
      if (res.hits.length) tail.push('Open one with transcript_read { session, line }.');
      return { content: [head, ...out, ...tail].join('\n'), display: { hits: res.hits.length, problems: res.problems } };
    },
  };
}
