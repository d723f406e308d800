/**
 * Prompt-cache figures of a scripted session (issue #3), with the real runtime, the real SDK provider and the
 * built-in tool registry against the emulator (which accounts the prompt cache by prefix):
 *
 *   cache_hit_vs_ceiling  Σ cache_read / (Σ input sent − final context), where input sent per request is
 *                         input + cache_read + cache_creation. 50 user turns, a ~2,000-token rules/memory prelude.
 *   prefix_stable_turns   of 100 requests, how many send tools + system byte-identical to the first one
 *                         (the permission mode changes along the way: it must not change the tool list).
 *
 * Run alone: node --import tsx test/bench/agent-bench.ts
 */
import type { PermissionMode } from '../../extension/core/permissions/types';
import type { UsageReport } from '../emulator';
import { fmt, messageExchanges, preludeOfTokens, type MessagesBody } from './lib/common';
import { benchSession, planTurns, runTurn, scriptFor } from './lib/session';

const sent = (u: UsageReport) => u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;

async function cacheHit(): Promise<void> {
  const plans = planTurns({ seed: 3, turns: 50 });
  const prelude = preludeOfTokens(2_000);
  const s = await benchSession({ script: scriptFor(plans, 3), prelude });
  try {
    for (const p of plans) await runTurn(s.rt, p.user);
    const ex = messageExchanges(s.emu.requests);
    const usage = ex.map((r, i) => {
      if (!r.usage) throw new Error(`request ${i + 1} has no usage (status ${r.status}, ${r.outcome})`);
      return r.usage;
    });
    const total = usage.reduce((a, u) => a + sent(u), 0);
    const final = sent(usage[usage.length - 1]!);
    const read = usage.reduce((a, u) => a + u.cache_read_input_tokens, 0);
    const written = usage.reduce((a, u) => a + u.cache_creation_input_tokens, 0);
    const uncached = usage.reduce((a, u) => a + u.input_tokens, 0);
    const ceiling = total - final;
    console.log(`# ${plans.length} user turns, ${ex.length} requests, ${s.tools.calls()} tool calls, prelude ${Math.ceil(Buffer.byteLength(prelude) / 4)} tokens`);
    console.log(`cache_total_input_sent_tokens: ${total}`);
    console.log(`cache_read_tokens: ${read}`);
    console.log(`cache_write_tokens: ${written}`);
    console.log(`cache_uncached_input_tokens: ${uncached}`);
    console.log(`cache_final_context_tokens: ${final}`);
    console.log(`cache_ceiling_tokens: ${ceiling}`);
    console.log(`cache_ceiling_fraction: ${fmt(ceiling / total)}`);
    console.log(`cache_hit_rate: ${fmt(read / total)}`);
    console.log(`cache_hit_vs_ceiling: ${fmt(read / ceiling)}`);
    // Where the reads fall short, show the requests that read least of what the previous one sent.
    const misses = usage.slice(1).map((u, i) => ({ req: i + 2, short: sent(usage[i]!) - u.cache_read_input_tokens, u }))
      .filter((m) => m.short > 8).sort((a, b) => b.short - a.short).slice(0, 5);
    for (const m of misses) console.log(`# request ${m.req} read ${m.u.cache_read_input_tokens} of the ${m.short + m.u.cache_read_input_tokens} tokens the previous request sent (input ${m.u.input_tokens}, write ${m.u.cache_creation_input_tokens})`);
  } finally {
    await s.close();
  }
}

async function prefixStable(): Promise<void> {
  const N = 100;
  const plans = planTurns({ seed: 5, requests: N });
  const s = await benchSession({ script: scriptFor(plans, 5), prelude: preludeOfTokens(2_000) });
  const modes: PermissionMode[] = ['ask', 'auto', 'plan', 'accept-edits'];
  try {
    for (const [i, p] of plans.entries()) {
      s.permissions.setMode(modes[Math.floor(i / 5) % modes.length]!);
      await runTurn(s.rt, p.user);
    }
    const bodies = messageExchanges(s.emu.requests).map((r) => r.body as MessagesBody).slice(0, N);
    const prefix = (b: MessagesBody) => JSON.stringify({ tools: b.tools, system: b.system });
    const first = prefix(bodies[0]!);
    const differing = bodies.map((b, i) => ({ i, p: prefix(b) })).filter((x) => x.p !== first);
    const toolCount = Array.isArray(bodies[0]!.tools) ? (bodies[0]!.tools as unknown[]).length : 0;
    console.log(`# ${bodies.length} requests over ${plans.length} user turns; ${toolCount} tools; prefix ${Buffer.byteLength(first)} bytes; permission mode cycled ${modes.join(' -> ')}`);
    console.log(`prefix_stable_turns: ${bodies.length - differing.length}/${N}`);
    for (const d of differing.slice(0, 3)) {
      let at = 0;
      while (at < first.length && first[at] === d.p[at]) at++;
      console.log(`# request ${d.i + 1} differs at byte ${at}: first ${JSON.stringify(first.slice(Math.max(0, at - 40), at + 40))} vs ${JSON.stringify(d.p.slice(Math.max(0, at - 40), at + 40))}`);
    }
  } finally {
    await s.close();
  }
}

async function main(): Promise<void> {
  await cacheHit();
  await prefixStable();
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
