/** A scripted session against the emulator with the real runtime, the real SDK provider and the real tool registry. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionRuntime, type RuntimeOptions } from '../../../extension/core/session/runtime';
import { createPermissionEngine, type Engine } from '../../../extension/core/permissions/engine';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import type { AnyTool } from '../../../extension/core/tools/types';
import { startEmulator, type Emulator, type Rule, type ScriptItem, type ScriptTurn } from '../../emulator';
import { BENCH_MODEL, benchTools, prose, rng } from './common';

/** One user turn: `rounds` model responses with tool calls, then a final text answer. */
export interface TurnPlan { user: string; rounds: number }

/** A mix of plain questions and tool-using tasks; `requests` = Σ(rounds + 1). */
export function planTurns(opts: { seed: number; turns?: number; requests?: number }): TurnPlan[] {
  const r = rng(opts.seed);
  const plans: TurnPlan[] = [];
  let requests = 0;
  for (let i = 0; ; i++) {
    if (opts.turns !== undefined && plans.length >= opts.turns) break;
    if (opts.requests !== undefined && requests >= opts.requests) break;
    const x = r();
    let rounds = x < 0.4 ? 0 : x < 0.7 ? 1 : x < 0.9 ? 2 : 3;
    if (opts.requests !== undefined) rounds = Math.min(rounds, opts.requests - requests - 1);
    plans.push({ user: `Task ${i + 1}: ${prose(80 + Math.floor(r() * 300), opts.seed * 10_000 + i)}`, rounds });
    requests += rounds + 1;
  }
  return plans;
}

/** The scripted model replies for a plan, in the order the requests will arrive. */
export function scriptFor(plans: TurnPlan[], seed: number): ScriptItem[] {
  const r = rng(seed + 1);
  const items: ScriptItem[] = [];
  plans.forEach((p, i) => {
    for (let k = 0; k < p.rounds; k++) {
      const calls = r() < 0.3 ? 2 : 1;
      const content: NonNullable<ScriptTurn['content']> = [{ type: 'text', text: prose(60 + Math.floor(r() * 200), seed * 1000 + i * 10 + k) }];
      for (let c = 0; c < calls; c++) {
        content.push({ type: 'tool_use', name: r() < 0.6 ? 'search_code' : 'read_notes', input: { query: `${prose(20 + Math.floor(r() * 30), i * 100 + k * 10 + c)}`, limit: 20 } });
      }
      items.push({ content });
    }
    items.push({ text: prose(200 + Math.floor(r() * 1200), seed * 7 + i) });
  });
  return items;
}

export interface BenchSession {
  emu: Emulator;
  rt: SessionRuntime;
  dir: string;
  permissions: Engine;
  tools: ReturnType<typeof benchTools>;
  close(): Promise<void>;
}

export const DYNAMIC_SYSTEM = 'Workspace: a TypeScript monorepo (npm workspaces). Platform: linux. Shell: bash. Default branch: main.';

export interface RuntimeSetup {
  baseURL: string; dir: string; prelude?: string; runtime?: Partial<RuntimeOptions>; fetch?: typeof fetch; resumeId?: string;
  /** Size of each bench tool output, and text appended to some outputs (planted facts). */
  outputChars?: number; plant?: (query: string) => string | undefined;
}

/** A runtime whose tools are the built-in registry plus the bench tools (as external tools), talking to `baseURL`. */
export function benchRuntime(o: RuntimeSetup): { rt: SessionRuntime; permissions: Engine; tools: ReturnType<typeof benchTools> } {
  writeFileSync(join(o.dir, 'README.md'), '# bench workspace\n');
  const tools = benchTools(o.outputChars, o.plant);
  const registry = createRegistry(builtinTools(), [tools.tools.get('read_notes'), tools.tools.get('search_code')].filter((t): t is AnyTool => Boolean(t)));
  const permissions = createPermissionEngine({ workspaceRoot: o.dir, trusted: true, mode: 'ask' });
  const provider = createAnthropicProvider({ apiKey: 'bench-key', baseURL: o.baseURL, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const opts: RuntimeOptions = {
    agentDir: join(o.dir, '.agent'), workspaceRoot: o.dir,
    provider: () => provider,
    model: () => ({ id: BENCH_MODEL, maxTokens: 4096 }),
    tools: registry, permissions,
    ports: { workspaceTrusted: true },
    retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 80, maxRetryAfterMs: 1_000, stallMs: 30_000 },
    limits: () => ({ maxTurns: 50, maxCostUsd: 0 }),
    dynamicSystem: () => DYNAMIC_SYSTEM,
    ...(o.prelude !== undefined ? { prelude: () => o.prelude } : {}),
    ...o.runtime,
  };
  const rt = o.resumeId ? SessionRuntime.resume(opts, o.resumeId) : SessionRuntime.create(opts);
  return { rt, permissions, tools };
}

/** Starts an in-process emulator with a script and a bench runtime against it. */
export async function benchSession(opts: { script: ScriptItem[]; prelude?: string; runtime?: Partial<RuntimeOptions>; rules?: Rule[]; outputChars?: number; plant?: (query: string) => string | undefined }): Promise<BenchSession> {
  const emu = await startEmulator({ port: 0, scenario: opts.script, contextWindow: 1_000_000, ...(opts.rules ? { rules: opts.rules } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const { rt, permissions, tools } = benchRuntime({
    baseURL: emu.url, dir, ...(opts.prelude !== undefined ? { prelude: opts.prelude } : {}), ...(opts.runtime ? { runtime: opts.runtime } : {}),
    ...(opts.outputChars ? { outputChars: opts.outputChars } : {}), ...(opts.plant ? { plant: opts.plant } : {}),
  });
  return {
    emu, rt, dir, permissions, tools,
    async close() {
      rt.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Submits one user turn and waits for it; throws unless it completed. */
export async function runTurn(rt: SessionRuntime, text: string): Promise<void> {
  rt.submit(text);
  const stop = await rt.idle();
  if (stop !== 'completed') throw new Error(`turn "${text.slice(0, 40)}" ended ${stop}: ${rt.snapshot().lastError?.message ?? ''}`);
}
