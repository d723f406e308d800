// Where a worker works: a worktree of HEAD when the workspace's folder is in the last commit, else a copy. A
// workspace that is an untracked or ignored folder of a repository (a scratch folder, a generated sample) is not
// in a worktree of HEAD: it must be copied, or the worker's folder would not exist and its process could not start.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerWorkspace, removeWorkerWorkspace, workerDiff, type WorkerWorkspace } from '../../../extension/core/coordinator/workspace';
import { gitIn, makeRepo, writeFiles } from './helpers';

let repo: string;
const made: WorkerWorkspace[] = [];
afterEach(async () => {
  for (const ws of made.splice(0)) await removeWorkerWorkspace(repo, ws);
  rmSync(repo, { recursive: true, force: true });
});

describe('createWorkerWorkspace', () => {
  it('a tracked subfolder of a repository gets a worktree of HEAD, at the same place inside it', async () => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-ws-')));
    makeRepo(repo, { 'app/a.txt': 'alpha\n', 'top.txt': 'top\n' });
    const ws = await createWorkerWorkspace(join(repo, 'app'), 'w1');
    made.push(ws);
    expect(ws.kind).toBe('worktree');
    expect(readFileSync(join(ws.dir, 'a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('an ignored folder of a repository (not in HEAD) is copied, with its files, and its diff works', async () => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-ws-')));
    makeRepo(repo, { '.gitignore': 'scratch/\n', 'top.txt': 'top\n' });
    writeFiles(repo, { 'scratch/ws/notes.md': 'notes\n' });
    const root = join(repo, 'scratch', 'ws');
    const ws = await createWorkerWorkspace(root, 'w2');
    made.push(ws);
    expect(ws.kind).toBe('copy');
    expect(existsSync(ws.dir)).toBe(true);
    expect(readFileSync(join(ws.dir, 'notes.md'), 'utf8')).toBe('notes\n');
    writeFiles(ws.dir, { 'new.md': 'new\n' });
    const d = await workerDiff(ws);
    expect(d.files).toEqual([{ path: 'new.md', status: 'added', additions: 1, deletions: 0, binary: false }]);
    expect(gitIn(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('an untracked folder (not ignored) is copied too', async () => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-ws-')));
    makeRepo(repo, { 'top.txt': 'top\n' });
    writeFiles(repo, { 'fresh/b.txt': 'beta\n' });
    const ws = await createWorkerWorkspace(join(repo, 'fresh'), 'w3');
    made.push(ws);
    expect(ws.kind).toBe('copy');
    expect(readFileSync(join(ws.dir, 'b.txt'), 'utf8')).toBe('beta\n');
  });
});
