/**
 * Runs the tool calls of one model response. Each call moves through explicit states — validating (input and
 * permissions checked) -> awaiting_approval (only when the engine says "ask") -> running -> done | error |
 * cancelled | interrupted — each recorded in the log as it happens. The permission engine alone decides allow /
 * ask / deny; an "ask" is put to the user as a plain approval, or as a per-hunk diff review for tools that present
 * their change that way. Consecutive read-only, concurrency-safe calls run in parallel (bounded); everything else
 * runs one at a time, in order. Every call gets exactly one tool_result, logged as soon as it is known.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApprovalPort, Ports } from '../ports';
import type { Decision, PermissionEngine, ResolvedPath } from '../permissions/types';
import { contain, toRel } from '../permissions/containment';
import type { ToolOutcome, TranscriptEntry } from '../session/entries';
import { MAX_DISPLAY_BYTES } from '../session/entries';
import type { ContentParam } from '../session/project';
import { describeForApproval } from '../permissions/describe';
import { redactForModel } from '../util/redact';
import type { AnyTool, JobRegistry, ReadLedger, SessionFacts, ToolContext, ToolResult } from '../tools/types';
import type { AgentEvent } from './events';
import type { AgentLog } from './log';

export interface ToolLookup { get(name: string): AnyTool | undefined }

export const INTERRUPTED_BY_USER = 'Interrupted by the user before this tool finished. It may have been partly applied; check before retrying.';
export const INTERRUPTED_BY_CRASH = 'The session stopped (the editor or process exited) while this tool was running. It was not re-run; check its effects before retrying.';
export const NOT_RUN = 'Not run: the turn was stopped before this tool started.';

/** Per-session record of tool outcomes and the current task's taint. */
export class ToolFacts {
  private readonly outcomes = new Map<string, { name: string; status: ToolOutcome }>();
  untrusted = false;
  record(id: string, name: string, status: ToolOutcome): void { this.outcomes.set(id, { name, status }); }
  view(): SessionFacts {
    return {
      outcome: (id) => { const s = this.outcomes.get(id)?.status; return s === 'cancelled' ? 'interrupted' : s; },
      toolName: (id) => this.outcomes.get(id)?.name,
      succeeded: () => [...this.outcomes].filter(([, o]) => o.status === 'done').map(([id]) => id),
      readUntrusted: () => this.untrusted,
    };
  }
}

/** Hooks around tool calls (core/hooks): PreToolUse can deny or ask, never loosen the engine's decision; PostToolUse observes. */
export interface ToolHooks {
  pre(tool: string, input: unknown, signal: AbortSignal): Promise<{ behavior: 'allow' | 'deny' | 'ask'; reason: string } | undefined>;
  post(tool: string, input: unknown, result: { content: string; isError: boolean }, signal: AbortSignal): Promise<void>;
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
  jobs?: JobRegistry;
  /** Who is asking, when it is not the main agent (shown on approvals: "explore subagent"). */
  agentLabel?: string;
  /** Persist an "always allow" rule for the workspace or for every workspace (the host knows where). */
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  /** A note to append to a successful result of a call that read or wrote `path` (e.g. nested rules files). */
  note?(path: string): string | undefined;
  /** Snapshot a file before the turn first changes it (core/checkpoints). */
  checkpoint?(absPath: string): Promise<void>;
  /** What the model sees of the results (the tool-result budget); the tool_result entries keep them whole. */
  shapeResults?(results: ContentParam[]): Promise<ContentParam[]>;
  /** Why an edit of this workspace-relative path is outside the approved plan (flagged on the tool card). */
  offPlan?(rel: string): string | undefined;
  hooks?: ToolHooks;
  newId(): string;
  now(): number;
  log: AgentLog;
}

export const OUTPUT_PREVIEW = 4_000;

type Use = Anthropic.ToolUseBlock;
type Outcome = { content: string; isError: boolean; status: ToolOutcome; display?: Record<string, unknown> };

/** Set by a call whose result ends the turn (propose_plan). */
export interface TurnFlags { endTurn: boolean }

export async function executeTools(uses: Use[], env: ToolEnv, signal: AbortSignal, emit: (e: AgentEvent) => void, flags?: TurnFlags): Promise<ContentParam[]> {
  const results = new Map<string, Outcome>();
  const record = (entry: TranscriptEntry) => { env.log.append(entry); emit(entry); };
  const finish = (use: Use, o: Outcome, durationMs: number) => {
    results.set(use.id, o);
    env.facts?.record(use.id, use.name, o.status);
    const display = o.display && JSON.stringify(o.display).length <= MAX_DISPLAY_BYTES ? o.display : undefined;
    record({ t: 'tool_result', ts: env.now(), toolUseId: use.id, content: o.content, isError: o.isError, status: o.status, durationMs, ...(display ? { display } : {}) });
  };

  const runOne = async (use: Use): Promise<void> => {
    if (signal.aborted) return finish(use, { content: NOT_RUN, isError: true, status: 'cancelled' }, 0);
    const started = env.now();
    emit({ t: 'tool_validating', toolUseId: use.id, name: use.name });
    const gate = await admit(use, env, signal, record);
    if (!gate.ok) return finish(use, gate.outcome, env.now() - started);
    const { tool, input, target, review } = gate;
    record({ t: 'tool_state', ts: env.now(), toolUseId: use.id, name: use.name, state: 'running' });
    const ctx: ToolContext = {
      workspaceRoot: env.workspaceRoot, sessionDir: env.sessionDir, sessionId: env.sessionId, toolUseId: use.id,
      signal, ports: env.ports, reads: env.reads, ...(env.facts ? { session: env.facts.view() } : {}),
      ...(env.checkpoint ? { checkpoint: env.checkpoint } : {}),
      ...(env.jobs ? { jobs: env.jobs } : {}),
      ...(target ? { target } : {}),
      ...(review ? { review } : {}),
      ...(env.permissions ? { allowedRoots: env.permissions.roots().slice(1) } : {}),
    };
    let res: ToolResult;
    try {
      res = await tool.execute(input, ctx);
      if (env.facts && untrusted(tool, input, ctx)) env.facts.untrusted = true;
      const p = tool.path?.(input);
      if (!res.isError && env.note && p && (tool.kind === 'read' || tool.kind === 'edit')) {
        const n = env.note(p);
        if (n) res = { ...res, content: `${res.content}\n\n${n}` };
      }
    } catch (err) {
      res = { content: `The tool failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
    // Whatever a tool returns, the key and the secret values never reach the model.
    const content = redactForModel(res.content);
    if (res.endsTurn && !res.isError && flags) flags.endTurn = true;
    // An edit the approved plan does not name is flagged on its card (the user sees it; the edit is not blocked).
    const off = tool.kind === 'edit' && !res.isError && target ? env.offPlan?.(target.rel) : undefined;
    if (off) res = { ...res, display: { ...(res.display ?? {}), offPlan: off } };
    const outcome: Outcome = signal.aborted
      ? { content: `${INTERRUPTED_BY_USER}${content ? `\nPartial output:\n${content}` : ''}`, isError: true, status: 'interrupted' }
      : { content, isError: Boolean(res.isError), status: res.isError ? 'error' : 'done', ...(res.display ? { display: res.display } : {}) };
    finish(use, outcome, env.now() - started);
    if (env.hooks && !signal.aborted) await env.hooks.post(use.name, use.input, { content: outcome.content, isError: outcome.isError }, signal).catch(() => {});
  };

  // Group consecutive calls that may run together (read-only and concurrency-safe, or subagents: each of their
  // calls meets the permission engine on its own); run each group in parallel. Subagents are bounded by their hub.
  let i = 0;
  while (i < uses.length) {
    if (parallel(env.tools.get(uses[i]!.name))) {
      let j = i;
      while (j < uses.length && parallel(env.tools.get(uses[j]!.name))) j++;
      const group = uses.slice(i, j);
      const agents = group.filter((u) => env.tools.get(u.name)?.kind === 'agent').length;
      await runBounded(group, Math.max(env.maxParallel, agents), runOne);
      i = j;
    } else {
      await runOne(uses[i]!);
      i++;
    }
  }
  const blocks: ContentParam[] = uses.map((u) => {
    const o = results.get(u.id) ?? { content: NOT_RUN, isError: true, status: 'cancelled' as const };
    return { type: 'tool_result', tool_use_id: u.id, content: o.content, ...(o.isError ? { is_error: true } : {}) };
  });
  return env.shapeResults ? env.shapeResults(blocks) : blocks;
}

function parallel(tool: AnyTool | undefined): boolean {
  return Boolean(tool && tool.concurrencySafe && (tool.readOnly || tool.kind === 'agent'));
}

/** Read and command output is content nobody vouched for, unless the tool says otherwise. */
function untrusted(tool: AnyTool, input: unknown, ctx: ToolContext): boolean {
  if (tool.untrustedOutput) return tool.untrustedOutput(input, ctx);
  return tool.kind === 'read' || tool.kind === 'command' || tool.kind === 'external';
}

type Review = NonNullable<ToolContext['review']>;
type Admission = { ok: true; tool: AnyTool; input: unknown; target?: ResolvedPath; review?: Review } | { ok: false; outcome: Outcome };

/** Whether a call may run: its validated input (parsed once) and resolved path when it may, else why not. */
async function admit(use: Use, env: ToolEnv, signal: AbortSignal, record: (e: TranscriptEntry) => void): Promise<Admission> {
  const refuse = (content: string): Admission => ({ ok: false, outcome: { content, isError: true, status: 'error' } });
  const tool = env.tools.get(use.name);
  if (!tool) return refuse(`There is no tool named "${use.name}". Use one of the tools you were given.`);
  const raw = use.input as Record<string, unknown> | null;
  if (raw && typeof raw === 'object' && '__malformed_json' in raw) {
    return refuse('The input of this tool call was not valid JSON (it may have been cut off), so it was not run. Send the call again with complete JSON.');
  }
  const parsed = tool.input.safeParse(use.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i: { path: PropertyKey[]; message: string }) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
    return refuse(`Invalid input for ${use.name}: ${issues}. It was not run.`);
  }
  const input: unknown = parsed.data;
  // The call's path is resolved once: the engine judges it and the tool uses it.
  let target: ResolvedPath | undefined;
  const p = tool.path?.(input);
  if (p !== undefined) {
    // A path that cannot even be resolved (NUL bytes, device namespaces...) is denied, like the engine would.
    try { target = env.permissions ? env.permissions.resolve(p) : resolveDefault(env.workspaceRoot, p); } catch (e) { return refuse(`Denied: ${(e as Error).message.replace(/\.$/, '')}. It was not run; do not try to get around this.`); }
  }
  let decision: Decision = env.permissions
    ? env.permissions.check({ tool: use.name, kind: tool.kind, input: use.input, readOnly: tool.readOnly, ...(target ? { target } : {}) })
    : !tool.readOnly && !env.ports.workspaceTrusted ? { behavior: 'deny', reason: 'this workspace is not trusted: nothing runs and nothing is edited' }
      : tool.readOnly ? { behavior: 'allow', reason: 'read-only' } : { behavior: 'ask', reason: 'changes the workspace' };
  // PreToolUse hooks judge what the engine did not deny: a hook's deny wins, its ask (or a failed hook) forces a
  // prompt; its allow never loosens the engine (only a rule or the user skips a prompt).
  if (decision.behavior !== 'deny' && env.hooks) {
    const h = await env.hooks.pre(use.name, use.input, signal);
    if (h?.behavior === 'deny') return refuse(`Denied: ${h.reason}. It was not run; do not try to get around this.`);
    if (h?.behavior === 'ask' && decision.behavior === 'allow') decision = { behavior: 'ask', reason: h.reason };
  }
  if (decision.behavior === 'deny') return refuse(`Denied: ${decision.reason}. Do not try to get around this; ask the user if it is needed.`);
  if (decision.behavior === 'allow') return { ok: true, tool, input, ...(target ? { target } : {}) };
  // "ask": a diff review for tools that present their change that way (what the user accepts is what is written)...
  const diffReview = env.ports.diffReview;
  if (tool.approval === 'diff' && diffReview) {
    const review: Review = async (absPath, before, after) => {
      record({ t: 'tool_state', ts: env.now(), toolUseId: use.id, name: use.name, state: 'awaiting_approval', reason: decision.reason });
      return diffReview.review(absPath, before, after, signal);
    };
    return { ok: true, tool, input, ...(target ? { target } : {}), review };
  }
  // ...otherwise a plain approval before it runs.
  record({ t: 'tool_state', ts: env.now(), toolUseId: use.id, name: use.name, state: 'awaiting_approval', reason: decision.reason });
  const outcome = await ask(tool, use, input, decision.reason, env.ports.approval, env, signal);
  return outcome ? { ok: false, outcome } : { ok: true, tool, input, ...(target ? { target } : {}) };
}

function resolveDefault(root: string, p: string): ResolvedPath {
  const c = contain([root], p);
  return { given: p, abs: c.abs, real: c.real, rel: toRel(root, c.real), inside: c.inside };
}

async function ask(tool: AnyTool, use: Use, input: unknown, reason: string, port: ApprovalPort | undefined, env: ToolEnv, signal: AbortSignal): Promise<Outcome | undefined> {
  if (!port) return { content: `Needs the user's approval (${reason}), and nobody can approve here. It was not run.`, isError: true, status: 'error' };
  // Whatever will run is shown whole, with invisible and control characters made visible.
  const raw = (use.input ?? {}) as Record<string, unknown>;
  const described = typeof raw.command === 'string' ? describeForApproval(raw.command) : undefined;
  const summary = JSON.stringify(described ? { ...raw, command: described.text } : raw);
  const warn = described?.warnings.length ? `Look closely: the command contains ${described.warnings.join('; ')}.` : undefined;
  const title = safeDescribe(tool, input);
  const request = { id: env.newId(), tool: use.name, summary, reason, ...(warn ? { detail: warn } : {}), ...(title ? { title } : {}), ...(env.agentLabel ? { agent: env.agentLabel } : {}) };
  const answer = await port.ask(request, signal);
  if (signal.aborted) return { content: NOT_RUN, isError: true, status: 'cancelled' };
  if (answer.decision === 'approve') {
    if (answer.scope !== 'once' && env.permissions) {
      // Only a narrow rule is ever remembered (e.g. "run_command(npm test:*)"); risky calls get none.
      const pattern = env.permissions.suggestRule?.({ tool: use.name, kind: tool.kind, input: use.input, readOnly: false });
      if (pattern) {
        env.permissions.addRule({ effect: 'allow', pattern, source: answer.scope === 'session' ? 'session' : answer.scope === 'workspace' ? 'local' : 'user' });
        if (answer.scope !== 'session') env.rememberRule?.(answer.scope, pattern);
      }
    }
    return undefined;
  }
  return { content: `The user rejected this call${answer.reason ? `: ${answer.reason}` : '.'} Do not retry it as is.`, isError: true, status: 'error' };
}

/** A tool's one-line description of a call; a tool that throws gets none (never breaks the call). */
export function safeDescribe(tool: AnyTool, input: unknown): string | undefined {
  try { const d = tool.describe(input); return d ? d.slice(0, 300) : undefined; } catch { return undefined; }
}

async function runBounded<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) { const item = items[next++]!; await fn(item); }
  });
  await Promise.all(workers);
}

