/**
 * The host's single source of truth for the chat: owns the session runtime, stamps every event with a
 * sequence number, fans it out to every connected webview, and answers the webview's requests.
 */
import * as vscode from 'vscode';
import { SessionRuntime, type RuntimeEvent, type RuntimeOptions } from '../../core/session/runtime';
import { assembleSession } from '../../core/session/assemble';
import { createAnthropicProvider } from '../../core/providers/anthropic';
import type { Provider, ProviderError } from '../../core/providers/types';
import { listSessions } from '../../core/session/store';
import { createNodeProcessPort } from '../../core/tools';
import { eventMessage, type EventMessage } from '../../protocol/envelope';
import type { EventData, EventName } from '../../protocol/events';
import type { PermissionMode, Snapshot } from '../../protocol/model';
import { realpathSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { TranscriptWriter } from '../../core/session/transcript';
import { sessionDir, transcriptPath } from '../../core/session/store';
import type { Engine } from '../../core/permissions/engine';
import type { SubagentHub } from '../../core/agents/hub';
import { finishedSubagents } from '../../core/agents/restore';
import { resolveAttachments } from './attachments';
import type { RequestMethod, RequestParams, RequestResult } from '../../protocol/requests';
import type { AuthService } from '../auth';
import { addUserAllowRule, readCompaction, readConfig, readSubagents, readUserPermissionRules } from '../config';
import { localSettingsPath, persistRule } from '../../core/permissions/settings';
import { DecisionService } from '../decisions/service';
import type { PlanState } from '../../core/planner/state';
import { PlanFlow } from '../../core/planner/flow';
import { DEFAULT_PLAN_MODEL, type UltraPlan, type UltraPlanResult } from '../../core/planner/ultra';
import type { Logger } from '../log';
import type { RuntimeContribution } from '../features';
import { hookContext, type SessionHooks } from '../../core/hooks/session';
import type { WorkerPool } from '../../core/coordinator';
import type { SubagentStatus, WorkerStatus } from '../../protocol/agents';
import { createWorkerPool, savedWorkers, toProtocol, TranscriptProvider, TRANSCRIPT_SCHEME, WorkerReviews } from './workers';
import { isAbsolute, join, resolve, sep } from 'node:path';

export type EventSink = (msg: EventMessage) => void;

/**
 * Before an answered plan is read for execution: an editor holding unsaved edits of the plan file is saved, so what
 * the user sees there is what gets executed.
 */
async function savePlanEditor(path: string): Promise<void> {
  const same = (p: string) => { try { return realpathSync(p) === path; } catch { return p === path; } };
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && same(d.uri.fsPath));
  if (doc?.isDirty && !(await doc.save())) throw new Error('the editor did not save it');
}

/** Handlers a feature (memory view, panel extras) adds for its own request methods. */
export type RequestHandlers = { [M in RequestMethod]?: (params: RequestParams<M>) => Promise<RequestResult<M>> | RequestResult<M> };

export interface Workspace {
  root: string;
  agentDir: string;
  trusted: () => boolean;
  /** ripgrep shipped with VS Code, when found. */
  rgPath?: string;
  /** The bundled headless runner (coordinator workers run it with --worker). */
  cliPath?: string;
}

const ACTIVE_SESSION = 'cairn.activeSession';
const MODE = 'cairn.permissionMode';
const COORDINATOR = 'cairn.coordinator';

export class ChatController implements vscode.Disposable {
  private runtime!: SessionRuntime;
  private unsubscribe: () => void = () => undefined;
  private seq = 0;
  private readonly sinks = new Set<EventSink>();
  private providerCache: { key: string; provider: Provider } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readyResolvers: Array<() => void> = [];
  private snapshotsServed = 0;
  private readonly extraHandlers: RequestHandlers = {};
  /** Notices of the open session, kept for webviews that connect later (at most a few). */
  private notices: Array<{ level: 'info' | 'warning' | 'error'; message: string }> = [];
  private engine: Engine | undefined;
  private subagents: SubagentHub | undefined;
  private unsubscribeSubagents: () => void = () => undefined;
  private mode: PermissionMode;
  /** Coordinator mode for new sessions (a session keeps the tools it started with). */
  private coordinatorOn: boolean;
  /** The open session's workers (coordinator mode), their reviews, and the last status of each subagent and worker. */
  private pool: WorkerPool | undefined;
  private assembledPool: (() => WorkerPool | undefined) | undefined;
  private reviews: WorkerReviews | undefined;
  private unsubscribePool: () => void = () => undefined;
  private subagentStatus = new Map<string, SubagentStatus>();
  private workerStatus = new Map<string, WorkerStatus>();
  private assembledSubagentStatus = new Map<string, SubagentStatus>();
  /** The plan of the session being assembled (taken over by `install`), and of the open session with its flow. */
  private assembledPlans: PlanState | undefined;
  private plans: PlanState | undefined;
  private planFlow: PlanFlow | undefined;
  private assembledUltra: UltraPlan | undefined;
  private ultra: UltraPlan | undefined;
  /** Everything waiting for the user's decision (approvals, diff reviews). */
  readonly decisions = new DecisionService((name, data) => this.broadcast(name, data));

  constructor(private readonly auth: AuthService, private readonly log: Logger, private readonly ws: Workspace, private readonly state: vscode.Memento, private readonly features: RuntimeContribution[] = []) {
    this.mode = state.get<PermissionMode>(MODE) ?? 'ask';
    this.coordinatorOn = state.get<boolean>(COORDINATOR) ?? false;
    this.disposables.push(vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_SCHEME, new TranscriptProvider((p) => this.knownTranscript(p))));
    const last = state.get<string>(ACTIVE_SESSION);
    if (!last || !this.tryOpen(last)) this.install(this.createRuntime());
    this.disposables.push(
      auth.onDidChange((s) => this.broadcast('auth/changed', { auth: s })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cairn.model')) this.broadcast('config/changed', { model: readConfig().model });
        if (e.affectsConfiguration('cairn')) this.providerCache = undefined;
      }),
    );
  }

  attach(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  snapshot(): Snapshot {
    return {
      ...this.runtime.snapshot(), auth: this.auth.state, model: readConfig().model, seq: this.seq, mode: this.mode, notices: [...this.notices], pendingDecisions: this.decisions.list(),
      coordinator: this.coordinatorOn, subagents: [...this.subagentStatus.values()], workers: [...this.workerStatus.values()],
    };
  }

  get sessionBusy(): boolean { return this.runtime.busy; }
  get sessionId(): string { return this.runtime.id; }
  /** True while the session has no message yet (a fresh one). */
  get sessionEmpty(): boolean { return !this.runtime.entries.some((e) => e.t === 'msg'); }

  webviewReady(): Promise<void> {
    if (this.snapshotsServed > 0) return Promise.resolve();
    return new Promise((resolve) => this.readyResolvers.push(resolve));
  }

  async idle(): Promise<void> { await this.runtime.idle(); }

  newSession(): string {
    this.install(this.createRuntime());
    return this.runtime.id;
  }

  sessions() { return listSessions(this.ws.agentDir); }

  openSession(id: string): boolean {
    if (id === this.runtime.id) return true;
    return this.tryOpen(id);
  }

  send(text: string): { messageId: string } {
    if (this.runtime.busy) throw new Error('Cairn is still answering. Stop it first, or wait for it to finish.');
    const feedback = this.planFlow?.beforeUserMessage();
    return this.runtime.submit(text, feedback ? { context: [feedback] } : {});
  }

  /** Send with @-attachments (resolved here, inside the workspace) and pasted images. */
  async sendRich(p: RequestParams<'chat/send'>): Promise<{ messageId: string }> {
    if (this.runtime.busy) throw new Error('Cairn is still answering. Stop it first, or wait for it to finish.');
    // UserPromptSubmit hooks may block the prompt (the composer keeps it and shows why) or add context.
    const session = this.runtime.id;
    const gate = await this.sessionHooks()?.promptSubmit(session, p.text);
    if (gate?.blocked) throw new Error(`Not sent: ${gate.blocked}`);
    if (this.runtime.id !== session || this.runtime.busy) throw new Error('The session changed while the prompt hooks ran. Send the message again.');
    // MCP resources are read from their servers; everything else inside the workspace.
    const mcp = (p.attachments ?? []).filter((a) => a.kind === 'mcp-resource');
    const local = (p.attachments ?? []).filter((a) => a.kind !== 'mcp-resource');
    const resolved = local.length ? await resolveAttachments(this.ws.root, local) : undefined;
    const owner = this.features.find((f) => f.resolveAttachments);
    const fromMcp = mcp.length ? (owner ? await owner.resolveAttachments!(mcp) : { context: [], problems: mcp.map((a) => `${a.label}: MCP resources are not available`) }) : undefined;
    const labels = [...(resolved?.labels ?? []), ...mcp.map((a) => ({ kind: a.kind, label: a.label }))];
    for (const problem of [...(resolved?.problems ?? []), ...(fromMcp?.problems ?? [])]) this.broadcast('session/notice', { level: 'warning', message: `Not attached: ${problem}` });
    // While a plan waits (or was sent back), a chat message is feedback on it, never approval.
    const feedback = this.planFlow?.beforeUserMessage();
    const context = [...(resolved?.context ?? []), ...(fromMcp?.context ?? []), ...(gate?.context ?? []).map(hookContext), ...(feedback ? [feedback] : [])];
    return this.runtime.submit(p.text, { context: context.length ? context : undefined, attachments: labels.length ? labels : undefined, images: p.images });
  }

  /** /compact: summarise the conversation now (refused while a turn runs); PreCompact hooks run first. */
  async compact(instructions?: string): Promise<boolean> {
    if (this.runtime.busy) throw new Error('Cairn is still working. Stop it or wait for it to finish, then compact.');
    const rt = this.runtime;
    await this.sessionHooks()?.preCompact(rt.id, 'manual');
    if (this.runtime !== rt || rt.busy) throw new Error('The session changed while the PreCompact hooks ran. Compact again.');
    return rt.compact(instructions);
  }

  /** What undo would restore (the turn, its prompt, its files), asked before undoing. */
  undoPreview() { return this.runtime.undoPreview(); }
  /** Restore the files the most recent turn with edits changed (`turn`: the one the user confirmed). */
  undoLastTurn(turn?: number) { return this.runtime.undoLastTurn(turn); }

  setMode(mode: PermissionMode): PermissionMode {
    this.mode = mode;
    this.engine?.setMode(mode);
    void this.state.update(MODE, mode);
    this.broadcast('mode/changed', { mode });
    return mode;
  }

  /** Coordinator mode: the tool list must not change mid-session (the cache), so a session with messages is replaced. */
  setCoordinator(on: boolean): { on: boolean; newSession: boolean } {
    const changed = on !== this.coordinatorOn;
    this.coordinatorOn = on;
    void this.state.update(COORDINATOR, on);
    this.broadcast('coordinator/changed', { on });
    if (!changed) return { on, newSession: false };
    if (this.runtime.busy) {
      this.notice('info', `Coordinator mode is ${on ? 'on' : 'off'} from the next session (this one is still working).`);
      return { on, newSession: false };
    }
    this.newSession();
    return { on, newSession: true };
  }

  /** A transcript this session knows of (a subagent's, or a worker's in its own folder). */
  private knownTranscript(absPath: string): boolean {
    const p = resolve(absPath);
    for (const s of this.subagentStatus.values()) if (resolve(this.ws.root, s.transcript) === p) return true;
    for (const w of this.workerStatus.values()) if (w.transcript && resolve(w.transcript) === p) return true;
    return false;
  }

  private async openTranscript(agentId: string): Promise<boolean> {
    const sub = [...this.subagentStatus.values()].find((s) => s.agentId === agentId);
    const worker = this.workerStatus.get(agentId);
    const path = sub ? resolve(this.ws.root, sub.transcript) : worker?.transcript;
    if (!path || !isAbsolute(path)) return false;
    if (sub && !path.startsWith(join(this.ws.agentDir, 'sessions') + sep)) return false;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: TRANSCRIPT_SCHEME, path }));
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: false });
    return true;
  }

  renameSession(id: string, title: string): boolean {
    if (id === this.runtime.id) { this.runtime.rename(title); return true; }
    if (!this.sessions().some((s) => s.id === id)) return false;
    const w = new TranscriptWriter(transcriptPath(this.ws.agentDir, id));
    try { w.append({ t: 'title', title }); } finally { w.close(); }
    return true;
  }

  deleteSession(id: string): boolean {
    if (!this.sessions().some((s) => s.id === id)) return false;
    if (id === this.runtime.id) this.newSession();
    rmSync(transcriptPath(this.ws.agentDir, id), { force: true });
    rmSync(sessionDir(this.ws.agentDir, id), { recursive: true, force: true });
    return true;
  }

  /** The open session's plan (proposed, approved, progress), for the plan list. */
  get planState(): PlanState | undefined { return this.plans; }

  /** Resume a plan from the plan list: it goes back to review in this session (refused while a turn runs). */
  resumePlan(path: string): string {
    if (this.runtime.busy) throw new Error('Cairn is still working. Stop it or wait for it to finish, then resume the plan.');
    if (!this.plans) throw new Error('This session has no plan support.');
    return this.plans.resume(path).rel;
  }

  /**
   * UltraPlan: start a deep planning run of `task` in this session (plan mode, `cairn.planModel` with thinking).
   * Refusals throw at once; the promise resolves when the run ended, with the plan it proposed. `onProgress` hears
   * each tool the run starts (for the progress notification).
   */
  ultraPlan(task: string, onProgress?: (message: string) => void): Promise<UltraPlanResult> {
    if (!this.plans || !this.ultra) throw new Error('This session has no plan support.');
    const configured = vscode.workspace.getConfiguration('cairn').get<string>('planModel');
    const model = this.auth.modelFor(typeof configured === 'string' && configured.trim() ? configured.trim() : DEFAULT_PLAN_MODEL);
    const runtime = this.runtime;
    const off = runtime.subscribe((e) => {
      if (e.name === 'message/toolDelta' && e.data.status === 'running') onProgress?.(`${e.data.name}${e.data.title ? `: ${e.data.title}` : ''}`);
    });
    try {
      return this.ultra.start({ task, model, session: runtime, plans: this.plans, setMode: (m) => this.setMode(m) }).finally(off);
    } catch (e) { off(); throw e; }
  }

  /** Register a feature's request handlers (e.g. the memory view's). */
  addHandlers(handlers: RequestHandlers): void {
    Object.assign(this.extraHandlers, handlers);
  }

  /** Send an event to every webview (features use it for their own events). */
  emit<E extends EventName>(name: E, data: EventData<E>): void {
    this.broadcast(name, data);
  }

  async handle<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    type R = RequestResult<M>;
    const extra = this.extraHandlers[method] as ((p: RequestParams<M>) => Promise<R> | R) | undefined;
    if (extra) return extra(params);
    switch (method) {
      case 'session/snapshot': {
        const snap = this.snapshot();
        this.snapshotsServed++;
        for (const r of this.readyResolvers.splice(0)) r();
        return snap as R;
      }
      case 'chat/send': return (await this.sendRich(params as RequestParams<'chat/send'>)) as R;
      case 'checkpoint/preview': return { target: (await this.runtime.undoPreview()) ?? null } as R;
      case 'checkpoint/undo': {
        const r = await this.undoLastTurn((params as RequestParams<'checkpoint/undo'>).turn);
        return (r ? { undone: true, restored: r.restored, deleted: r.deleted, skipped: r.skipped } : { undone: false, restored: [], deleted: [], skipped: [] }) as R;
      }
      case 'mode/set': return { mode: this.setMode((params as RequestParams<'mode/set'>).mode) } as R;
      case 'session/rename': { const p = params as RequestParams<'session/rename'>; return { ok: this.renameSession(p.id, p.title) } as R; }
      case 'session/delete': return { ok: this.deleteSession((params as RequestParams<'session/delete'>).id) } as R;
      case 'chat/stop': return { stopped: this.runtime.abort() } as R;
      case 'subagent/stop': return { stopped: this.subagents?.stop((params as RequestParams<'subagent/stop'>).agentId) ?? false } as R;
      case 'worker/stop': {
        const id = (params as RequestParams<'worker/stop'>).workerId;
        if (!this.pool?.get(id)) return { stopped: false } as R;
        await this.pool.stop(id);
        return { stopped: true } as R;
      }
      case 'worker/review': {
        const { workerId } = params as RequestParams<'worker/review'>;
        // A worker from before the session was reopened: its folder is gone with its process; its diff is kept.
        const saved = this.pool?.get(workerId) ? undefined : this.workerStatus.get(workerId);
        if (saved) return { offered: 0, problems: [`worker ${workerId} ended with an earlier window, so its changes cannot be reviewed here${saved.diffPath ? `; apply them by hand with git apply ${saved.diffPath}` : ''}`] } as R;
        return (await (this.reviews?.offer(workerId) ?? { offered: 0, problems: ['this session has no workers'] })) as R;
      }
      case 'coordinator/set': return this.setCoordinator((params as RequestParams<'coordinator/set'>).on) as R;
      case 'agent/openTranscript': return { ok: await this.openTranscript((params as RequestParams<'agent/openTranscript'>).agentId) } as R;
      case 'chat/retry': return { retried: this.runtime.retry() } as R;
      case 'chat/continue': return { continued: this.runtime.continue() } as R;
      case 'chat/compact': return { compacted: await this.compact((params as RequestParams<'chat/compact'>).instructions) } as R;
      case 'session/notes': return (this.runtime.notes() ?? {}) as R;
      case 'session/new': return { sessionId: this.newSession() } as R;
      case 'session/list': return { sessions: listSessions(this.ws.agentDir) } as R;
      case 'session/open': return { ok: this.openSession((params as RequestParams<'session/open'>).id) } as R;
      case 'auth/promptKey': return { stored: await this.auth.promptForKey() } as R;
      case 'auth/useDemo': return { ok: await this.auth.useDemo() } as R;
      case 'decision/answer': {
        const p = params as RequestParams<'decision/answer'>;
        return { ok: this.decisions.answer(p.id, p.answer) } as R;
      }
      case 'webview/reportError': {
        const p = params as RequestParams<'webview/reportError'>;
        this.log.error(`webview: ${p.message}${p.stack ? `\n${p.stack}` : ''}`);
        return {} as R;
      }
      default: throw new Error(`no handler for ${String(method)}`);
    }
  }

  private tryOpen(id: string): boolean {
    try {
      const rt = SessionRuntime.resume(this.runtimeOptions(id).options, id);
      // Finished subagents' cards come back from their results in the transcript.
      for (const s of finishedSubagents(rt.entries)) this.assembledSubagentStatus.set(s.toolUseId, s);
      this.install(rt, true);
      for (const p of rt.problems) { this.log.warn(`session ${id}: ${p}`); this.notice('warning', p); }
      // Only a turn that never ended is "stopped in the middle" (the panel shows Continue for it); one that ended
      // in an error shows that error with Retry instead.
      if (rt.resumable) this.notice('info', 'This session stopped in the middle of a turn (the window was reloaded or the editor closed). Finished steps are kept and nothing is re-run. Send a message, or choose Continue, to pick up where it stopped.');
      return true;
    } catch (err) {
      this.log.warn(`could not reopen session ${id}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  private install(rt: SessionRuntime, resumed = false): void {
    if (this.runtime) {
      this.unsubscribe();
      this.runtime.close();
      for (const f of this.features) f.onSessionClosed?.(this.runtime.id);
    }
    this.decisions.withdrawAll();
    this.planFlow?.dispose();
    this.closeWorkers();
    const makePool = this.assembledPool;
    this.assembledPool = undefined;
    this.subagentStatus = this.assembledSubagentStatus;
    // A reopened session shows its finished workers' cards again (their statuses were saved beside their diffs).
    this.workerStatus = new Map(resumed ? savedWorkers(this.ws.agentDir, rt.id).map((w) => [w.workerId, w]) : []);
    this.runtime = rt;
    if (makePool) this.openWorkers(makePool);
    this.plans = this.assembledPlans;
    this.ultra = this.assembledUltra;
    this.planFlow = this.plans ? new PlanFlow(this.plans, this.decisions.planPort(), () => this.runtime, (level, message) => this.notice(level, message), undefined, savePlanEditor) : undefined;
    this.notices = [];
    void this.state.update(ACTIVE_SESSION, rt.id);
    this.unsubscribe = rt.subscribe((e: RuntimeEvent) => {
      if (e.name === 'turn/status' && e.data.error) this.log.warn(`turn ended (${e.data.stopReason ?? 'error'}): ${e.data.error.kind}: ${e.data.error.message}`);
      this.broadcast(e.name, e.data as never);
      // A task ended (completed, stopped, failed): the Stop hooks run.
      if (e.name === 'turn/status' && e.data.turn !== 'streaming' && e.data.stopReason) void this.sessionHooks()?.stop(rt.id, e.data.stopReason);
    });
    const snap = rt.snapshot();
    this.broadcast('session/started', { sessionId: snap.sessionId, title: snap.title });
    void this.sessionHooks()?.sessionStart(rt.id, resumed);
  }

  /** The session's pool: every status goes to the webviews and the snapshot; a finished worker's changes are offered. */
  private openWorkers(makePool: () => WorkerPool | undefined): void {
    const pool = makePool();
    if (!pool) return;
    this.pool = pool;
    const review = () => this.features.map((f) => f.ports?.().diffReview).find((r) => r !== undefined);
    const reviews = new WorkerReviews(this.ws.root, pool, review, (level, message) => this.notice(level, message));
    this.reviews = reviews;
    this.unsubscribePool = pool.subscribe((s) => {
      const st = toProtocol(s);
      this.workerStatus.set(s.workerId, st);
      this.broadcast('worker/status', st);
      reviews.onStatus(s);
    });
  }

  private closeWorkers(): void {
    this.unsubscribePool();
    this.unsubscribePool = () => undefined;
    this.reviews?.dispose();
    this.reviews = undefined;
    const pool = this.pool;
    this.pool = undefined;
    if (pool) void pool.dispose().catch((e: Error) => this.log.warn(`workers: ${e.message}`));
  }

  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    this.notices = [...this.notices, { level, message }].slice(-5);
    this.broadcast('session/notice', { level, message });
  }

  private createRuntime(): SessionRuntime {
    const { options, sessionId } = this.runtimeOptions();
    return SessionRuntime.create(options, sessionId);
  }

  private sessionHooks(): SessionHooks | undefined {
    return this.features.map((f) => f.sessionHooks?.()).find((h) => h !== undefined);
  }

  /** A plan proposed or approved changed the mode: the panel shows it and it is remembered. */
  private modeChangedByPlan(mode: PermissionMode): void {
    this.mode = mode;
    void this.state.update(MODE, mode);
    this.broadcast('mode/changed', { mode });
  }

  private runtimeOptions(sessionId?: string): { options: RuntimeOptions; sessionId: string } {
    const user = readUserPermissionRules();
    const toolHooks = this.features.map((f) => f.toolHooks?.()).find((h) => h !== undefined);
    const newId = sessionId ?? randomUUID();
    // Coordinator mode: the pool is made with the session (its results go under the session's folder).
    let pool: WorkerPool | undefined;
    const cliPath = this.ws.cliPath;
    const coordinator = this.coordinatorOn && cliPath ? () => (pool ??= createWorkerPool({
      root: this.ws.root, agentDir: this.ws.agentDir, sessionId: newId, cliPath,
      mode: () => this.mode, model: () => this.auth.modelFor(readConfig().model),
      credentials: () => { const c = this.auth.credentials(); const base = c?.demoUrl ?? readConfig().baseUrl; return { ...(c ? { apiKey: c.apiKey } : {}), ...(base ? { baseURL: base } : {}) }; },
    })) : undefined;
    this.assembledPool = coordinator;
    const { options, permissions, subagents, plans, ultra, sessionId: id } = assembleSession({
      sessionId: newId,
      ...(coordinator ? { coordinator } : {}),
      onModeChange: (m) => this.modeChangedByPlan(m),
      agentDir: this.ws.agentDir,
      workspaceRoot: this.ws.root,
      trusted: this.ws.trusted(),
      mode: this.mode,
      userRules: (['deny', 'ask', 'allow'] as const).flatMap((effect) => user[effect].map((pattern) => ({ effect, pattern, source: 'user' as const }))),
      provider: () => this.provider(),
      model: () => { const c = readConfig(); return { id: this.auth.modelFor(c.model), maxTokens: c.maxOutputTokens, thinking: c.thinking, thinkingBudget: c.thinkingBudget }; },
      limits: () => { const c = readConfig(); return { maxTurns: c.maxTurns, maxCostUsd: c.maxCostPerTask }; },
      compaction: () => readCompaction(),
      subagents: () => readSubagents(),
      ...(this.ws.rgPath ? { rgPath: this.ws.rgPath } : {}),
      contributions: this.features,
      ports: { process: createNodeProcessPort(), approval: this.decisions.approvalPort() },
      rememberRule: (scope, pattern) => {
        const save = scope === 'user' ? addUserAllowRule(pattern) : persistRule(localSettingsPath(this.ws.root), 'allow', pattern);
        void Promise.resolve(save).then(
          () => this.notice('info', `Cairn will allow ${pattern} without asking ${scope === 'user' ? 'in every workspace (your user settings, cairn.permissions)' : 'in this workspace (.agent/settings.local.json)'}.`),
          (err) => this.notice('error', `Could not save the rule ${pattern}: ${err instanceof Error ? err.message : String(err)}`),
        );
      },
      onWarning: (w) => this.log.warn(`permissions: ${w}`),
      ...(toolHooks ? { toolHooks } : {}),
      preCompact: async (session, trigger) => { await this.sessionHooks()?.preCompact(session, trigger); },
    });
    this.engine = permissions;
    // Subagents' live status goes to every webview (a card nested in the turn); the hub belongs to this session.
    this.unsubscribeSubagents();
    this.subagents = subagents;
    const statuses = new Map<string, SubagentStatus>();
    this.assembledSubagentStatus = statuses;
    this.unsubscribeSubagents = subagents.subscribe((s) => {
      const st = { ...s, ...(s.report !== undefined ? { report: s.report.slice(0, 4_000) } : {}) };
      statuses.set(s.toolUseId, st);
      this.broadcast('subagent/status', st);
    });
    this.assembledPlans = plans;
    this.assembledUltra = ultra;
    return { options, sessionId: id };
  }

  /** The chat's provider (same key and endpoint) for the background agents (dream, proactive ticks). */
  backgroundProvider(): Provider | ProviderError { return this.provider(); }

  private provider(): Provider | ProviderError {
    const creds = this.auth.credentials();
    if (!creds) return { kind: 'auth', message: 'No API key is set. Run "Cairn: Set API Key", or set ANTHROPIC_API_KEY.', retryable: false };
    const cfg = readConfig();
    const baseURL = creds.demoUrl ?? cfg.baseUrl;
    const cacheKey = `${creds.apiKey.length}:${creds.apiKey.slice(-6)}|${baseURL}`;
    if (this.providerCache?.key !== cacheKey) {
      this.providerCache = { key: cacheKey, provider: createAnthropicProvider({ apiKey: creds.apiKey, baseURL }) };
      this.log.info(`provider: ${creds.demoUrl ? 'offline demo emulator' : 'Anthropic'} at ${baseURL || 'the default endpoint'}`);
    }
    return this.providerCache.provider;
  }

  private broadcast<E extends EventName>(name: E, data: EventData<E>): void {
    const msg = eventMessage(++this.seq, name, data);
    for (const sink of this.sinks) {
      try { sink(msg); } catch (err) { this.log.error('failed to post an event to a webview', err); }
    }
  }

  dispose(): void {
    this.planFlow?.dispose();
    this.closeWorkers();
    this.unsubscribe();
    this.unsubscribeSubagents();
    this.runtime.close();
    for (const d of this.disposables) d.dispose();
    this.sinks.clear();
  }
}
