/**
 * The coordinator's workers: each is a separate process running the headless core (`<runner> --worker`) in its
 * own worktree (workspace.ts), connected back over the coordinator's WebSocket (server.ts). The pool starts them,
 * passes messages, waits for them, stops them, and turns each one's work into a diff saved under the session
 * (`<resultsDir>/<workerId>.diff`). A worker whose process ends before it reported is `crashed`: its diff is still
 * taken and its worktree kept, so nothing it did is lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PermissionMode } from '../permissions/types';
import { addUsage, ZERO_USAGE, type Usage } from '../providers/types';
import { CoordinatorServer, type WorkerLink } from './server';
import type { WorkerMessage } from './wire';
import { createWorkerWorkspace, removeWorkerWorkspace, workerDiff, type FileChange, type WorkerWorkspace } from './workspace';

export type WorkerState = 'starting' | 'running' | 'done' | 'error' | 'stopped' | 'crashed';
/** States in which a worker has a result (its diff is taken). */
export const SETTLED: ReadonlySet<WorkerState> = new Set(['done', 'error', 'stopped', 'crashed']);

export interface WorkerStatus {
  workerId: string;
  /** The coordinator's tool call that started it (front ends put its card there). */
  toolUseId: string;
  description: string;
  state: WorkerState;
  currentTool?: string;
  toolCount: number;
  usage: Usage;
  costUsd?: number;
  /** Its last report (what it said when it finished). */
  report?: string;
  /** Why it failed, crashed or was stopped. */
  error?: string;
  /** 'worktree' (git) or 'copy'. */
  isolation: WorkerWorkspace['kind'];
  /** Its folder (absolute; kept after a crash). */
  worktree: string;
  /** Its transcript (absolute), once it reported one. */
  transcript?: string;
  /** What it changed, once settled. */
  files?: FileChange[];
  /** Its diff, relative to the workspace, once settled. */
  diffPath?: string;
}

/**
 * The statuses of settled workers saved in a results folder (`<workerId>.json` beside `<workerId>.diff`), oldest
 * name first; a torn, foreign or unsettled file is skipped. Front ends check the shape again before showing one.
 */
export function readSavedStatuses(resultsDir: string): WorkerStatus[] {
  let names: string[] = [];
  try { names = readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort(); } catch { return []; }
  const out: WorkerStatus[] = [];
  for (const f of names.slice(0, 100)) {
    try {
      const s = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Partial<WorkerStatus> | null;
      if (!s || typeof s !== 'object' || typeof s.workerId !== 'string' || `${s.workerId}.json` !== f || !SETTLED.has(s.state as WorkerState)) continue;
      if (typeof s.toolUseId !== 'string' || typeof s.description !== 'string' || typeof s.toolCount !== 'number' || !s.usage || typeof s.worktree !== 'string') continue;
      out.push(s as WorkerStatus);
    } catch { /* torn or unreadable */ }
  }
  return out;
}

export interface WorkerPoolOptions {
  workspaceRoot: string;
  /** Where each worker's diff is saved (absolute; e.g. `.agent/sessions/<id>/workers`). */
  resultsDir: string;
  /** The headless runner: `execPath [...execArgv] script --worker ...`. */
  command: { execPath: string; script: string; execArgv?: string[] };
  /** The workers' permission mode (headless: a call that would ask is refused). */
  mode(): PermissionMode;
  model?(): string | undefined;
  /** Credentials for the workers, sent on their stdin (never their command line or environment). */
  credentials(): { apiKey?: string; baseURL?: string };
  /** The environment of worker processes (default: this process's, without Cairn's and Anthropic's secrets). */
  env?: NodeJS.ProcessEnv;
  /** How many workers may be active at once (default 4). */
  maxWorkers?(): number;
  /** How long a started worker has to connect (default 60 s). */
  connectTimeoutMs?: number;
}

interface Worker {
  status: WorkerStatus;
  ws: WorkerWorkspace;
  prompt: string;
  child?: ChildProcess;
  link?: WorkerLink;
  /** Messages sent before the worker connected. */
  queue: string[];
  stderr: string;
  /** Taking the diff, when one is under way (settle waits for it). */
  settling?: Promise<void>;
  timer?: NodeJS.Timeout;
  exited: boolean;
  /** stop() was asked: an exit before a result is a stop, not a crash. */
  stopping?: boolean;
}

const STDERR_TAIL = 4_000;

export class WorkerPool {
  private server: Promise<CoordinatorServer> | undefined;
  private readonly workers = new Map<string, Worker>();
  private readonly listeners = new Set<(s: WorkerStatus) => void>();
  private readonly waiters = new Set<() => void>();
  private disposed = false;
  private count = 0;
  private pending = 0;

  constructor(private readonly o: WorkerPoolOptions) {}

  subscribe(fn: (s: WorkerStatus) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  list(): WorkerStatus[] { return [...this.workers.values()].map((w) => ({ ...w.status })); }
  get(id: string): WorkerStatus | undefined { const w = this.workers.get(id); return w ? { ...w.status } : undefined; }
  /** Its folder (for review: the worker's version of each changed file). */
  workspace(id: string): WorkerWorkspace | undefined { return this.workers.get(id)?.ws; }
  /** The process id (tests kill it to check crash handling). */
  pid(id: string): number | undefined { return this.workers.get(id)?.child?.pid; }
  /** The port and handshake refusals, for tests. */
  async endpoint(): Promise<{ url: string; refused: () => number; token: string }> {
    const s = await this.ensureServer();
    return { url: s.url, refused: () => s.refused, token: s.token };
  }

  private ensureServer(): Promise<CoordinatorServer> {
    return (this.server ??= CoordinatorServer.start({
      expects: (id) => { const w = this.workers.get(id); return Boolean(w && !w.link && w.status.state === 'starting'); },
      connected: (id, link) => this.connected(id, link),
      message: (id, m) => this.received(id, m),
      closed: (id, why) => this.linkClosed(id, why),
    }));
  }

  /** Starts a worker on `prompt`. Throws (with what to do) when the pool is full or the worktree cannot be made. */
  async start(description: string, prompt: string, toolUseId = ''): Promise<WorkerStatus> {
    if (this.disposed) throw new Error('the coordinator has ended');
    const max = Math.max(1, this.o.maxWorkers?.() ?? 4);
    const active = [...this.workers.values()].filter((w) => !SETTLED.has(w.status.state)).length + this.pending;
    if (active >= max) throw new Error(`${active} workers are already working (the most at once is ${max}): wait for one with wait_workers, or stop one`);
    // Reserved before the first await, so calls in one response neither share a number nor exceed the bound.
    const id = `w${++this.count}-${randomBytes(3).toString('hex')}`;
    this.pending++;
    let ws: WorkerWorkspace;
    let server: CoordinatorServer;
    try {
      server = await this.ensureServer();
      ws = await createWorkerWorkspace(this.o.workspaceRoot, id);
    } finally {
      this.pending--;
    }
    if (this.disposed) { await removeWorkerWorkspace(this.o.workspaceRoot, ws); throw new Error('the coordinator has ended'); }
    const w: Worker = {
      ws, prompt, queue: [], stderr: '', exited: false,
      status: { workerId: id, toolUseId, description, state: 'starting', toolCount: 0, usage: { ...ZERO_USAGE }, isolation: ws.kind, worktree: ws.dir },
    };
    this.workers.set(id, w);
    const model = this.o.model?.();
    const args = [...(this.o.command.execArgv ?? []), this.o.command.script, '--worker', '--cwd', ws.dir, '--permission-mode', this.o.mode(), ...(model ? ['--model', model] : [])];
    const child = spawn(this.o.command.execPath, args, { cwd: ws.dir, env: this.o.env ?? workerEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
    w.child = child;
    child.stderr?.on('data', (c: Buffer) => { w.stderr = (w.stderr + c.toString('utf8')).slice(-STDERR_TAIL); });
    child.on('error', (e) => this.ended(w, `the worker process could not start: ${e.message}`));
    child.on('exit', (code, signal) => this.ended(w, signal ? `the worker process was killed (${signal})` : `the worker process exited with code ${code}`));
    child.stdin?.on('error', () => { /* the worker died before reading: its exit reports it */ });
    child.stdin?.end(`${JSON.stringify({ url: server.url, token: server.token, workerId: id, ...this.o.credentials() })}\n`);
    w.timer = setTimeout(() => {
      if (w.status.state === 'starting') { w.status.error = 'the worker did not connect in time'; child.kill('SIGKILL'); }
    }, this.o.connectTimeoutMs ?? 60_000);
    this.emit(w);
    return { ...w.status };
  }

  /** Sends a follow-up message to a worker; a finished worker starts working again. */
  message(id: string, text: string): WorkerStatus {
    const w = this.must(id);
    if (w.status.state === 'crashed' || w.status.state === 'stopped' || w.exited) throw new Error(`worker ${id} is ${w.status.state}: it takes no more messages (start a new worker)`);
    if (!w.link) w.queue.push(text);
    else w.link.send({ type: 'message', text });
    if (w.status.state !== 'starting') {
      w.status.state = 'running';
      delete w.status.files; delete w.status.diffPath;
    }
    this.emit(w);
    return { ...w.status };
  }

  /** Stops a worker (its work so far stays: the diff is taken, the worktree kept). */
  async stop(id: string): Promise<WorkerStatus> {
    const w = this.must(id);
    if (!w.exited) {
      w.stopping = true;
      w.link?.send({ type: 'stop' });
      const child = w.child;
      const killer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      if (!w.link) child?.kill('SIGKILL');
      await new Promise<void>((resolve) => { if (w.exited) resolve(); else child?.once('exit', () => resolve()); });
      clearTimeout(killer);
    }
    await w.settling;
    return { ...w.status };
  }

  /**
   * Waits until every worker in `ids` (default: every worker not settled yet) has settled, the time is up, or the
   * signal aborts. Returns the statuses of `ids` as they are then.
   */
  async wait(ids: string[] | undefined, timeoutMs: number, signal?: AbortSignal): Promise<WorkerStatus[]> {
    for (const id of ids ?? []) this.must(id);
    const chosen = ids ?? [...this.workers.values()].filter((w) => !SETTLED.has(w.status.state) || w.settling).map((w) => w.status.workerId);
    const ready = () => chosen.every((id) => { const w = this.workers.get(id)!; return SETTLED.has(w.status.state) && !w.settling; });
    if (!ready()) {
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(t); this.waiters.delete(check); signal?.removeEventListener('abort', done); resolve(); };
        const check = () => { if (ready()) done(); };
        const t = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        this.waiters.add(check);
      });
    }
    return chosen.map((id) => ({ ...this.workers.get(id)!.status }));
  }

  /** Ends every worker; removes the worktrees of those that did not crash (their diffs are saved). */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.workers.values()) if (!w.exited) w.child?.kill('SIGKILL');
    await Promise.all([...this.workers.values()].map((w) => new Promise<void>((resolve) => {
      if (w.exited || !w.child) resolve(); else w.child.once('exit', () => resolve());
    })));
    await Promise.all([...this.workers.values()].map((w) => w.settling));
    for (const w of this.workers.values()) {
      if (w.status.state !== 'crashed') await removeWorkerWorkspace(this.o.workspaceRoot, w.ws).catch(() => undefined);
    }
    if (this.server) await (await this.server).close();
  }

  private must(id: string): Worker {
    const w = this.workers.get(id);
    if (!w) throw new Error(`there is no worker "${id}" (workers: ${[...this.workers.keys()].join(', ') || 'none'})`);
    return w;
  }

  private connected(id: string, link: WorkerLink): void {
    const w = this.workers.get(id)!;
    w.link = link;
    clearTimeout(w.timer);
  }

  private received(id: string, m: WorkerMessage): void {
    const w = this.workers.get(id);
    if (!w) return;
    const s = w.status;
    if (m.type === 'hello') {
      s.state = 'running';
      w.link?.send({ type: 'task', prompt: w.prompt });
      for (const text of w.queue.splice(0)) w.link?.send({ type: 'message', text });
    } else if (m.type === 'status') {
      if (s.state !== 'running') return;
      if (m.currentTool) s.currentTool = m.currentTool; else delete s.currentTool;
      s.toolCount = m.toolCount;
      s.usage = addUsage(ZERO_USAGE, m.usage);
      if (m.costUsd !== undefined) s.costUsd = m.costUsd;
    } else {
      delete s.currentTool;
      s.toolCount = m.toolCount;
      s.usage = addUsage(ZERO_USAGE, m.usage);
      if (m.costUsd !== undefined) s.costUsd = m.costUsd;
      if (m.report !== undefined) s.report = m.report; else delete s.report;
      s.transcript = join(w.ws.dir, m.transcript);
      if (m.stop === 'completed') { s.state = 'done'; delete s.error; }
      else if (m.stop === 'aborted') s.state = 'stopped';
      else { s.state = 'error'; s.error = m.error ?? `the worker stopped: ${m.stop}`; }
      this.settle(w);
    }
    this.emit(w);
  }

  private linkClosed(id: string, why: string): void {
    const w = this.workers.get(id);
    if (!w) return;
    delete w.link;
    // A worker that hangs up mid-task is treated as crashed once its process ends (its exit settles it).
    if (!SETTLED.has(w.status.state) && !w.exited) {
      w.status.error = `the worker disconnected (${why})`;
      w.child?.kill('SIGKILL');
    }
  }

  private ended(w: Worker, why: string): void {
    if (w.exited) return;
    w.exited = true;
    clearTimeout(w.timer);
    delete w.link;
    const s = w.status;
    if (!SETTLED.has(s.state) && w.stopping) {
      s.state = 'stopped';
      delete s.currentTool;
      this.settle(w);
    } else if (!SETTLED.has(s.state)) {
      s.state = 'crashed';
      const tail = w.stderr.trim().split('\n').slice(-3).join(' | ');
      s.error = `${s.error ? `${s.error}; ` : ''}${why}${tail ? `; last output: ${tail.slice(-600)}` : ''}`;
      delete s.currentTool;
      this.settle(w);
    }
    this.emit(w);
  }

  /** Takes the worker's diff and saves it; waiters are told once it is done. */
  private settle(w: Worker): void {
    const run = async () => {
      try {
        const d = await workerDiff(w.ws);
        mkdirSync(this.o.resultsDir, { recursive: true });
        const file = join(this.o.resultsDir, `${w.status.workerId}.diff`);
        writeFileSync(file, d.diff);
        w.status.files = d.files;
        w.status.diffPath = relative(this.o.workspaceRoot, file).split('\\').join('/');
      } catch (e) {
        w.status.error = `${w.status.error ? `${w.status.error}; ` : ''}its diff could not be taken (${(e as Error).message}); its folder is kept: ${w.ws.dir}`;
      }
    };
    const p = (w.settling ?? Promise.resolve()).then(run).finally(() => {
      if (w.settling === p) delete w.settling;
      // Its last status beside its diff: a reopened session shows the finished worker's card again.
      try {
        mkdirSync(this.o.resultsDir, { recursive: true });
        writeFileSync(join(this.o.resultsDir, `${w.status.workerId}.json`), JSON.stringify(w.status));
      } catch { /* the card is lost on reopening; the diff (above) is what matters */ }
      this.emit(w);
      for (const c of [...this.waiters]) c();
    });
    w.settling = p;
  }

  private emit(w: Worker): void {
    for (const l of this.listeners) {
      try { l({ ...w.status }); } catch { /* a broken listener must not break the pool */ }
    }
  }
}

/** This process's environment without the secrets a worker must not inherit (it gets its key on stdin). */
export function workerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const k of Object.keys(env)) if (/^(ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN|CAIRN_WORKER_)/.test(k)) delete env[k];
  return env;
}
