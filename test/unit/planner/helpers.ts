/** Plan tests: a session assembled exactly as the panel and the runner assemble it, against the emulator. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSession } from '../../../extension/core/session/assemble';
import { SessionRuntime } from '../../../extension/core/session/runtime';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import type { PermissionMode, PermissionRule } from '../../../extension/core/permissions/types';
import type { ProcessPort } from '../../../extension/core/ports';
import { FAST_RETRY, type Harness } from '../agent/harness';

export const PLAN = {
  title: 'Add a greeting',
  summary: 'Add a greet function and use it.',
  steps: [
    { text: 'Write greet in src/greet.ts', files: ['src/greet.ts'] },
    { text: 'Call it from src/main.ts', files: ['src/main.ts'] },
    { text: 'Run the tests', files: [] },
  ],
  risks: ['None worth noting'],
  verification: 'npm test',
};

export const propose = (input: Record<string, unknown> = PLAN) => ({ type: 'tool_use' as const, name: 'propose_plan', input });
export const write = (path: string, content = 'changed\n') => ({ type: 'tool_use' as const, name: 'write_file', input: { path, content } });
export const edit = (path: string, oldText: string, newText: string) => ({ type: 'tool_use' as const, name: 'edit_file', input: { path, edits: [{ old_text: oldText, new_text: newText }] } });
export const run = (command: string) => ({ type: 'tool_use' as const, name: 'run_command', input: { command } });
export const step = (n: number, state: string, extra: Record<string, unknown> = {}) => ({ type: 'tool_use' as const, name: 'update_plan_step', input: { step: n, state, ...extra } });

export function workspace(h: Harness): void {
  mkdirSync(join(h.dir, 'src'), { recursive: true });
  writeFileSync(join(h.dir, 'src/main.ts'), 'console.log("hi");\n');
  writeFileSync(join(h.dir, 'src/other.ts'), 'export const x = 1;\n');
}

export interface PlanSession {
  rt: SessionRuntime;
  plans: ReturnType<typeof assembleSession>['plans'];
  permissions: ReturnType<typeof assembleSession>['permissions'];
  ultra: ReturnType<typeof assembleSession>['ultra'];
  sessionId: string;
  ran: string[];
  asked: string[];
  modes: PermissionMode[];
}

/** Every approval prompt is answered "approve" (the strongest setting an attacker could hope for). */
export function planSession(h: Harness, mode: PermissionMode, opts: { rules?: PermissionRule[]; sessionId?: string; approve?: boolean } = {}): PlanSession {
  const ran: string[] = [];
  const asked: string[] = [];
  const modes: PermissionMode[] = [];
  const process: ProcessPort = { run: async (req) => { ran.push(req.command ?? req.argv?.join(' ') ?? ''); return { exitCode: 0, signal: null, output: 'ok', timedOut: false, aborted: false }; } };
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: h.emu.url });
  const a = assembleSession({
    agentDir: h.agentDir, workspaceRoot: h.dir, trusted: true, mode,
    ...(opts.rules ? { userRules: opts.rules } : {}),
    ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
    provider: () => provider,
    model: () => ({ id: 'claude-sonnet-5-5', maxTokens: 1024 }),
    limits: () => ({ maxTurns: 20, maxCostUsd: 0 }),
    contributions: [],
    ports: { process, approval: { ask: async (req) => { asked.push(req.tool); return opts.approve === false ? { decision: 'reject' } : { decision: 'approve', scope: 'once' }; } } },
    onModeChange: (m) => { modes.push(m); },
  });
  const o = { ...a.options, retry: FAST_RETRY };
  const rt = opts.sessionId ? SessionRuntime.resume(o, a.sessionId) : SessionRuntime.create(o, a.sessionId);
  return { rt, plans: a.plans, permissions: a.permissions, ultra: a.ultra, sessionId: a.sessionId, ran, asked, modes };
}

/** Results of tool calls, by tool name, in order (from the transcript). */
export function results(rt: SessionRuntime): Array<{ name: string; status: string; content: string; display?: Record<string, unknown> }> {
  const names = new Map<string, string>();
  const out: Array<{ name: string; status: string; content: string; display?: Record<string, unknown> }> = [];
  for (const e of rt.entries) {
    if (e.t === 'msg' && e.role === 'assistant') for (const b of e.content) if (b.type === 'tool_use') names.set(b.id, b.name);
    if (e.t === 'tool_result') out.push({ name: names.get(e.toolUseId) ?? '?', status: e.status, content: e.content, ...(e.display ? { display: e.display } : {}) });
  }
  return out;
}
