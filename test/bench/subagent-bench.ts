/**
 * Subagent figures (issue #14), with the real runtime, the real SDK provider, the built-in tools and the `agent`
 * tool against the emulator:
 *
 *   subagent_parallel_speedup  4 explore subagents started in one response, 300 ms simulated latency per request:
 *                              the sum of each subagent's busy time (running -> finished) over the wall span of all
 *                              four (first start to last finish). 4.0 would be perfectly parallel.
 *   subagent_context_ratio     how much the parent's context grows doing 4 explorations via subagents, over how much
 *                              it grows doing the same explorations inline (tokens in context at the last request
 *                              minus at the first, from the emulator's usage).
 *   subagent_prefix_shared     of the 4 subagents, how many send tools + system byte-identical to the first one;
 *   subagent_cache_read        and how many of the 2nd-4th read the prompt cache on their first request.
 *
 * Run alone: node --import tsx test/bench/subagent-bench.ts
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPermissionEngine } from '../../extension/core/permissions/engine';
import { createAnthropicProvider } from '../../extension/core/providers/anthropic';
import { SessionRuntime } from '../../extension/core/session/runtime';
import { builtinTools, createRegistry } from '../../extension/core/tools';
import { createAgentTool } from '../../extension/core/tools/agent';
import { SubagentHub, type SubagentStatus } from '../../extension/core/agents/hub';
import { startEmulator, type Emulator, type Rule, type ScriptItem } from '../emulator';
import { BENCH_MODEL, prose } from './lib/common';

type Body = Record<string, unknown>;
const systemOf = (b: Body) => ((b.system as Array<{ text: string }> | undefined) ?? []).map((s) => s.text).join('\n');
const isSub = (b: Body) => systemOf(b).includes('You are an explore subagent');
const taskOf = (b: Body) => {
  const first = (b.messages as Array<{ content: Array<{ type: string; text?: string }> }>)[0]!;
  return /area (\d)/.exec(first.content.map((c) => c.text ?? '').join(''))?.[1] ?? '0';
};
const use = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });
const AREAS = [0, 1, 2, 3];
/** One exploration: a grep, then two files read. */
const explore = (n: number | string): ScriptItem[] => [
  { content: [use('grep', { pattern: `area${n}`, path: '.' })] },
  { content: [use('read_file', { path: `src/area${n}/a.ts` }), use('read_file', { path: `src/area${n}/b.ts` })] },
];
const REPORT = (n: string) => `Area ${n}: the entry point is src/area${n}/a.ts:1 (function area${n}Main); it calls helpers in src/area${n}/b.ts:3-40. Nothing else refers to it.`;

interface Run { emu: Emulator; rt: SessionRuntime; statuses: Array<SubagentStatus & { at: number }>; dir: string }

async function session(latencyMs: number, turns: ScriptItem[], rules: Rule[]): Promise<Run> {
  const emu = await startEmulator({ port: 0, latencyMs, scenario: { turns, rules } });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-subagent-bench-'));
  for (const n of AREAS) {
    mkdirSync(join(dir, 'src', `area${n}`), { recursive: true });
    writeFileSync(join(dir, 'src', `area${n}`, 'a.ts'), `export function area${n}Main() {}\n// ${prose(6_000, n)}\n`);
    writeFileSync(join(dir, 'src', `area${n}`, 'b.ts'), `// area${n} helpers\n// ${prose(6_000, n + 10)}\n`);
  }
  const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: emu.url });
  const engine = createPermissionEngine({ workspaceRoot: dir, trusted: true, mode: 'auto' });
  const hub = new SubagentHub(join(dir, '.agent'), () => ({ maxDepth: 1, maxParallel: 4 }));
  const statuses: Run['statuses'] = [];
  hub.subscribe((s) => statuses.push({ ...s, at: performance.now() }));
  const model = () => ({ id: BENCH_MODEL, maxTokens: 1024 });
  const limits = () => ({ maxTurns: 20, maxCostUsd: 0 });
  const ports = { workspaceTrusted: true };
  const dynamicSystem = () => 'Environment:\n- Workspace folder: bench';
  const registry: ReturnType<typeof createRegistry> = createRegistry(builtinTools({
    agentTool: createAgentTool(() => ({ provider: () => provider, model, limits, tools: registry, permissions: engine, ports, workspaceRoot: dir, dynamicSystem, newId: () => crypto.randomUUID(), now: Date.now }), hub),
  }));
  const rt = SessionRuntime.create({ agentDir: join(dir, '.agent'), workspaceRoot: dir, provider: () => provider, model, limits, tools: registry, permissions: engine, ports, dynamicSystem });
  return { emu, rt, statuses, dir };
}

async function close(r: Run): Promise<void> {
  r.rt.close();
  await r.emu.close();
  rmSync(r.dir, { recursive: true, force: true });
}

/** Brain-like rules: each subagent's next step from how many assistant turns it has had. */
function subagentRules(): Rule[] {
  const steps = (b: Body) => (b.messages as Array<{ role: string }>).filter((m) => m.role === 'assistant').length;
  const rules: Rule[] = [];
  for (const n of AREAS) {
    const [s0, s1] = explore(n);
    rules.push({ match: { when: (b) => isSub(b) && taskOf(b) === String(n) && steps(b) === 0 }, reply: s0! });
    rules.push({ match: { when: (b) => isSub(b) && taskOf(b) === String(n) && steps(b) === 1 }, reply: s1! });
    rules.push({ match: { when: (b) => isSub(b) && taskOf(b) === String(n) && steps(b) >= 2 }, reply: { text: REPORT(String(n)) } });
  }
  return rules;
}

const agentCalls = { content: AREAS.map((n) => use('agent', { type: 'explore', description: `Explore area ${n}`, prompt: `Find the entry point of area ${n} and what calls it.` })) };
const contextOf = (r: Emulator['requests'][number]) => (r.usage ? r.usage.input_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0);

async function viaSubagents(): Promise<{ growth: number; speedup: number; shared: number; cacheRead: number }> {
  const r = await session(300, [agentCalls, { text: 'Summary of the four areas.' }], subagentRules());
  try {
    r.rt.submit('Explore the four areas.');
    await r.rt.idle();
    const parent = r.emu.requests.filter((x) => !isSub(x.body as Body));
    const growth = contextOf(parent.at(-1)!) - contextOf(parent[0]!);
    const start = new Map<string, number>();
    const end = new Map<string, number>();
    for (const s of r.statuses) {
      if (s.state === 'running' && !start.has(s.agentId)) start.set(s.agentId, s.at);
      if (['completed', 'error', 'aborted'].includes(s.state)) end.set(s.agentId, s.at);
    }
    if (start.size !== 4 || end.size !== 4) throw new Error(`expected 4 subagents to run, saw ${start.size} start and ${end.size} end`);
    if (process.env.BENCH_DEBUG) for (const [id, t] of start) console.log(`# ${id.slice(0, 14)} start ${(t - Math.min(...start.values())).toFixed(1)} end ${(end.get(id)! - Math.min(...start.values())).toFixed(1)}`);
    const busy = [...start].reduce((a, [id, t]) => a + (end.get(id)! - t), 0);
    const span = Math.max(...end.values()) - Math.min(...start.values());
    const subs = r.emu.requests.filter((x) => isSub(x.body as Body));
    const firsts = AREAS.map((n) => subs.find((x) => taskOf(x.body as Body) === String(n) && (x.body as { messages: unknown[] }).messages.length === 1)!);
    const prefix = (x: typeof firsts[number]) => JSON.stringify({ tools: (x.body as Body).tools, system: (x.body as Body).system });
    const ordered = [...firsts].sort((a, b) => a.seq - b.seq);
    const shared = ordered.filter((x) => prefix(x) === prefix(ordered[0]!)).length;
    const cacheRead = ordered.slice(1).filter((x) => (x.usage?.cache_read_input_tokens ?? 0) > 0).length;
    return { growth, speedup: busy / span, shared, cacheRead };
  } finally { await close(r); }
}

async function inline(): Promise<number> {
  const turns: ScriptItem[] = [...AREAS.flatMap((n) => explore(n)), { text: 'Summary of the four areas.' }];
  const r = await session(0, turns, []);
  try {
    r.rt.submit('Explore the four areas.');
    await r.rt.idle();
    const reqs = r.emu.requests;
    return contextOf(reqs.at(-1)!) - contextOf(reqs[0]!);
  } finally { await close(r); }
}

async function main(): Promise<void> {
  const sub = await viaSubagents();
  const inl = await inline();
  console.log(`# parent context growth: via subagents ${sub.growth} tokens, inline ${inl} tokens`);
  console.log(`subagent_parallel_speedup: ${sub.speedup.toFixed(2)} (target >= 3.9)`);
  console.log(`subagent_context_ratio: ${(sub.growth / inl).toFixed(3)} (target <= 0.15)`);
  console.log(`subagent_prefix_shared: ${sub.shared}/4 (target >= 4/4)`);
  console.log(`subagent_cache_read: ${sub.cacheRead}/3 (target >= 3/3)`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
