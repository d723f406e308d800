/**
 * Runs the tool calls of one model response. A call runs only if its input parsed and validates, the
 * permission engine allows it (or the user approved), and the turn was not stopped. Consecutive read-only,
 * concurrency-safe calls run in parallel (bounded); everything else runs one at a time, in order.
 * Every call gets exactly one tool_result, logged as soon as it is known.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage } from '../../protocol/model';
import type { ApprovalPort, Ports } from '../ports';
import type { PermissionEngine } from '../permissions/types';
import type { TranscriptEntry } from '../session/entries';
import { isAbsolute, relative } from 'node:path';
import { describeForApproval } from '../permissions/describe';
import type { AnyTool, ReadLedger, SessionFacts, ToolResult } from '../tools/types';
import { INTERRUPTED_BY_USER, NOT_RUN, type ContentParam } from './history';
import type { RuntimeEvent } from './events';

export interface ToolLookup { get(name: string): AnyTool | undefined }

/** Per-session record of tool outcomes and the current task's taint. */
export class ToolFacts {
  private readonly outcomes = new Map<string, { name: string; status: 'done' | 'error' | 'interrupted' }>();
  untrusted = false;
  record(id: string, name: string, status: 'done' | 'error' | 'interrupted'): void { this.outcomes.set(id, { name, status }); }
  view(): SessionFacts {
    return {
      outcome: (id) => this.outcomes.get(id)?.status,
      toolName: (id) => this.outcomes.get(id)?.name,
      succeeded: () => [...this.outcomes].filter(([, o]) => o.status === 'done').map(([id]) => id),
      readUntrusted: () => this.untrusted,
    };
  }
}

/** Built-ins whose output is untrusted content, unless the tool says otherwise. */
function defaultUntrusted(name: string, input: unknown, root: string): boolean {
  if (name === 'run_command') return true;
  if (name === 'read_file' || name === 'grep' || name === 'list_files' || name === 'glob') {
    const p = (input as { path?: unknown } | null)?.path;
    return typeof p === 'string' && isAbsolute(p) && relative(root, p).startsWith('..');
  }
  return false;
}

export interface ToolEnv {
  tools: ToolLookup;
  permissions?: PermissionEngine;
  ports: Ports;
  reads: ReadLedger;
  workspaceRoot: string;
  sessionDir: string;
  sessionId: string;
  maxParallel: number;
  facts?: ToolFacts;
  /** Persist an "always allow" rule for the workspace or for every workspace (the host knows where). */
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  /** A note to append to a successful tool result (e.g. nested rules files), if any. */
  note?(toolName: string, input: unknown): string | undefined;
  /** Snapshot a file before the turn first changes it (core/checkpoints). */
  checkpoint?(absPath: string): Promise<void>;
  newId(): string;
  now(): number;
  log(entry: TranscriptEntry): void;
}

export const OUTPUT_PREVIEW = 4_000;
const SELF_REVIEWED = new Set(['edit_file', 'write_file']);

type Use = Anthropic.ToolUseBlock;
type Outcome = { content: string; isError: boolean; status: 'done' | 'error' | 'interrupted' };

export async function executeTools(uses: Use[], message: ChatMessage | null, env: ToolEnv, signal: AbortSignal, emit: (e: RuntimeEvent) => void): Promise<ContentParam[]> {
  const results = new Map<string, Outcome>();
  const blockIndex = (id: string) => (message ? message.blocks.findIndex((b) => b.type === 'tool_use' && b.id === id) : -1);
  const setStatus = (use: Use, status: 'running') => {
    const bi = blockIndex(use.id);
    if (!message || bi < 0) return;
    const b = message.blocks[bi];
    if (b && b.type === 'tool_use') b.status = status;
    emit({ name: 'message/toolDelta', data: { messageId: message.id, blockIndex: bi, id: use.id, name: use.name, inputJsonDelta: '', status } });
  };
  const finish = (use: Use, o: Outcome, durationMs: number) => {
    results.set(use.id, o);
    env.facts?.record(use.id, use.name, o.status);
    env.log({ t: 'tool_result', ts: env.now(), toolUseId: use.id, content: o.content, isError: o.isError, status: o.status, durationMs });
    const bi = blockIndex(use.id);
    if (message && bi >= 0) {
      const b = message.blocks[bi];
      const output = o.content.slice(0, OUTPUT_PREVIEW);
      if (b && b.type === 'tool_use') { b.status = o.status; b.output = output; b.durationMs = durationMs; }
      emit({ name: 'tool/result', data: { messageId: message.id, blockIndex: bi, toolUseId: use.id, status: o.status, output, durationMs } });
    }
  };

  const runOne = async (use: Use): Promise<void> => {
    if (signal.aborted) return finish(use, { content: NOT_RUN, isError: true, status: 'interrupted' }, 0);
    const started = env.now();
    const gate = await admit(use, env, signal, emit);
    if (!gate.ok) return finish(use, gate.outcome, env.now() - started);
    const { tool, parsed } = gate;
    setStatus(use, 'running');
    env.log({ t: 'tool_start', ts: env.now(), toolUseId: use.id, name: use.name });
    let res: ToolResult;
    const ctx = {
      workspaceRoot: env.workspaceRoot, sessionDir: env.sessionDir, sessionId: env.sessionId, toolUseId: use.id,
      signal, ports: env.ports, reads: env.reads, ...(env.facts ? { session: env.facts.view() } : {}),
      ...(env.permissions ? { mode: env.permissions.mode() } : {}),
      ...(env.checkpoint ? { checkpoint: env.checkpoint } : {}),
    };
    try {
      res = await tool.execute(parsed.data, ctx);
      if (env.facts && (tool.untrustedOutput ? tool.untrustedOutput(parsed.data, ctx) : defaultUntrusted(use.name, parsed.data, env.workspaceRoot))) env.facts.untrusted = true;
      if (!res.isError && env.note) { const n = env.note(use.name, parsed.data); if (n) res = { ...res, content: `${res.content}\n\n${n}` }; }
    } catch (err) {
      res = { content: `The tool failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
    const outcome: Outcome = signal.aborted
      ? { content: `${INTERRUPTED_BY_USER}${res.content ? `\nPartial output:\n${res.content}` : ''}`, isError: true, status: 'interrupted' }
      : { content: res.content, isError: Boolean(res.isError), status: res.isError ? 'error' : 'done' };
    finish(use, outcome, env.now() - started);
  };

  // Group consecutive read-only, concurrency-safe calls; run each group in parallel (bounded).
  let i = 0;
  while (i < uses.length) {
    const tool = env.tools.get(uses[i]!.name);
    if (tool && tool.readOnly && tool.concurrencySafe) {
      let j = i;
      while (j < uses.length) { const t = env.tools.get(uses[j]!.name); if (!t || !t.readOnly || !t.concurrencySafe) break; j++; }
      await runBounded(uses.slice(i, j), env.maxParallel, runOne);
      i = j;
    } else {
      await runOne(uses[i]!);
      i++;
    }
  }
  return uses.map((u) => {
    const o = results.get(u.id) ?? { content: NOT_RUN, isError: true, status: 'interrupted' as const };
    return { type: 'tool_result', tool_use_id: u.id, content: o.content, ...(o.isError ? { is_error: true } : {}) };
  });
}

/** Why a call must not run (as its result), or undefined when it may. */
type Admission = { ok: true; tool: AnyTool; parsed: { data: unknown } } | { ok: false; outcome: Outcome };

/** Whether a call may run: its validated input (parsed once) when it may, else why not, as its result. */
async function admit(use: Use, env: ToolEnv, signal: AbortSignal, emit: (e: RuntimeEvent) => void): Promise<Admission> {
  const refuse = (content: string): Admission => ({ ok: false, outcome: { content, isError: true, status: 'error' } });
  const tool = env.tools.get(use.name);
  if (!tool) return refuse(`There is no tool named "${use.name}". Use one of the tools you were given.`);
  const input = use.input as Record<string, unknown> | null;
  if (input && typeof input === 'object' && '__malformed_json' in input) {
    return refuse('The input of this tool call was not valid JSON (it may have been cut off), so it was not run. Send the call again with complete JSON.');
  }
  const parsed = tool.input.safeParse(use.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i: { path: PropertyKey[]; message: string }) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
    return refuse(`Invalid input for ${use.name}: ${issues}. It was not run.`);
  }
  const outcome = await permit(tool, use, env, signal, emit);
  return outcome ? { ok: false, outcome } : { ok: true, tool, parsed: { data: parsed.data } };
}

/** Trust, permission rules and the user's approval; undefined when the call may run. */
async function permit(tool: AnyTool, use: Use, env: ToolEnv, signal: AbortSignal, emit: (e: RuntimeEvent) => void): Promise<Outcome | undefined> {
  if (!tool.readOnly && !env.ports.workspaceTrusted) {
    return { content: 'This workspace is not trusted, so Cairn does not run tools that change anything here. Ask the user to trust the workspace.', isError: true, status: 'error' };
  }
  const decision = env.permissions ? env.permissions.check({ tool: use.name, input: use.input, readOnly: tool.readOnly }) : tool.readOnly ? { behavior: 'allow' as const, reason: 'read-only' } : { behavior: 'ask' as const, reason: 'changes the workspace' };
  if (decision.behavior === 'deny') return { content: `Denied: ${decision.reason}. Do not try to get around this; ask the user if it is needed.`, isError: true, status: 'error' };
  if (decision.behavior === 'allow') return undefined;
  // In ask mode the edit tools show the change as a per-hunk diff review: that review is the approval.
  if (SELF_REVIEWED.has(use.name) && env.ports.diffReview && (env.permissions?.mode() ?? 'ask') === 'ask') return undefined;
  return ask(use, decision.reason, env.ports.approval, env, signal, emit);
}

async function ask(use: Use, reason: string, port: ApprovalPort | undefined, env: ToolEnv, signal: AbortSignal, emit: (e: RuntimeEvent) => void): Promise<Outcome | undefined> {
  if (!port) return { content: `Needs the user's approval (${reason}), and nobody can approve here. It was not run.`, isError: true, status: 'error' };
  // Whatever will run is shown whole, with invisible and control characters made visible.
  const input = (use.input ?? {}) as Record<string, unknown>;
  const described = typeof input.command === 'string' ? describeForApproval(input.command) : undefined;
  const summary = JSON.stringify(described ? { ...input, command: described.text } : input);
  const warn = described?.warnings.length ? `Look closely: the command contains ${described.warnings.join('; ')}.` : undefined;
  const request = { id: env.newId(), tool: use.name, summary, reason, ...(warn ? { detail: warn } : {}) };
  emit({ name: 'approval/requested', data: { request } });
  const answer = await port.ask(request, signal);
  emit({ name: 'approval/resolved', data: { id: request.id, decision: signal.aborted ? 'withdrawn' : answer.decision } });
  if (signal.aborted) return { content: NOT_RUN, isError: true, status: 'interrupted' };
  if (answer.decision === 'approve') {
    if (answer.scope !== 'once' && env.permissions) {
      // Only a narrow rule is ever remembered (e.g. "run_command(npm test:*)"); risky calls get none.
      const pattern = env.permissions.suggestRule?.({ tool: use.name, input: use.input, readOnly: false });
      if (pattern) {
        env.permissions.addRule({ effect: 'allow', pattern, source: answer.scope === 'session' ? 'session' : answer.scope === 'workspace' ? 'local' : 'user' });
        if (answer.scope !== 'session') env.rememberRule?.(answer.scope, pattern);
      }
    }
    return undefined;
  }
  return { content: `The user rejected this call${answer.reason ? `: ${answer.reason}` : '.'} Do not retry it as is.`, isError: true, status: 'error' };
}

async function runBounded<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) { const item = items[next++]!; await fn(item); }
  });
  await Promise.all(workers);
}
