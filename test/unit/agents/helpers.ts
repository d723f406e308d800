/** Set-up for subagent tests: the real loop, the real SDK against the emulator, a session with the `agent` tool. */
import { createPermissionEngine, type Engine } from '../../../extension/core/permissions/engine';
import type { PermissionMode, PermissionRule } from '../../../extension/core/permissions/types';
import type { ApprovalAnswer, ApprovalRequest, Ports, ProcessPort } from '../../../extension/core/ports';
import { builtinTools, createRegistry, TodoStore } from '../../../extension/core/tools';
import { createAgentTool } from '../../../extension/core/tools/agent';
import { SubagentHub, type SubagentSettings, type SubagentStatus } from '../../../extension/core/agents/hub';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import type { AnyTool } from '../../../extension/core/tools/types';
import type { ScriptItem, Rule } from '../../emulator/types';
import { FAST_RETRY, type Harness } from '../agent/harness';
import type { SessionRuntime } from '../../../extension/core/session/runtime';

export type Body = Record<string, unknown>;

export const systemOf = (b: Body): string => ((b.system as Array<{ text: string }> | undefined) ?? []).map((s) => s.text).join('\n');
export const isSub = (b: Body, type?: string): boolean => systemOf(b).includes(type ? `You are ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} subagent` : 'You are a subagent of Cairn');
export const toolNames = (b: Body): string[] => ((b.tools as Array<{ name: string }> | undefined) ?? []).map((t) => t.name);
export function lastUser(b: Body): Array<Record<string, unknown>> {
  const msgs = b.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
  return msgs[msgs.length - 1]?.content ?? [];
}
export const hasResult = (b: Body): boolean => lastUser(b).some((x) => x.type === 'tool_result');
export const firstUserText = (b: Body): string => {
  const msgs = b.messages as Array<{ role: string; content: Array<{ type: string; text?: string }> }>;
  return msgs[0]?.content.filter((x) => x.type === 'text').map((x) => x.text).join('') ?? '';
};

export const use = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });
export const agentCall = (type: string, prompt: string, description = `${type} task`) => use('agent', { type, description, prompt });

/** A subagent's script: its first request gets `first`, every later one (after a tool result) the report. */
export function subRules(type: string | undefined, first: ScriptItem, report: string, extra?: (b: Body) => boolean): Rule[] {
  const mine = (b: Body) => isSub(b, type) && (!extra || extra(b));
  return [
    { match: { when: (b) => mine(b) && !hasResult(b) }, reply: first },
    { match: { when: (b) => mine(b) && hasResult(b) }, reply: { text: report } },
  ];
}

export interface SetupOptions {
  mode?: PermissionMode;
  rules?: PermissionRule[];
  settings?: Partial<SubagentSettings>;
  answers?: ApprovalAnswer[];
  /** Drop these built-in tools from the parent's set. */
  without?: string[];
  extraTools?: AnyTool[];
  process?: ProcessPort;
  todo?: TodoStore;
}

export interface Setup {
  rt: SessionRuntime;
  hub: SubagentHub;
  engine: Engine;
  asked: ApprovalRequest[];
  ran: string[];
  statuses: SubagentStatus[];
  todo: TodoStore;
}

export function setup(h: Harness, o: SetupOptions = {}): Setup {
  const asked: ApprovalRequest[] = [];
  const ran: string[] = [];
  const answers = [...(o.answers ?? [])];
  const engine = createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: o.mode ?? 'ask', rules: o.rules ?? [] });
  const hub = new SubagentHub(h.agentDir, () => ({ maxDepth: 1, maxParallel: 4, ...o.settings }));
  const statuses: SubagentStatus[] = [];
  hub.subscribe((s) => statuses.push(s));
  const process: ProcessPort = o.process ?? { run: async (req) => { ran.push(req.command ?? req.argv?.join(' ') ?? ''); return { exitCode: 0, signal: null, output: 'ok', timedOut: false, aborted: false }; } };
  const ports: Ports = { workspaceTrusted: true, process, approval: { ask: async (req) => { asked.push(req); return answers.shift() ?? { decision: 'reject' }; } } };
  const todo = o.todo ?? new TodoStore();
  // The real SDK against the emulator, for the subagents as for the parent.
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: h.emu.url });
  const model = () => ({ id: 'claude-sonnet-5-5', maxTokens: 1024 });
  const limits = () => ({ maxTurns: 20, maxCostUsd: 0 });
  const agentTool = createAgentTool(() => ({
    provider: () => provider, model, limits, tools: registry, permissions: engine, ports, workspaceRoot: h.dir,
    dynamicSystem: () => 'Environment: test workspace', retry: FAST_RETRY, newId: () => crypto.randomUUID(), now: Date.now,
  }), hub);
  const drop = new Set(o.without ?? []);
  const registry: ReturnType<typeof createRegistry> = createRegistry(builtinTools({ agentTool, todoStore: todo }).filter((t) => !drop.has(t.name)), o.extraTools ?? []);
  const rt = h.runtime({ tools: registry, permissions: engine, ports, limits, dynamicSystem: () => 'Environment: test workspace' });
  return { rt, hub, engine, asked, ran, statuses, todo };
}

/** The tool results of the parent's session, by tool name. */
export function resultsOf(rt: SessionRuntime, name: string): string[] {
  return rt.snapshot().messages.flatMap((m) => m.blocks).filter((b) => b.type === 'tool_use' && b.name === name).map((b) => (b.type === 'tool_use' ? String(b.output ?? '') : ''));
}
