/**
 * Coordinator mode in VS Code: the session's worker pool (workers are the bundled runner, `dist/cli.js --worker`,
 * run by VS Code's own Node), each finished worker's changes offered for review file by file through the same diff
 * review as the agent's edits (one at a time, so two workers' changes to one file never race), and transcripts of
 * subagents and workers opened read-only.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { WorkerPool, proposeMerge, readSavedStatuses, SETTLED, workerMode, type WorkerStatus as CoreWorkerStatus } from '../../core/coordinator';
import type { DiffReviewPort } from '../../core/ports';
import type { PermissionMode } from '../../core/permissions/types';
import { WorkerStatus as WorkerStatusSchema, type WorkerStatus } from '../../protocol/agents';
import { renderTranscript } from '../../core/session/transcript-text';

export const TRANSCRIPT_SCHEME = 'cairn-transcript';

export interface PoolSetup {
  root: string;
  agentDir: string;
  sessionId: string;
  cliPath: string;
  mode(): PermissionMode;
  model(): string;
  credentials(): { apiKey?: string; baseURL?: string };
}

export function createWorkerPool(s: PoolSetup): WorkerPool {
  return new WorkerPool({
    workspaceRoot: s.root, resultsDir: join(s.agentDir, 'sessions', s.sessionId, 'workers'),
    // VS Code's binary runs as plain Node with ELECTRON_RUN_AS_NODE (plain Node ignores it).
    command: { execPath: process.execPath, script: s.cliPath },
    env: { ...workerEnvFrom(process.env), ELECTRON_RUN_AS_NODE: '1' },
    mode: () => workerMode(s.mode()), model: s.model, credentials: s.credentials,
  });
}

function workerEnvFrom(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!/^(ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN|CAIRN_WORKER_|VSCODE_IPC_HOOK)/.test(k)) out[k] = v;
  return out;
}

/** The panel's form of a worker's status (bounded fields). */
export function toProtocol(s: CoreWorkerStatus): WorkerStatus {
  return {
    workerId: s.workerId, toolUseId: s.toolUseId, description: s.description.slice(0, 200), state: s.state,
    ...(s.currentTool ? { currentTool: s.currentTool.slice(0, 200) } : {}),
    toolCount: s.toolCount, usage: s.usage, ...(s.costUsd !== undefined ? { costUsd: s.costUsd } : {}),
    ...(s.report !== undefined ? { report: s.report.slice(0, 4_000) } : {}),
    ...(s.error ? { error: s.error.slice(0, 2_000) } : {}),
    isolation: s.isolation, worktree: s.worktree.slice(0, 1000),
    ...(s.files ? { files: s.files.slice(0, 2000) } : {}),
    ...(s.diffPath ? { diffPath: s.diffPath } : {}),
    ...(s.transcript ? { transcript: s.transcript.slice(0, 1000) } : {}),
  };
}

/** Offers each worker's changes for review when it finishes, one file at a time across all workers. */
export class WorkerReviews {
  private chain: Promise<void> = Promise.resolve();
  private readonly offered = new Set<string>();
  private readonly ctl = new AbortController();

  constructor(private readonly root: string, private readonly pool: WorkerPool, private readonly review: () => DiffReviewPort | undefined, private readonly notice: (level: 'info' | 'warning', message: string) => void) {}

  /** Called on every status: a worker that settled with changes gets them offered once per result. */
  onStatus(s: CoreWorkerStatus): void {
    if (!SETTLED.has(s.state) || !s.files?.length || !s.diffPath) return;
    const key = `${s.workerId}:${JSON.stringify(s.files)}`;
    if (this.offered.has(key)) return;
    this.offered.add(key);
    void this.offer(s.workerId);
  }

  /** Queues the review of every changed file of a worker; returns how many will be offered and what cannot be. */
  async offer(workerId: string): Promise<{ offered: number; problems: string[] }> {
    const s = this.pool.get(workerId);
    const ws = this.pool.workspace(workerId);
    const port = this.review();
    if (!s || !ws) return { offered: 0, problems: [`there is no worker ${workerId} in this session`] };
    if (!port) return { offered: 0, problems: ['no diff review is available in this window'] };
    if (!s.files?.length) return { offered: 0, problems: [] };
    const problems: string[] = [];
    let offered = 0;
    for (const f of s.files) {
      const p = await proposeMerge(this.root, ws, f).catch((e: Error) => ({ kind: 'skip' as const, path: f.path, reason: e.message }));
      if (p.kind === 'skip') { problems.push(`${p.path}: ${p.reason}`); continue; }
      offered++;
      this.chain = this.chain.then(async () => {
        if (this.ctl.signal.aborted) return;
        // Fresh at the moment of review: an earlier review may have changed the file.
        const fresh = await proposeMerge(this.root, ws, f).catch(() => p);
        if (fresh.kind === 'skip') { this.notice('warning', `Worker ${workerId}: ${fresh.path} not offered: ${fresh.reason}.`); return; }
        const r = await port.review(fresh.absPath, fresh.before, fresh.after, this.ctl.signal);
        if (!r) return;
        if (fresh.deletes && r.text === '') rmSync(fresh.absPath, { force: true });
        else { mkdirSync(dirname(fresh.absPath), { recursive: true }); writeFileSync(fresh.absPath, r.text); }
      }).catch((e: Error) => this.notice('warning', `Worker ${workerId}: a review failed: ${e.message}`));
    }
    if (problems.length) this.notice('warning', `Worker ${workerId} (${s.description}): ${problems.join('; ')}. Its whole diff: ${s.diffPath}`);
    return { offered, problems };
  }

  dispose(): void { this.ctl.abort(); }
}

/** Serves `cairn-transcript:` documents: read-only views of transcripts inside the workspace or a worker's folder. */
export class TranscriptProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly allowed: (absPath: string) => boolean) {}
  provideTextDocumentContent(uri: vscode.Uri): string {
    const path = uri.path;
    if (!this.allowed(path)) return 'This transcript is not one of this session\'s subagents or workers.';
    try { return renderTranscript(readFileSync(path, 'utf8')); } catch (e) { return `The transcript could not be read: ${(e as Error).message}`; }
  }
}

/**
 * The finished workers of a reopened session (saved beside their diffs), in the panel's form and checked against
 * the protocol's shape. The transcript link is dropped: its folder may be gone, and a file in the workspace must
 * not make the panel open any path it names.
 */
export function savedWorkers(agentDir: string, sessionId: string): WorkerStatus[] {
  const out: WorkerStatus[] = [];
  for (const s of readSavedStatuses(join(agentDir, 'sessions', sessionId, 'workers'))) {
    const r = WorkerStatusSchema.safeParse(toProtocol(s));
    if (!r.success) continue;
    const { transcript: _dropped, ...rest } = r.data;
    out.push(rest);
  }
  return out;
}
