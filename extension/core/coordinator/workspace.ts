/**
 * A worker's own copy of the workspace, so two workers never edit the same file at once: a git worktree of HEAD
 * (detached, in a temporary folder) when the workspace is in a git repository with a commit that has the
 * workspace's folder, else (no repository, no commit, or an untracked/ignored folder of a repository) a copy of the
 * folder with a baseline commit of its own. Either way the worker's result is `git diff` of its folder against
 * that base: a unified diff the user reviews and merges. `.agent/` (the worker's own sessions) is never part of it.
 * Repository hooks never run here (core.hooksPath is emptied for every git call).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export interface WorkerWorkspace {
  /** 'worktree': a git worktree of HEAD; 'copy': a copy of a folder that is not a repository (or has no commit). */
  kind: 'worktree' | 'copy';
  /** The folder the worker works in (the workspace's counterpart inside the worktree). */
  dir: string;
  /** The worktree's top folder (removed with it). */
  top: string;
  /** The commit the worker started from. */
  base: string;
}

export interface FileChange {
  /** Relative to the workspace, with '/'. */
  path: string;
  status: 'added' | 'modified' | 'deleted';
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface WorkerDiff {
  /** Unified diff (git format, binary patches included) against the base. */
  diff: string;
  files: FileChange[];
}

/** Folders a copy leaves out: the repository, Cairn's own folder, installed packages. */
const COPY_SKIP = new Set(['.git', '.agent', 'node_modules']);
const MAX_COPY_FILES = 20_000;
const EXCLUDE_AGENT = ':(exclude).agent';

export interface GitResult { code: number; stdout: string; stderr: string }

/** Runs git with hooks off, no prompts, no pager, and without inheriting a GIT_DIR from the environment. */
export function git(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<GitResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) delete env[k];
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.quotepath=false', ...args], { cwd, env, maxBuffer, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === 127 ? err.message : '')) });
    });
  });
}

async function must(cwd: string, args: string[], what: string): Promise<string> {
  const r = await git(cwd, args);
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ') || `git exited with ${r.code}`}`);
  return r.stdout;
}

/** Makes the isolated folder for worker `id` of the workspace `root`. */
export async function createWorkerWorkspace(root: string, id: string): Promise<WorkerWorkspace> {
  const top = mkdtempSync(join(tmpdir(), `cairn-worker-${id}-`));
  try {
    const repoTop = await git(root, ['rev-parse', '--show-toplevel']);
    const head = repoTop.code === 0 ? await git(root, ['rev-parse', '--verify', '-q', 'HEAD']) : undefined;
    // A workspace inside a repository but not in its last commit (an untracked or ignored folder) would be missing
    // from a worktree of HEAD: it gets a copy, like a folder outside any repository.
    const prefix = head?.code === 0 ? await git(root, ['rev-parse', '--show-prefix']) : undefined;
    const inHead = prefix?.code === 0 && (!prefix.stdout.trim() || (await git(root, ['cat-file', '-e', `${head!.stdout.trim()}:${prefix.stdout.trim().replace(/\/$/, '')}`])).code === 0);
    if (repoTop.code === 0 && head?.code === 0 && inHead) {
      const base = head.stdout.trim();
      // `git worktree add` wants a folder that does not exist yet.
      rmSync(top, { recursive: true, force: true });
      await must(root, ['worktree', 'add', '--detach', '--quiet', top, base], 'git worktree add');
      const rel = relative(repoTop.stdout.trim(), root);
      return { kind: 'worktree', dir: rel && !rel.startsWith('..') ? join(top, rel) : top, top, base };
    }
    let files = 0;
    cpSync(root, top, {
      recursive: true, force: true, verbatimSymlinks: true,
      filter: (src) => {
        const rel = relative(root, src);
        if (rel && COPY_SKIP.has(rel.split(sep)[0]!)) return false;
        if (++files > MAX_COPY_FILES) throw new Error(`the workspace has more than ${MAX_COPY_FILES} files to copy for a worker; make it a git repository with a commit (workers then use a git worktree)`);
        return true;
      },
    });
    await must(top, ['init', '--quiet'], 'git init');
    await must(top, ['add', '-A'], 'git add');
    await must(top, ['-c', 'user.name=Cairn', '-c', 'user.email=cairn@localhost', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '--allow-empty', '-m', 'base'], 'git commit');
    const base = (await must(top, ['rev-parse', 'HEAD'], 'git rev-parse')).trim();
    return { kind: 'copy', dir: top, top, base };
  } catch (e) {
    rmSync(top, { recursive: true, force: true });
    const msg = (e as Error).message;
    throw new Error(/ENOENT|spawn git/.test(msg) ? 'workers need git on the PATH (for their worktrees and diffs); install git' : msg);
  }
}

/** Everything the worker changed in its folder, against its base (new files included, `.agent/` left out). */
export async function workerDiff(ws: WorkerWorkspace): Promise<WorkerDiff> {
  await must(ws.dir, ['add', '-A', '--', '.', EXCLUDE_AGENT], 'git add');
  const spec = ['--', '.', EXCLUDE_AGENT];
  const diff = await must(ws.dir, ['diff', '--cached', '--binary', '--no-color', '--no-ext-diff', '--no-renames', '--relative', ws.base, ...spec], 'git diff');
  const status = await must(ws.dir, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--relative', ws.base, ...spec], 'git diff');
  const numstat = await must(ws.dir, ['diff', '--cached', '--numstat', '-z', '--no-renames', '--relative', ws.base, ...spec], 'git diff');
  const counts = new Map<string, { a: number; d: number; binary: boolean }>();
  for (const rec of numstat.split('\0')) {
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(rec);
    if (m) counts.set(m[3]!, { a: m[1] === '-' ? 0 : Number(m[1]), d: m[2] === '-' ? 0 : Number(m[2]), binary: m[1] === '-' });
  }
  const parts = status.split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i]!;
    const path = parts[i + 1]!;
    const c = counts.get(path) ?? { a: 0, d: 0, binary: false };
    files.push({ path, status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified', additions: c.a, deletions: c.d, binary: c.binary });
  }
  return { diff, files };
}

/** The base's and the worker's text of one changed file (undefined where the file does not exist). */
export async function workerFileVersions(ws: WorkerWorkspace, path: string): Promise<{ before: string | undefined; after: string | undefined }> {
  const relTop = relative(ws.top, ws.dir).split(sep).join('/');
  const inRepo = relTop ? `${relTop}/${path}` : path;
  const b = await git(ws.dir, ['show', `${ws.base}:${inRepo}`]);
  const abs = join(ws.dir, path);
  return { before: b.code === 0 ? b.stdout : undefined, after: existsSync(abs) ? readFileSync(abs, 'utf8') : undefined };
}

/** Removes a worker's folder (and its worktree registration). */
export async function removeWorkerWorkspace(root: string, ws: WorkerWorkspace): Promise<void> {
  if (ws.kind === 'worktree') {
    const r = await git(root, ['worktree', 'remove', '--force', ws.top]);
    if (r.code === 0) return;
  }
  rmSync(ws.top, { recursive: true, force: true });
  if (ws.kind === 'worktree') await git(root, ['worktree', 'prune']);
}
