/**
 * Bringing a worker's change to one file into the workspace as it is now: the worker's edit (its base → its
 * version) applied to the workspace's current text. When the workspace still has the base text that is simply the
 * worker's version; when it changed meanwhile the worker's hunks are applied on top, and a hunk that no longer fits
 * is a conflict (nothing is written; the worker's diff stays for the user to apply by hand).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, structuredPatch } from 'diff';
import { workerFileVersions, type FileChange, type WorkerWorkspace } from './workspace';

export type MergeProposal =
  | { kind: 'change'; path: string; absPath: string; before: string; after: string; deletes: boolean }
  | { kind: 'skip'; path: string; reason: string };

/** What reviewing `file` of the worker would propose for the workspace at `root`. */
export async function proposeMerge(root: string, ws: WorkerWorkspace, file: FileChange): Promise<MergeProposal> {
  if (file.binary) return { kind: 'skip', path: file.path, reason: 'a binary file: apply the worker\'s diff with git apply' };
  const absPath = join(root, file.path);
  const current = existsSync(absPath) ? readFileSync(absPath, 'utf8') : undefined;
  const { before: base, after: mine } = await workerFileVersions(ws, file.path);
  if (current === (mine ?? undefined)) return { kind: 'skip', path: file.path, reason: 'the workspace already has this change' };
  if (file.status === 'added' && current === undefined) return { kind: 'change', path: file.path, absPath, before: '', after: mine ?? '', deletes: false };
  if (file.status === 'deleted') {
    if (current === undefined) return { kind: 'skip', path: file.path, reason: 'already deleted in the workspace' };
    if (current !== base) return { kind: 'skip', path: file.path, reason: 'the worker deleted it, but it changed in the workspace since: decide by hand' };
    return { kind: 'change', path: file.path, absPath, before: current, after: '', deletes: true };
  }
  if (current === base) return { kind: 'change', path: file.path, absPath, before: current ?? '', after: mine ?? '', deletes: false };
  // The workspace moved on: the worker's hunks on top of what is there now.
  const patch = structuredPatch(file.path, file.path, base ?? '', mine ?? '', '', '', { context: 3 });
  const merged = applyPatch(current ?? '', patch);
  if (merged === false) return { kind: 'skip', path: file.path, reason: 'it changed in the workspace since the worker started and the worker\'s change no longer fits: apply its diff by hand' };
  return { kind: 'change', path: file.path, absPath, before: current ?? '', after: merged, deletes: false };
}
