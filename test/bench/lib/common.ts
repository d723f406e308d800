/** Shared pieces of the benchmarks: statistics, a test tool set, realistic text, request bodies. */
import { z } from 'zod';
import type { ToolCatalog as ToolSet } from '../../../extension/core/agent/agent';
import type { AnyTool } from '../../../extension/core/tools/types';
import type { RecordedExchange } from '../../emulator';

export const BENCH_MODEL = 'claude-sonnet-5-5';

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** A deterministic pseudo-random generator (mulberry32), so every run sends the same prompts. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the parser keeps a cursor over the token stream and reports the first unexpected token with its line and column ' +
  'so the caller can show a precise diagnostic while the cache layer stores resolved modules by absolute path and invalidates ' +
  'an entry whenever the file hash changes which keeps rebuilds incremental and fast for large workspaces with many packages').split(' ');

/** Prose of about `chars` characters (whole words), deterministic for a seed. */
export function prose(chars: number, seed: number): string {
  const r = rng(seed);
  let out = '';
  while (out.length < chars) out += (out ? ' ' : '') + WORDS[Math.floor(r() * WORDS.length)];
  return out;
}

/** A MEMORY.md-like index: `lines` bullet lines of project facts. */
export function memoryIndex(lines: number, seed = 7): string {
  const r = rng(seed);
  const out = ['# MEMORY.md', ''];
  for (let i = 0; i < lines; i++) {
    const topic = ['build', 'tests', 'style', 'api', 'db', 'deploy', 'ui', 'perf'][Math.floor(r() * 8)];
    out.push(`- [${topic}] ${prose(40 + Math.floor(r() * 60), seed * 1000 + i)} (see memory/${topic}-${i}.md)`);
  }
  return out.join('\n');
}

/** A rules + memory prelude of roughly `tokens` tokens (4 bytes per token, the emulator's approximation). */
export function preludeOfTokens(tokens: number): string {
  const rules = ['# Project rules (CLAUDE.md)', '', '- Use TypeScript strict mode; no `any`.', '- Run `npm test` before saying a change is done.',
    '- Keep functions small; prefer pure helpers in core/.', '- Never commit secrets; read keys from the environment.', ''].join('\n');
  let mem = '';
  let lines = 10;
  while (Buffer.byteLength(rules + mem) < tokens * 4) mem = memoryIndex(lines++, 11);
  return `${rules}\n${mem}`;
}

/** A file listing / code excerpt of about `chars` characters, as a read or search tool would return. */
export function toolOutput(kind: string, query: string, chars: number, seed: number): string {
  const r = rng(seed);
  const lines = [`${kind} results for "${query}":`];
  let n = 1;
  while (lines.join('\n').length < chars) {
    const file = `src/${['core', 'util', 'api', 'ui'][Math.floor(r() * 4)]}/${WORDS[Math.floor(r() * WORDS.length)]}.ts`;
    lines.push(`${file}:${10 + Math.floor(r() * 400)}:  ${prose(50 + Math.floor(r() * 40), seed * 97 + n++)}`);
  }
  return lines.join('\n');
}

/** Read-only test tools whose outputs are a few hundred tokens (realistic search and read results). */
export function benchTools(outputChars = 1400, plant?: (query: string) => string | undefined): { tools: ToolSet; calls: () => number } {
  let calls = 0;
  const mk = (name: string, description: string): AnyTool => ({
    name,
    description,
    input: z.object({ query: z.string().describe('What to look for.'), limit: z.number().int().optional().describe('Most results to return.') }),
    kind: 'read',
    label: name,
    describe: (i: { query: string }) => i.query,
    readOnly: true,
    concurrencySafe: true,
    async execute(input: { query: string }) {
      calls++;
      let seed = 0;
      for (const ch of input.query) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
      const extra = plant?.(input.query);
      return { content: toolOutput(name, input.query, outputChars, seed) + (extra ? `\n${extra}` : '') };
    },
  });
  const list = [mk('search_code', 'Search the workspace for code matching a query.'), mk('read_notes', 'Read the project notes about a topic.')];
  return { tools: toolSet(list), calls: () => calls };
}

/** A tool set from plain tools, sorted by name (as the registry does). */
export function toolSet(tools: AnyTool[]): ToolSet {
  const sorted = [...tools].sort((a, b) => a.name.localeCompare(b.name));
  return {
    get: (name) => sorted.find((t) => t.name === name),
    list: () => sorted,
    toApiTools: () => sorted.map((t) => ({ name: t.name, description: t.description, input_schema: z.toJSONSchema(t.input) as { type: 'object' } })),
  };
}

export interface MessagesBody {
  model: string;
  system?: unknown;
  tools?: unknown;
  messages: Array<{ role: 'user' | 'assistant'; content: Array<Record<string, unknown>> | string }>;
}

/** The /v1/messages exchanges of an emulator, in order. */
export function messageExchanges(requests: RecordedExchange[]): RecordedExchange[] {
  return requests.filter((r) => r.path === '/v1/messages' && r.method === 'POST');
}

/** A deep copy without `cache_control` keys (to compare what was sent with a stored history). */
export function withoutCacheControl<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, val: unknown) => (k === 'cache_control' ? undefined : val))) as T;
}

export function fmt(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}
