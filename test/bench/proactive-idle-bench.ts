// Proactive mode's idle cost (issue 15). Prints `name: value` lines for test/bench/run.mjs.
//
//   proactive_requests_per_idle_hour      8 simulated idle hours, ticks every 10 min, nothing to report and the
//                                         workspace unchanged: model requests per hour after the first tick
//   proactive_usd_per_idle_hour           the dollars of those hours (emulator usage priced as Claude Haiku 4.5)
//   proactive_sleeping_tick_usd           the most any tick that did not need the model cost (asleep / unchanged)
//   proactive_requests_per_tick_changing  the worst case: the workspace changes before every tick (a watcher
//                                         touching files), the model answers "sleep 5 min": requests per tick
//
// The real scheduler, tick, guard, SDK provider and emulator; the clock is simulated (ManualClock), so an idle
// hour takes milliseconds. The model is scripted: every request is answered with a sleep call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPermissionEngine } from '../../extension/core/permissions/engine';
import { createAnthropicProvider } from '../../extension/core/providers/anthropic';
import { ManualClock } from '../../extension/core/scheduler/clock';
import type { WorkspaceSnapshot } from '../../extension/core/scheduler/proactive/probe';
import { ProactiveScheduler } from '../../extension/core/scheduler/proactive/scheduler';
import { DEFAULT_PROACTIVE_SETTINGS } from '../../extension/core/scheduler/proactive/settings';
import type { TickResult } from '../../extension/core/scheduler/proactive/tick';
import { builtinTools } from '../../extension/core/tools';
import { startEmulator } from '../emulator';

const MIN = 60_000;

async function scenario(changing: boolean, sleepMinutes: number, hours: number) {
  const root = mkdtempSync(join(tmpdir(), 'cairn-bench-proactive-'));
  writeFileSync(join(root, 'a.ts'), 'export const a = 1;\n');
  const emu = await startEmulator({ port: 0, rules: [{ match: {}, reply: { content: [{ type: 'tool_use', name: 'sleep', input: { minutes: sleepMinutes, reason: 'tests pass, nothing new' } }] } }] });
  const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: emu.url });
  const clock = new ManualClock(Date.parse('2026-12-02T08:00:00Z'));
  let n = 0;
  const ticks: TickResult[] = [];
  const settings = { ...DEFAULT_PROACTIVE_SETTINGS, enabled: true, tickMinutes: 10, dailyBudgetUsd: 5 };
  const s = new ProactiveScheduler({
    agentDir: join(root, '.agent'), workspaceRoot: root, clock, settings: () => settings, provider: () => provider,
    tools: builtinTools(), permissions: createPermissionEngine({ workspaceRoot: root, trusted: true }),
    probe: { snapshot: async (): Promise<WorkspaceSnapshot> => ({ diagnostics: [], gitStatus: changing ? ` M a.ts (${n++})` : '', gitDiffHash: 'x', recentErrors: [] }) },
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000, stallMs: 5000 },
    newId: () => `id${n++}`, onTick: (r) => ticks.push(r),
  });
  s.start();
  s.setIdle(true);
  await clock.advance(hours * 60 * MIN, () => s.settle());
  s.stop();
  await emu.close();
  rmSync(root, { recursive: true, force: true });
  return ticks;
}

async function main(): Promise<void> {
  const hours = 8;
  const idle = await scenario(false, 30, hours);
  const later = idle.slice(1);
  const reqs = later.reduce((a, t) => a + t.requests, 0);
  const usd = later.reduce((a, t) => a + t.costUsd, 0);
  const free = idle.filter((t) => !t.requested);
  console.log(`unchanged workspace: ${idle.length} ticks in ${hours} h; first tick ${idle[0]?.requests} request(s) $${idle[0]?.costUsd.toFixed(5)}; then ${reqs} request(s) $${usd.toFixed(5)}`);
  console.log(`proactive_requests_per_idle_hour: ${(reqs / hours).toFixed(3)} (target <= 6)`);
  console.log(`proactive_usd_per_idle_hour: ${(usd / hours).toFixed(5)}`);
  console.log(`proactive_sleeping_tick_usd: ${Math.max(0, ...free.map((t) => t.costUsd)).toFixed(5)} (target <= 0)`);
  const busy = await scenario(true, 5, 2);
  const perTick = Math.max(...busy.map((t) => t.requests));
  const usdBusy = busy.reduce((a, t) => a + t.costUsd, 0);
  console.log(`changing workspace: ${busy.length} ticks in 2 h, ${busy.reduce((a, t) => a + t.requests, 0)} request(s), $${(usdBusy / 2).toFixed(5)} per hour`);
  console.log(`proactive_requests_per_tick_changing: ${perTick} (target <= 1)`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
