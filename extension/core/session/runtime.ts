/**
 * One chat session: its log (the transcript), the conversation view projected from it, and the agent that works
 * on it. Runs a user turn, continues, aborts, snapshots, reopens. Every step is on disk before subscribers hear of
 * it, and it never throws at its callers: failures become `turn/status` errors.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot, StopReason } from '../../protocol/model';
import type { Ports } from '../ports';
import type { PermissionEngine } from '../permissions/types';
import type { Provider, ProviderError } from '../providers/types';
import type { ThinkingSetting } from '../providers/models';
import { createAgent, type Agent, type AgentDefinition, type ContextManager, type ToolCatalog } from '../agent/agent';
import type { AgentEvent } from '../agent/events';
import type { TaskLimits } from '../agent/loop';
import { STATIC_SYSTEM_PROMPT } from '../agent/prompt';
import { DEFAULT_RETRY, type RetryPolicy } from '../agent/retry';
import { safeDescribe, ToolFacts, type ToolHooks } from '../agent/tools-exec';
import { createCheckpointStore, type CheckpointStore } from '../checkpoints';
import { SessionJobs, type JobInfo } from '../tools/jobs';
import type { ReadRecord } from '../tools/types';
import type { TranscriptEntry } from './entries';
import { SessionLog } from './log';
import type { ContentParam, ProjectionSteps } from './project';
import { recoverOpenTools } from './replay';
import { undoTarget, type UndoTarget } from './undo';
import { ensureAgentDir, sessionDir, transcriptPath } from './store';
import { readTranscript } from './transcript';
import { ChatView, SYNTHETIC_PREFIX, type ViewEvent } from './view';
import { ContextPipeline } from '../compaction/pipeline';
import type { CompactionSettings } from '../compaction/settings';
import { notesPath, readNotes } from '../compaction/notes';
import { carriedNotes } from '../compaction/carry';

export type RuntimeEvent = ViewEvent;
export type RuntimeListener = (event: RuntimeEvent) => void;

export interface RuntimeOptions {
  agentDir: string;
  workspaceRoot: string;
  provider(): Provider | ProviderError;
  model(): { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number };
  tools?: ToolCatalog;
  permissions?: PermissionEngine;
  ports?: Ports;
  limits?(): TaskLimits;
  retry?: RetryPolicy;
  /** The static system prompt (default: Cairn's). */
  staticSystem?: string;
  /** Session-stable system context and the rules/memory prelude. */
  dynamicSystem?(): string | undefined;
  prelude?(): string | undefined;
  /** A note appended to a successful result of a call that read or wrote `path` (nested rules files). */
  toolResultNote?(path: string): string | undefined;
  /** Persist an "always allow" rule the user chose for this workspace or for every workspace. */
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  /** Context management at the loop's seams (for tests; `compaction` builds Cairn's own pipeline). */
  context?: ContextManager;
  /** Cairn's context pipeline with these settings (the five compaction strategies, session notes, /compact). */
  compaction?(): CompactionSettings;
  /** The approved plan being executed, pinned after every compaction. */
  plan?(): string | undefined;
  /** Why an edit of this workspace-relative path is outside the approved plan (flagged on its tool card). */
  offPlan?(rel: string): string | undefined;
  /** Projection steps for the log's own entry types (compaction records). */
  projection?: ProjectionSteps;
  newId?(): string;
  now?(): number;
  random?(): number;
  maxParallelTools?: number;
  /** fsync every transcript line (slower; for the crash benchmark). */
  durable?: boolean;
  /** PreToolUse / PostToolUse hooks around every tool call (core/hooks). */
  toolHooks?: ToolHooks;
  /** PreCompact hooks, awaited before an automatic compaction summarises (/compact runs them itself). */
  preCompact?(session: string, trigger: 'manual' | 'auto'): Promise<void>;
}

export type RuntimeSnapshot = Omit<Snapshot, 'auth' | 'model' | 'seq'>;

export interface SubmitExtras {
  /** Resolved attachment content for the model (hidden from the UI's message text). */
  context?: string[];
  attachments?: Array<{ kind: string; label: string }>;
  images?: Array<{ mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; data: string }>;
}

/** The chat's agent: Cairn's system prompt, every tool, the session's model and limits. */
export function mainAgentDefinition(opts: RuntimeOptions): AgentDefinition {
  const model = (): ReturnType<AgentDefinition['model']> => {
    const m = opts.model();
    const window = opts.compaction?.().contextWindow;
    return window ? { ...m, contextWindow: window } : m;
  };
  return {
    name: 'main',
    staticSystem: opts.staticSystem ?? STATIC_SYSTEM_PROMPT,
    ...(opts.dynamicSystem ? { dynamicSystem: opts.dynamicSystem } : {}),
    ...(opts.prelude ? { prelude: opts.prelude } : {}),
    tools: 'all',
    model,
    limits: () => opts.limits?.() ?? { maxTurns: 50, maxCostUsd: 0 },
    maxParallelTools: opts.maxParallelTools ?? 4,
  };
}

/** The prelude plus, when `carryNotes` is on, the previous session's notes (chosen once, kept with the session). */
function withCarriedNotes(def: AgentDefinition, opts: RuntimeOptions, id: string, fresh: boolean, now: () => number): AgentDefinition {
  if (!opts.compaction?.().carryNotes) return def;
  let carried: { text: string | undefined } | undefined;
  const notes = () => (carried ??= { text: carriedNotes({ sessionsDir: join(opts.agentDir, 'sessions'), id, fresh, now }) }).text;
  const prelude = def.prelude;
  return { ...def, prelude: () => [prelude?.(), notes()].filter(Boolean).join('\n\n') || undefined };
}

export class SessionRuntime {
  private readonly listeners = new Set<RuntimeListener>();
  private readonly domainListeners = new Set<(event: AgentEvent) => void>();
  private readonly log: SessionLog;
  private readonly view: ChatView;
  private readonly agent: Agent;
  private controller: AbortController | null = null;
  private running: Promise<StopReason> | null = null;
  private readonly reads = new Map<string, ReadRecord>();
  private readonly facts = new ToolFacts();
  readonly jobs = new SessionJobs();
  private turnNo = 0;
  private checkpoints: CheckpointStore | undefined;
  private readonly undone = new Set<number>();
  /** Cairn's context pipeline, when compaction is configured. */
  readonly pipeline: ContextPipeline | undefined;
  private readonly newId: () => string;
  private readonly now: () => number;
  /** Problems found while reading the transcript on resume (torn or corrupt lines). */
  readonly problems: string[] = [];

  private constructor(readonly id: string, private readonly opts: RuntimeOptions, resume: boolean) {
    this.newId = opts.newId ?? (() => randomUUID());
    this.now = opts.now ?? Date.now;
    const path = transcriptPath(opts.agentDir, id);
    this.log = new SessionLog(path, { durable: opts.durable, steps: opts.projection, beforeFirstWrite: () => ensureAgentDir(opts.agentDir) });
    const tools = opts.tools;
    this.view = new ChatView(id, tools ? { describe: (name, input) => { const t = tools.get(name); return t ? { title: safeDescribe(t, input), kind: t.kind } : {}; } } : undefined);
    const definition = withCarriedNotes(mainAgentDefinition(opts), opts, id, !resume, this.now);
    const compaction = opts.compaction;
    this.pipeline = compaction ? new ContextPipeline({
      entries: () => this.log.entries,
      items: () => this.log.items(),
      history: () => this.log.history(),
      append: (e) => this.log.append(e),
      record: (e) => this.record(e),
      agent: () => this.agent,
      provider: opts.provider,
      retry: opts.retry ?? DEFAULT_RETRY,
      settings: compaction,
      model: definition.model,
      ...(tools ? { tools } : {}),
      workspaceRoot: opts.workspaceRoot,
      sessionDir: sessionDir(opts.agentDir, id),
      ...(opts.plan ? { plan: opts.plan } : {}),
      ...(opts.preCompact ? { preCompact: () => opts.preCompact!(id, 'auto') } : {}),
      newId: this.newId,
      now: this.now,
      ...(opts.random ? { random: opts.random } : {}),
    }) : undefined;
    const context = this.pipeline ?? opts.context;
    this.agent = createAgent(definition, {
      provider: opts.provider,
      ...(tools ? { tools } : {}),
      ...(opts.permissions ? { permissions: opts.permissions } : {}),
      ports: opts.ports ?? { workspaceTrusted: true },
      retry: opts.retry ?? DEFAULT_RETRY,
      workspaceRoot: opts.workspaceRoot,
      sessionDir: sessionDir(opts.agentDir, id),
      sessionId: id,
      reads: { get: (p) => this.reads.get(p), set: (p, r) => { this.reads.set(p, r); } },
      facts: this.facts,
      jobs: this.jobs,
      ...(opts.toolResultNote ? { note: opts.toolResultNote } : {}),
      ...(opts.rememberRule ? { rememberRule: opts.rememberRule } : {}),
      ...(opts.toolHooks ? { hooks: opts.toolHooks } : {}),
      ...(context ? { context } : {}),
      checkpoint: (p) => this.checkpointStore().snapshot(this.turnNo, p),
      ...(opts.offPlan ? { offPlan: opts.offPlan } : {}),
      newId: this.newId,
      now: this.now,
      ...(opts.random ? { random: opts.random } : {}),
    });
    this.jobs.subscribe((jobs) => this.emit({ name: 'jobs/changed', data: { jobs: jobs.map(jobInfo) } }));
    if (resume) this.restore(path);
    else this.log.setPendingMeta(this.meta());
  }

  static create(opts: RuntimeOptions, id: string = randomUUID()): SessionRuntime {
    return new SessionRuntime(id, opts, false);
  }

  /** Reopen a session from its transcript, at the last completed step. */
  static resume(opts: RuntimeOptions, id: string): SessionRuntime {
    return new SessionRuntime(id, opts, true);
  }

  private meta(): TranscriptEntry {
    return { t: 'meta', v: 1, id: this.id, createdAt: this.now(), model: this.opts.model().id };
  }

  private restore(path: string): void {
    if (!existsSync(path)) throw new Error(`No session ${this.id} in ${this.opts.agentDir}.`);
    const { entries, problems } = readTranscript(path);
    // A transcript with nothing readable (e.g. killed before its first line) reopens as an empty session.
    if (!entries.some((e) => e.t === 'meta')) this.log.setPendingMeta(this.meta());
    for (const p of problems) this.problems.push(`Transcript line ${p.line} was ${p.kind === 'torn' ? 'cut off (the process stopped while writing it)' : 'unreadable'} and was skipped.`);
    this.log.load(entries);
    const names = new Map<string, string>();
    for (const e of entries) {
      this.view.apply(e);
      if (e.t === 'msg' && e.role === 'assistant') for (const b of e.content) if (b.type === 'tool_use') names.set(b.id, b.name);
      if (e.t === 'tool_result') this.facts.record(e.toolUseId, names.get(e.toolUseId) ?? '', e.status);
    }
    // A turn that was running when the process died is not running now.
    if (this.view.turn === 'streaming') this.view.setTurn('idle', null);
    // Tools that were running when the process died are reported as interrupted, never re-run.
    const rec = recoverOpenTools(entries, this.now());
    if (rec) {
      for (const e of rec.interrupted) this.record(e);
      this.record({ t: 'msg', ts: this.now(), id: this.newId(), role: 'user', content: rec.results });
    }
  }

  /** The panel's events (the conversation view's deltas). */
  subscribe(listener: RuntimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session's domain events as they happen (entries once on disk, and streaming previews). */
  onAgentEvent(listener: (event: AgentEvent) => void): () => void {
    this.domainListeners.add(listener);
    return () => this.domainListeners.delete(listener);
  }

  snapshot(): RuntimeSnapshot {
    const jobs = this.jobs.list();
    const snap = this.view.snapshot();
    const p = this.pipeline?.state();
    const compaction = { ...snap.compaction, auto: p ? p.auto && !p.disabled : false };
    return { sessionId: this.id, ...snap, compaction, ...(jobs.length ? { jobs: jobs.map(jobInfo) } : {}), ...(this.resumable ? { resumable: true } : {}) };
  }

  get busy(): boolean { return this.running !== null; }
  /** True when the last step on record is the user's (a turn was cut off): `continue()` picks it up. */
  get canContinue(): boolean { return !this.running && this.log.lastMessage()?.role === 'user'; }
  /**
   * True when a turn was cut off without ending (a reload or a crash mid-turn): Continue picks it up. A turn that
   * ended in an error is not "cut off": its error is shown with Retry.
   */
  get resumable(): boolean { return this.canContinue && this.view.turn !== 'error'; }
  get transcriptPath(): string { return this.log.path; }
  get title(): string { return this.view.title; }
  /** The API history the next request is built from (a fresh copy). */
  get apiHistory(): readonly import('../providers/types').ApiMessage[] { return this.log.history(); }
  /** The log's entries (read-only view, for tests and benchmarks). */
  get entries(): readonly TranscriptEntry[] { return this.log.entries; }
  /** The agent this session runs (its definition and the request it would send). */
  get mainAgent(): Agent { return this.agent; }

  /**
   * Start a task with a user message. `context` holds resolved attachments (file contents, problems...)
   * for the model; `attachments` their labels for the UI. Returns the user message id.
   */
  submit(text: string, extra: SubmitExtras = {}): { messageId: string } {
    if (this.running) throw new Error('A turn is already running; stop it or wait for it to finish.');
    const attachments = extra.attachments ?? [];
    const uiId = this.newId();
    const content: ContentParam[] = [
      ...(extra.images ?? []).map((img) => ({ type: 'image' as const, source: { type: 'base64' as const, media_type: img.mediaType, data: img.data } })),
      ...(extra.context ?? []).map((c) => ({ type: 'text' as const, text: `${SYNTHETIC_PREFIX}${c}` })),
      { type: 'text', text },
    ];
    this.record({ t: 'msg', ts: this.now(), id: this.newId(), uiId, role: 'user', content, ...(attachments.length ? { attachments } : {}) });
    if (this.view.title === 'New session') this.rename(text.trim().split('\n')[0]!.slice(0, 80) || 'New session');
    this.facts.untrusted = false; // taint is per task
    // Checkpoint ids increase across resumes too (a reopened session must not reuse an old turn's folder).
    this.turnNo = Math.max(this.turnNo + 1, this.now());
    this.start();
    return { messageId: uiId };
  }

  private checkpointStore(): CheckpointStore {
    return (this.checkpoints ??= createCheckpointStore({ workspaceRoot: this.opts.workspaceRoot, sessionId: this.id }));
  }

  /**
   * What undo would restore, before it does: the newest turn with edits not yet undone, the prompt that started
   * it, how many turns ago that was, and its files. Undefined when no turn of this session changed files.
   */
  async undoPreview(): Promise<(UndoTarget & { files: string[] }) | undefined> {
    const target = undoTarget(this.log.entries, await this.checkpointStore().turns(), this.undone);
    if (!target) return undefined;
    return { ...target, files: await this.checkpointStore().files(target.turn) };
  }

  /**
   * Restore the files the most recent turn with edits changed. Never while a turn runs. `expectedTurn` (from
   * `undoPreview`, what the user confirmed) must still be the turn undo would restore, else nothing is touched.
   * The caller reports the result (once).
   */
  async undoLastTurn(expectedTurn?: number): Promise<{ turn: number; prompt: string; turnsAgo: number; restored: string[]; deleted: string[]; skipped: Array<{ path: string; reason: string }> } | undefined> {
    if (this.running) throw new Error('Stop the running turn before undoing.');
    const target = undoTarget(this.log.entries, await this.checkpointStore().turns(), this.undone);
    if (target === undefined) return undefined;
    if (expectedTurn !== undefined && expectedTurn !== target.turn) throw new Error('The edits to undo changed since you confirmed. Nothing was undone; try again.');
    const report = await this.checkpointStore().undo(target.turn);
    this.undone.add(target.turn);
    return { ...target, ...report };
  }

  /** Give the session a title (recorded in the transcript, shown in every view). */
  rename(title: string): void {
    this.record({ t: 'title', title });
  }

  /**
   * /compact: summarise the conversation now (with the user's instructions), so the next request starts from the
   * summary. Not while a turn runs. Resolves true when a compaction was recorded.
   */
  async compact(instructions?: string): Promise<boolean> {
    if (this.running) throw new Error('Cairn is still working. Stop it or wait for it to finish, then compact.');
    if (!this.pipeline) throw new Error('Compaction is not available in this session.');
    const controller = new AbortController();
    this.controller = controller;
    let done = false;
    const run = (async () => {
      try {
        const gen = this.pipeline!.compactNow(instructions, controller.signal);
        for (;;) {
          const step = await gen.next();
          if (step.done) { done = step.value; break; }
          this.fold(step.value);
        }
      } catch (err) {
        this.fold({ t: 'compaction_progress', state: 'failed', strategy: 'manual', message: err instanceof Error ? err.message : String(err) });
      }
      return 'completed' as StopReason;
    })();
    this.running = run.finally(() => { this.running = null; this.controller = null; });
    await this.running;
    return done;
  }

  /** The session notes (current task, decisions, files, errors, next step), when there are any yet. */
  notes(): { text: string; updated: number } | undefined {
    const n = readNotes(notesPath(sessionDir(this.opts.agentDir, this.id)));
    return n ? { text: n.text, updated: n.updated } : undefined;
  }

  /** Continue without a new user message (after a resume, a failure, or a stop). */
  continue(): boolean {
    if (this.running) return false;
    if (this.log.lastMessage()?.role !== 'user') return false;
    this.start();
    return true;
  }

  /** Re-send after a failed task; the user message is never duplicated. */
  retry(): boolean {
    if (this.view.turn !== 'error') return false;
    return this.continue();
  }

  abort(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  async idle(): Promise<StopReason | null> {
    return this.running ? this.running : null;
  }

  close(): void {
    this.abort();
    this.pipeline?.dispose();
    void this.jobs.stopAll();
    this.log.close();
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    this.emit(this.view.setTurn('streaming', null));
    this.running = this.drive(controller.signal).finally(() => { this.running = null; this.controller = null; });
  }

  private async drive(signal: AbortSignal): Promise<StopReason> {
    try {
      const gen = this.agent.run(this.log, signal);
      for (;;) {
        const step = await gen.next();
        if (step.done) return step.value.stop;
        this.fold(step.value);
      }
    } catch (err) {
      // A bug in the loop must not leave the UI spinning.
      const error = { kind: 'unknown' as const, message: err instanceof Error ? err.message : String(err), retryable: true };
      try { this.record({ t: 'turn_end', ts: this.now(), stop: 'error', error }); } catch { this.emit(this.view.setTurn('error', error, 'error')); }
      return 'error';
    }
  }

  /** Append an entry the session itself makes (user messages, titles, recovery) and show it. */
  private record(entry: TranscriptEntry): void {
    this.log.append(entry);
    this.fold(entry);
  }

  private fold(event: AgentEvent): void {
    for (const l of this.domainListeners) {
      try { l(event); } catch { /* a broken subscriber must not break the turn */ }
    }
    for (const e of this.view.apply(event)) this.emit(e);
  }

  private emit(event: RuntimeEvent): void {
    for (const l of this.listeners) {
      try { l(event); } catch { /* a broken subscriber must not break the turn */ }
    }
  }
}

function jobInfo(j: JobInfo): { id: string; command: string; log: string; running: boolean; exit?: number | null } {
  return { id: j.id, command: j.command, log: j.log, running: j.running, ...(j.exit !== undefined ? { exit: j.exit } : {}) };
}
