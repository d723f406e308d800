/**
 * The workspace state a tick starts from: diagnostics (from the editor, when there is one), git status and a
 * fingerprint of the working tree's changes, and recent errors the host saw (failed tasks, crashed terminals).
 * Its fingerprint decides whether a tick asks the model at all: nothing changed since the last request, no request.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { DiagnosticsPort } from '../../ports';

export interface WorkspaceSnapshot {
  diagnostics: string[];
  gitStatus: string;
  /** A hash of the working tree's diff against HEAD (edits to already-modified files change it). */
  gitDiffHash: string;
  recentErrors: string[];
}

export interface WorkspaceProbe { snapshot(): Promise<WorkspaceSnapshot> }

function git(root: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, timeout: 10_000, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (err, stdout) => {
      resolve(err ? `(git ${args[0]} failed: ${(err as Error).message.split('\n')[0]})` : stdout);
    });
  });
}

export interface ProbeOptions { diagnostics?: DiagnosticsPort; recentErrors?(): string[] }

/** The probe over the real workspace: git (read-only commands, no optional locks) and the host's ports. */
export function createWorkspaceProbe(root: string, o: ProbeOptions = {}): WorkspaceProbe {
  return {
    async snapshot() {
      const [status, diff] = await Promise.all([git(root, ['status', '--porcelain=v1']), git(root, ['diff', '--no-ext-diff', 'HEAD'])]);
      const diagnostics = (o.diagnostics?.get() ?? [])
        .filter((d) => d.severity === 'error' || d.severity === 'warning')
        .slice(0, 50)
        .map((d) => `${relative(root, d.absPath)}:${d.line}:${d.col} ${d.severity} ${d.message.split('\n')[0]}${d.source ? ` (${d.source})` : ''}`);
      return { diagnostics, gitStatus: status.trim(), gitDiffHash: createHash('sha256').update(diff).digest('hex').slice(0, 16), recentErrors: (o.recentErrors?.() ?? []).slice(-10) };
    },
  };
}

export function fingerprint(s: WorkspaceSnapshot): string {
  return createHash('sha256').update(JSON.stringify([s.diagnostics, s.gitStatus, s.gitDiffHash, s.recentErrors])).digest('hex').slice(0, 16);
}

/** What the tick's request says of the state (bounded). */
export function describeSnapshot(s: WorkspaceSnapshot): string {
  const cap = (t: string, n: number) => (t.length > n ? `${t.slice(0, n)}\n... (${t.length - n} more characters)` : t);
  return [
    `Diagnostics (errors and warnings, ${s.diagnostics.length}):`, ...(s.diagnostics.length ? s.diagnostics : ['(none)']),
    'Git status:', cap(s.gitStatus || '(clean)', 3_000),
    `Recent errors (${s.recentErrors.length}):`, ...(s.recentErrors.length ? s.recentErrors.map((e) => cap(e, 500)) : ['(none)']),
  ].join('\n');
}

export function lookedAt(s: WorkspaceSnapshot): string {
  const changed = s.gitStatus ? s.gitStatus.split('\n').length : 0;
  return `diagnostics (${s.diagnostics.length}), git status (${changed} changed), recent errors (${s.recentErrors.length})`;
}
