/**
 * Runs hooks: each hook's command in a shell, in the workspace, with the scrubbed environment (never the API
 * key), the event's JSON payload on stdin and a timeout (the process group is killed at it). Its stdout, when
 * not empty, must be one JSON object: `{ "decision": "allow" | "deny" | "ask", "reason": "..." }` for PreToolUse;
 * `{ "decision": "block", "reason": "..." }` (the prompt is not sent) or `{ "context": "..." }` (added to the
 * prompt for the model, marked as the hook's) for UserPromptSubmit; other events may answer `{}` or nothing. A hook that fails, times out or answers something
 * else is reported (never silently ignored); for PreToolUse such a failure makes the call ask.
 * Project hooks run only in a trusted workspace after the user approved that exact command (pinned by hash).
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import type { PinStore } from '../util/pins';
import { redactSecretValues, scrubEnv } from '../util/secrets';
import { hookPin, type HookEvent, type HookSpec } from './config';

/** The most text one UserPromptSubmit hook may add to a prompt. */
export const MAX_CONTEXT = 10_000;

const answerSchema = z.object({
  decision: z.enum(['allow', 'deny', 'ask', 'block']).optional(),
  reason: z.string().max(2_000).optional(),
  context: z.string().max(MAX_CONTEXT).optional(),
}).loose();

export interface HookReport {
  event: HookEvent;
  command: string;
  ok: boolean;
  /** What went wrong (exit code, timeout, invalid answer), redacted. */
  problem?: string;
  decision?: 'allow' | 'deny' | 'ask' | 'block';
  reason?: string;
  /** What a UserPromptSubmit hook adds to the prompt (redacted). */
  context?: string;
  durationMs: number;
}

export interface HooksOptions {
  workspaceRoot: string;
  trusted: boolean;
  hooks: HookSpec[];
  pins: PinStore;
  /** Ask the user to approve a project hook's exact command (absent: unapproved project hooks never run). */
  approve?(hook: HookSpec): Promise<boolean>;
  /** Every project hook approved for this run (the runner's --allow-project-hooks); never in an untrusted workspace. */
  allowProject?: boolean;
  /** Every hook run that failed, timed out or answered badly, and every decision (the panel and the runner show them). */
  onReport?(report: HookReport): void;
}

const MAX_OUTPUT = 64_000;

export class Hooks {
  private readonly approved = new Set<HookSpec>();
  private readonly blockedHooks: Array<{ hook: HookSpec; why: string }> = [];

  constructor(private readonly opts: HooksOptions) {}

  /** Decide which hooks may run (asking for project hooks when a prompt is available). Call once before use. */
  async prepare(): Promise<void> {
    for (const h of this.opts.hooks) {
      if (h.scope === 'user') { this.approved.add(h); continue; }
      const why = await this.gate(h);
      if (why) this.blockedHooks.push({ hook: h, why }); else this.approved.add(h);
    }
  }

  blocked(): Array<{ event: HookEvent; command: string; why: string }> {
    return this.blockedHooks.map((b) => ({ event: b.hook.event, command: b.hook.command, why: b.why }));
  }

  /** Every configured hook: runs, or is blocked and why. */
  list(): Array<{ hook: HookSpec; why?: string }> {
    return this.opts.hooks.map((hook) => {
      const b = this.blockedHooks.find((x) => x.hook === hook);
      return b ? { hook, why: b.why } : { hook };
    });
  }

  has(event: HookEvent): boolean { return [...this.approved].some((h) => h.event === event); }

  /** Run the approved hooks of an event (matching `tool` when given), one after the other. */
  async run(event: HookEvent, payload: Record<string, unknown>, signal?: AbortSignal, tool?: string): Promise<HookReport[]> {
    const out: HookReport[] = [];
    for (const h of this.opts.hooks) {
      if (h.event !== event || !this.approved.has(h)) continue;
      if (tool !== undefined && h.matcher && !h.matcher.test(tool)) continue;
      const r = await this.runOne(h, { event, workspace: this.opts.workspaceRoot, ...payload }, signal);
      out.push(r);
      if (!r.ok || r.decision) this.opts.onReport?.(r);
    }
    return out;
  }

  /**
   * UserPromptSubmit: a hook that answers "block" stops the prompt (its reason is shown); the others' `context` is
   * added to it. A hook that fails is reported and the prompt goes on (a broken hook must not lock the user out).
   */
  async userPromptSubmit(payload: Record<string, unknown>, signal?: AbortSignal): Promise<{ blocked?: string; context: string[] }> {
    const reports = await this.run('UserPromptSubmit', payload, signal);
    const block = reports.find((r) => r.decision === 'block');
    if (block) return { blocked: `the UserPromptSubmit hook ${block.command} blocked it${block.reason ? `: ${block.reason}` : ''}`, context: [] };
    return { context: reports.filter((r) => r.ok && r.context).map((r) => r.context as string) };
  }

  /** PreToolUse: deny wins, then ask (also any failed hook), then allow; undefined when no hook had a say. */
  async preToolUse(tool: string, input: unknown, signal?: AbortSignal): Promise<{ behavior: 'allow' | 'deny' | 'ask'; reason: string } | undefined> {
    const reports = await this.run('PreToolUse', { tool, input }, signal, tool);
    const deny = reports.find((r) => r.decision === 'deny');
    if (deny) return { behavior: 'deny', reason: `a PreToolUse hook (${deny.command}) denied it${deny.reason ? `: ${deny.reason}` : ''}` };
    const failed = reports.find((r) => !r.ok);
    if (failed) return { behavior: 'ask', reason: `the PreToolUse hook ${failed.command} failed (${failed.problem})` };
    const ask = reports.find((r) => r.decision === 'ask');
    if (ask) return { behavior: 'ask', reason: `a PreToolUse hook asks${ask.reason ? `: ${ask.reason}` : ''}` };
    const allow = reports.find((r) => r.decision === 'allow');
    return allow ? { behavior: 'allow', reason: `allowed by a PreToolUse hook${allow.reason ? `: ${allow.reason}` : ''}` } : undefined;
  }

  private async gate(h: HookSpec): Promise<string | undefined> {
    if (!this.opts.trusted) return 'this workspace is not trusted: project hooks do not run';
    if (this.opts.allowProject) return undefined;
    const pin = hookPin(h, this.opts.workspaceRoot);
    if (this.opts.pins.has(pin)) return undefined;
    if (!this.opts.approve) return 'a project hook that you have not approved (approve it in the editor, or run with --allow-project-hooks)';
    const ok = await this.opts.approve(h).catch(() => false);
    if (!ok) return 'you did not approve this project hook';
    await this.opts.pins.add(pin);
    return undefined;
  }

  private runOne(h: HookSpec, payload: Record<string, unknown>, signal?: AbortSignal): Promise<HookReport> {
    const started = Date.now();
    const base = { event: h.event, command: h.command };
    return new Promise((resolve) => {
      const shell = process.platform === 'win32' ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
      const args = process.platform === 'win32' ? ['/d', '/s', '/c', h.command] : ['-c', h.command];
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const child = spawn(shell, args, { cwd: this.opts.workspaceRoot, env: scrubEnv(process.env), stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
      const kill = () => { try { if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL'); else child.kill('SIGKILL'); } catch { /* gone */ } };
      const timer = setTimeout(() => { timedOut = true; kill(); }, h.timeoutMs);
      const onAbort = () => kill();
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (d: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8'); });
      child.stderr.on('data', (d: Buffer) => { if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8'); });
      child.stdin.on('error', () => { /* the hook did not read its input */ });
      child.stdin.end(JSON.stringify(payload));
      const done = (r: Omit<HookReport, 'event' | 'command' | 'durationMs'>) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve({ ...base, ...r, ...(r.problem ? { problem: redactSecretValues(r.problem) } : {}), ...(r.reason ? { reason: redactSecretValues(r.reason) } : {}), ...(r.context ? { context: redactSecretValues(r.context) } : {}), durationMs: Date.now() - started });
      };
      child.on('error', (e) => done({ ok: false, problem: `could not start: ${e.message}` }));
      child.on('close', (code) => {
        const tail = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
        if (timedOut) return done({ ok: false, problem: `timed out after ${h.timeoutMs} ms and was stopped` });
        if (signal?.aborted) return done({ ok: false, problem: 'stopped: the turn was cancelled' });
        if (code !== 0) return done({ ok: false, problem: `exited with code ${code}${tail ? `: ${tail}` : ''}` });
        const text = stdout.trim();
        if (!text) return done({ ok: true });
        let json: unknown;
        try { json = JSON.parse(text); } catch { return done({ ok: false, problem: `answered something that is not JSON: ${text.slice(0, 200)}` }); }
        const a = answerSchema.safeParse(json);
        if (!a.success) return done({ ok: false, problem: `answered invalid JSON (${a.error.issues.slice(0, 2).map((i) => `${i.path.map(String).join('.') || '(answer)'}: ${i.message}`).join('; ')})` });
        const d = a.data.decision;
        if (d === 'block' && h.event !== 'UserPromptSubmit') return done({ ok: false, problem: `"decision": "block" applies only to UserPromptSubmit hooks` });
        if (d && d !== 'block' && h.event !== 'PreToolUse') return done({ ok: false, problem: `"decision": "${d}" applies only to PreToolUse hooks${h.event === 'UserPromptSubmit' ? ' (a UserPromptSubmit hook answers "block")' : ''}` });
        if (a.data.context !== undefined && h.event !== 'UserPromptSubmit') return done({ ok: false, problem: '"context" applies only to UserPromptSubmit hooks' });
        return done({ ok: true, ...(d ? { decision: d } : {}), ...(a.data.reason ? { reason: a.data.reason } : {}), ...(a.data.context?.trim() ? { context: a.data.context.trim() } : {}) });
      });
    });
  }
}
