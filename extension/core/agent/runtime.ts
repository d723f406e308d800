/**
 * One session = one runtime: run a user turn, continue, abort, subscribe to events, snapshot, restore.
 * It owns the history and the UI's view of it, writes every step to the transcript before telling
 * subscribers it is done, and never throws at its callers: failures become `turn/status` errors.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ChatMessage, ContextInfo, ErrorInfo, Snapshot, StopReason, TurnStatus, Usage } from '../../protocol/model';
import type { Ports } from '../ports';
import type { PermissionEngine } from '../permissions/types';
import { addUsage, type ApiMessage, type ApiTool, type Provider, type ProviderError, ZERO_USAGE } from '../providers/types';
import type { TranscriptEntry } from '../session/entries';
import { replay } from '../session/replay';
import { ensureAgentDir, sessionDir, transcriptPath } from '../session/store';
import { readTranscript, TranscriptWriter } from '../session/transcript';
import type { ReadRecord } from '../tools/types';
import { errorInfo } from './call';
import type { RuntimeEvent, RuntimeListener } from './events';
import { appendHistory, type ContentParam } from './history';
import { SYNTHETIC_PREFIX } from '../session/replay';
import { modelInfo, type ThinkingSetting } from '../providers/models';
import { runTask, type LoopState, type TaskLimits } from './loop';
import { STATIC_SYSTEM_PROMPT } from './prompt';
import type { PromptParts } from './request';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { ToolFacts, type ToolLookup } from './tools-exec';
import { createCheckpointStore, type CheckpointStore } from '../checkpoints';

/** What the runtime needs of a tool registry (core/tools/registry.ts provides one). */
export interface ToolSet extends ToolLookup { toApiTools(): Array<{ name: string; description: string; input_schema: Record<string, unknown> }> }

export interface RuntimeOptions {
  agentDir: string;
  workspaceRoot: string;
  provider(): Provider | ProviderError;
  model(): { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number };
  tools?: ToolSet;
  permissions?: PermissionEngine;
  ports?: Ports;
  limits?(): TaskLimits;
  retry?: RetryPolicy;
  /** Session-stable system context and the rules/memory prelude (later steps fill these). */
  dynamicSystem?(): string | undefined;
  prelude?(): string | undefined;
  /** A note appended to a successful tool result (e.g. nested rules files). */
  toolResultNote?(toolName: string, input: unknown): string | undefined;
  /** Persist an "always allow" rule the user chose for this workspace or for every workspace. */
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  newId?(): string;
  now?(): number;
  random?(): number;
  maxParallelTools?: number;
  /** fsync every transcript line (slower; for the crash benchmark). */
  durable?: boolean;
}

export type RuntimeSnapshot = Omit<Snapshot, 'auth' | 'model' | 'seq'>;

export interface SubmitExtras {
  /** Resolved attachment content for the model (hidden from the UI's message text). */
  context?: string[];
  attachments?: Array<{ kind: string; label: string }>;
  images?: Array<{ mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; data: string }>;
}

export class SessionRuntime {
  private readonly listeners = new Set<RuntimeListener>();
  private messages: ChatMessage[] = [];
  private history: ApiMessage[] = [];
  private turn: TurnStatus = 'idle';
  private lastError: ErrorInfo | null = null;
  private usage: Usage = ZERO_USAGE;
  private cost = 0;
  private context: ContextInfo | undefined;
  private title = 'New session';
  private controller: AbortController | null = null;
  private running: Promise<StopReason> | null = null;
  private readonly reads = new Map<string, ReadRecord>();
  private readonly facts = new ToolFacts();
  private turnNo = 0;
  private checkpoints: CheckpointStore | undefined;
  private readonly undone = new Set<number>();
  private readonly writer: TranscriptWriter;
  private readonly newId: () => string;
  private readonly now: () => number;
  /** Problems found while reading the transcript on resume (torn or corrupt lines). */
  readonly problems: string[] = [];

  private constructor(readonly id: string, private readonly opts: RuntimeOptions, resume: boolean) {
    this.newId = opts.newId ?? (() => randomUUID());
    this.now = opts.now ?? Date.now;
    const path = transcriptPath(opts.agentDir, id);
    if (resume) this.restore(path);
    this.writer = new TranscriptWriter(path, opts.durable);
    // A new session reaches the disk with its first message (no empty transcripts for idle windows).
    if (!resume) this.pendingMeta = { t: 'meta', v: 1, id, createdAt: this.now(), model: opts.model().id };
    else if (this.pendingRecovery.length) {
      // Tools that were running when the process died are reported as interrupted, never re-run.
      appendHistory(this.history, 'user', this.pendingRecovery);
      this.log({ t: 'msg', ts: this.now(), role: 'user', content: this.pendingRecovery });
    }
  }

  private pendingRecovery: ContentParam[] = [];
  private pendingMeta: TranscriptEntry | null = null;

  static create(opts: RuntimeOptions, id: string = randomUUID()): SessionRuntime {
    return new SessionRuntime(id, opts, false);
  }

  /** Reopen a session from its transcript, at the last completed step. */
  static resume(opts: RuntimeOptions, id: string): SessionRuntime {
    return new SessionRuntime(id, opts, true);
  }

  private restore(path: string): void {
    if (!existsSync(path)) throw new Error(`No session ${this.id} in ${this.opts.agentDir}.`);
    const { entries, problems } = readTranscript(path);
    // A transcript with nothing readable (e.g. killed before its first line) reopens as an empty session.
    if (!entries.some((e) => e.t === 'meta')) this.pendingMeta = { t: 'meta', v: 1, id: this.id, createdAt: this.now(), model: this.opts.model().id };
    for (const p of problems) this.problems.push(`Transcript line ${p.line} was ${p.kind === 'torn' ? 'cut off (the process stopped while writing it)' : 'unreadable'} and was skipped.`);
    const r = replay(entries);
    this.history = r.history;
    this.messages = r.messages;
    this.usage = r.usage;
    this.cost = r.costUsd;
    this.title = r.title;
    this.context = r.context;
    this.pendingRecovery = r.recoveredToolResults;
  }

  subscribe(listener: RuntimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): RuntimeSnapshot {
    return {
      sessionId: this.id,
      title: this.title,
      messages: this.messages.map((m) => ({ ...m, blocks: m.blocks.map((b) => ({ ...b })) })),
      turn: this.turn,
      lastError: this.lastError,
      usage: this.usage,
      costUsd: this.cost,
      ...(this.context ? { context: this.context } : {}),
    };
  }

  get busy(): boolean { return this.running !== null; }
  /** True when the last step on record is the user's (a turn was cut off): `continue()` picks it up. */
  get canContinue(): boolean { return !this.running && this.history.at(-1)?.role === 'user'; }
  get transcriptPath(): string { return this.writer.path; }
  /** The API history (read-only view, for tests and benchmarks). */
  get apiHistory(): readonly ApiMessage[] { return this.history; }

  /**
   * Start a task with a user message. `context` holds resolved attachments (file contents, problems...)
   * for the model; `attachments` their labels for the UI. Returns the user message id.
   */
  submit(text: string, extra: SubmitExtras = {}): { messageId: string } {
    if (this.running) throw new Error('A turn is already running; stop it or wait for it to finish.');
    const attachments = extra.attachments ?? [];
    const message: ChatMessage = { id: this.newId(), role: 'user', status: 'complete',
      blocks: [{ type: 'text', text }, ...attachments.map((a) => ({ type: 'attachment' as const, kind: a.kind, label: a.label }))] };
    const content: ContentParam[] = [
      ...(extra.images ?? []).map((img) => ({ type: 'image' as const, source: { type: 'base64' as const, media_type: img.mediaType, data: img.data } })),
      ...(extra.context ?? []).map((c) => ({ type: 'text' as const, text: `${SYNTHETIC_PREFIX}${c}` })),
      { type: 'text', text },
    ];
    appendHistory(this.history, 'user', content);
    this.log({ t: 'msg', ts: this.now(), uiId: message.id, role: 'user', content, ...(attachments.length ? { attachments } : {}) });
    if (this.title === 'New session') this.rename(text.trim().split('\n')[0]!.slice(0, 80) || 'New session');
    this.messages.push(message);
    this.emit({ name: 'message/added', data: { message } });
    this.facts.untrusted = false; // taint is per task
    // Checkpoint ids increase across resumes too (a reopened session must not reuse an old turn's folder).
    this.turnNo = Math.max(this.turnNo + 1, this.now());
    this.start();
    return { messageId: message.id };
  }

  private checkpointStore(): CheckpointStore {
    return (this.checkpoints ??= createCheckpointStore({ workspaceRoot: this.opts.workspaceRoot, sessionId: this.id }));
  }

  /** Restore the files the most recent turn with edits changed. Never while a turn runs. */
  async undoLastTurn(): Promise<{ turn: number; restored: string[]; deleted: string[]; skipped: Array<{ path: string; reason: string }> } | undefined> {
    if (this.running) throw new Error('Stop the running turn before undoing.');
    const turns = (await this.checkpointStore().turns()).filter((t) => !this.undone.has(t)).sort((a, b) => a - b);
    const turn = turns.at(-1);
    if (turn === undefined) return undefined;
    const report = await this.checkpointStore().undo(turn);
    this.undone.add(turn);
    this.emit({ name: 'session/notice', data: { level: 'info', message: `Undid the last turn's edits: restored ${report.restored.length} file(s)${report.deleted.length ? `, removed ${report.deleted.length} created file(s)` : ''}${report.skipped.length ? `, skipped ${report.skipped.length}` : ''}.` } });
    return { turn, ...report };
  }

  /** Give the session a title (recorded in the transcript, shown in every view). */
  rename(title: string): void {
    this.title = title;
    this.log({ t: 'title', title });
    this.emit({ name: 'session/title', data: { sessionId: this.id, title } });
  }

  /** Continue without a new user message (after a resume, a failure, or a stop). */
  continue(): boolean {
    if (this.running) return false;
    const last = this.history[this.history.length - 1];
    if (!last || last.role !== 'user') return false;
    this.start();
    return true;
  }

  /** Re-send after a failed task; the user message is never duplicated. */
  retry(): boolean {
    if (this.turn !== 'error') return false;
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
    this.writer.close();
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    this.lastError = null;
    this.setTurn('streaming', null);
    this.running = this.drive(controller.signal).finally(() => { this.running = null; this.controller = null; });
  }

  private async drive(signal: AbortSignal): Promise<StopReason> {
    const provider = this.opts.provider();
    if (!('stream' in provider)) return this.finish('error', errorInfo(provider));
    const state: LoopState = { history: this.history, messages: this.messages, model: this.opts.model(), requests: 0, taskCostUsd: 0, maxTokensEscalated: false, continues: [] };
    const tools = this.opts.tools;
    const prompt = (): PromptParts => ({
      staticSystem: STATIC_SYSTEM_PROMPT,
      dynamicSystem: this.opts.dynamicSystem?.(),
      prelude: this.opts.prelude?.(),
      tools: tools ? (tools.toApiTools() as ApiTool[]) : [],
    });
    try {
      const gen = runTask(state, {
        provider,
        prompt,
        retry: this.opts.retry ?? DEFAULT_RETRY,
        limits: this.opts.limits?.() ?? { maxTurns: 50, maxCostUsd: 0 },
        tools: {
          tools: tools ?? { get: () => undefined },
          permissions: this.opts.permissions,
          ports: this.opts.ports ?? { workspaceTrusted: true },
          reads: { get: (p) => this.reads.get(p), set: (p, r) => { this.reads.set(p, r); } },
          workspaceRoot: this.opts.workspaceRoot,
          sessionDir: sessionDir(this.opts.agentDir, this.id),
          sessionId: this.id,
          maxParallel: this.opts.maxParallelTools ?? 4,
          facts: this.facts,
          ...(this.opts.toolResultNote ? { note: this.opts.toolResultNote } : {}),
          ...(this.opts.rememberRule ? { rememberRule: this.opts.rememberRule } : {}),
          checkpoint: (p) => this.checkpointStore().snapshot(this.turnNo, p),
          newId: this.newId,
          now: this.now,
          log: (e) => this.log(e),
        },
        newId: this.newId,
        now: this.now,
        log: (e) => this.log(e),
        random: this.opts.random,
      }, signal);
      for (;;) {
        const step = await gen.next();
        if (step.done) return this.finish(step.value.stop, step.value.error);
        const ev = step.value;
        if (ev.name === 'usage/updated') {
          this.usage = addUsage(this.usage, ev.data.usage);
          this.cost += ev.data.costUsd ?? 0;
          this.context = contextInfo(ev.data.usage, state.model);
          this.log({ t: 'context', ts: this.now(), context: this.context });
          this.emit({ name: 'usage/updated', data: { usage: this.usage, lastRequest: ev.data.usage, costUsd: this.cost, context: this.context } });
        } else {
          this.emit(ev);
        }
      }
    } catch (err) {
      // A bug in the loop must not leave the UI spinning.
      return this.finish('error', { kind: 'unknown', message: err instanceof Error ? err.message : String(err), retryable: true });
    }
  }

  private finish(stop: StopReason, error?: ErrorInfo): StopReason {
    if (stop === 'completed' || stop === 'aborted') this.setTurn('idle', null, stop);
    else {
      this.lastError = error ?? { kind: 'unknown', message: `Stopped: ${stop}.`, retryable: false };
      this.setTurn('error', this.lastError, stop);
    }
    return stop;
  }

  private setTurn(turn: TurnStatus, error: ErrorInfo | null, stopReason?: StopReason): void {
    this.turn = turn;
    this.emit({ name: 'turn/status', data: { turn, error, ...(stopReason ? { stopReason } : {}) } });
  }

  private log(entry: TranscriptEntry): void {
    if (!this.writer.opened) ensureAgentDir(this.opts.agentDir);
    if (this.pendingMeta) { const meta = this.pendingMeta; this.pendingMeta = null; this.writer.append(meta); }
    this.writer.append(entry);
  }

  private emit(event: RuntimeEvent): void {
    for (const l of this.listeners) {
      try { l(event); } catch { /* a broken subscriber must not break the turn */ }
    }
  }
}

/** The context meter: tokens in context at the last request, and where autocompaction will start. */
export function contextInfo(last: Usage, model: { id: string; maxTokens: number }): ContextInfo {
  const window = modelInfo(model.id).contextWindow;
  const reserve = Math.min(model.maxTokens, 20_000);
  return {
    tokens: last.inputTokens + last.cacheReadTokens + last.cacheWriteTokens,
    window,
    compactAt: Math.max(1, window - reserve - 13_000),
  };
}
