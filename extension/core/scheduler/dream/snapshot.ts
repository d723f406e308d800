/**
 * A dream's record under `.agent/state/dream/<id>/`: `before.json` (every memory file as it was, written before the
 * dream changes anything), `changes.jsonl` (one whole line per change, with why), `after.json` and `manifest.json`
 * (status, times, cost, proposals). Memory files are MEMORY.md and memory/*.md, nothing else. A restore writes
 * them back under the memory store's cross-process lock, so a window's write never interleaves with it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine, withFileLock, writeFileAtomic } from '../../memory/fsx';
import { memoryPaths } from '../../memory/store';
import { SLUG_RE } from '../../memory/format';

/** Memory files by path relative to .agent ('MEMORY.md', 'memory/<slug>.md'). */
export type MemoryFiles = Record<string, string>;

export type DreamStatus = 'running' | 'done' | 'failed' | 'rolled_back' | 'undone';

/** `hold`: a new memory the dream wrote after reading untrusted content, held for the user's review (not written). */
export interface DreamChange { ts: number; op: 'write' | 'update' | 'delete' | 'propose_delete' | 'hold'; slug: string; why: string }

export interface DreamProposal { slug: string; why: string; state: 'proposed' | 'accepted' | 'rejected' }

export interface DreamManifest {
  id: string;
  startedAt: number;
  endedAt?: number;
  status: DreamStatus;
  /** Why it failed, was rolled back or skipped a change. */
  note?: string;
  costUsd?: number;
  requests?: number;
  proposals: DreamProposal[];
  undoneAt?: number;
}

export interface FileDiff { path: string; status: 'added' | 'removed' | 'changed'; before?: string; after?: string }

export const DREAM_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export function dreamsDir(agentDir: string): string { return join(memoryPaths(agentDir).state, 'dream'); }

export function dreamDir(agentDir: string, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new Error(`"${id.slice(0, 80)}" is not a dream id.`);
  return join(dreamsDir(agentDir), id);
}

/** Every memory file now. */
export function readMemoryFiles(agentDir: string): MemoryFiles {
  const p = memoryPaths(agentDir);
  const out: MemoryFiles = {};
  if (existsSync(p.index)) out['MEMORY.md'] = readFileSync(p.index, 'utf8');
  let names: string[] = [];
  try { names = readdirSync(p.topics); } catch { /* no topics */ }
  for (const f of names.sort()) {
    if (!f.endsWith('.md') || !SLUG_RE.test(f.slice(0, -3))) continue;
    try { out[`memory/${f}`] = readFileSync(join(p.topics, f), 'utf8'); } catch { /* vanished */ }
  }
  return out;
}

function writeJson(path: string, v: unknown): void { writeFileAtomic(path, JSON.stringify(v, null, 1)); }
function readJson<T>(path: string): T | undefined {
  try { return JSON.parse(readFileSync(path, 'utf8')) as T; } catch { return undefined; }
}

export function readFilesSnapshot(agentDir: string, id: string, which: 'before' | 'after'): MemoryFiles | undefined {
  return readJson<{ files: MemoryFiles }>(join(dreamDir(agentDir, id), `${which}.json`))?.files;
}

export function writeFilesSnapshot(agentDir: string, id: string, which: 'before' | 'after', files: MemoryFiles): void {
  writeJson(join(dreamDir(agentDir, id), `${which}.json`), { files });
}

export function readManifest(agentDir: string, id: string): DreamManifest | undefined {
  return readJson<DreamManifest>(join(dreamDir(agentDir, id), 'manifest.json'));
}

export function writeManifest(agentDir: string, m: DreamManifest): void {
  mkdirSync(dreamDir(agentDir, m.id), { recursive: true });
  writeJson(join(dreamDir(agentDir, m.id), 'manifest.json'), m);
}

export function recordChange(agentDir: string, id: string, c: DreamChange): void {
  appendLine(join(dreamDir(agentDir, id), 'changes.jsonl'), JSON.stringify(c));
}

export function readChanges(agentDir: string, id: string): DreamChange[] {
  let text = '';
  try { text = readFileSync(join(dreamDir(agentDir, id), 'changes.jsonl'), 'utf8'); } catch { return []; }
  const out: DreamChange[] = [];
  for (const l of text.split('\n')) { if (l.trim()) { try { out.push(JSON.parse(l) as DreamChange); } catch { /* torn line */ } } }
  return out;
}

/** Every recorded dream, newest first. */
export function listDreams(agentDir: string): DreamManifest[] {
  let ids: string[] = [];
  try { ids = readdirSync(dreamsDir(agentDir)); } catch { return []; }
  const out: DreamManifest[] = [];
  for (const id of ids) { try { const m = readManifest(agentDir, id); if (m) out.push(m); } catch { /* not a dream folder */ } }
  return out.sort((a, b) => b.startedAt - a.startedAt);
}

function absOf(agentDir: string, rel: string): string {
  if (rel !== 'MEMORY.md' && !/^memory\/[a-z0-9][a-z0-9-]{0,39}\.md$/.test(rel)) throw new Error(`${rel} is not a memory file`);
  return join(agentDir, rel);
}

/** Put `paths` (or every memory file) back to `files` (a path missing from it is removed). Caller holds the memory lock. */
function applyFiles(agentDir: string, files: MemoryFiles, paths?: string[]): void {
  const current = readMemoryFiles(agentDir);
  const all = paths ?? [...new Set([...Object.keys(current), ...Object.keys(files)])];
  // Topics first, the index last (its pointers never point at a missing topic for longer than needed).
  for (const rel of all.sort((a, b) => (a === 'MEMORY.md' ? 1 : b === 'MEMORY.md' ? -1 : a.localeCompare(b)))) {
    const want = files[rel];
    if (want === undefined) { if (current[rel] !== undefined) { try { unlinkSync(absOf(agentDir, rel)); } catch { /* gone */ } } }
    else if (current[rel] !== want) writeFileAtomic(absOf(agentDir, rel), want);
  }
}

/** Restore every memory file to `files`, under the memory lock (idempotent: a restore killed half-way is simply run again). */
export async function restoreMemory(agentDir: string, files: MemoryFiles, paths?: string[]): Promise<void> {
  await withFileLock(memoryPaths(agentDir).lock, () => applyFiles(agentDir, files, paths));
}

export function diffFiles(before: MemoryFiles, after: MemoryFiles): FileDiff[] {
  const out: FileDiff[] = [];
  for (const path of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = before[path];
    const a = after[path];
    if (b === a) continue;
    out.push(b === undefined ? { path, status: 'added', after: a } : a === undefined ? { path, status: 'removed', before: b } : { path, status: 'changed', before: b, after: a });
  }
  return out;
}

/** Remove the records of finished dreams older than the undo window. */
export function pruneDreams(agentDir: string, now: number): string[] {
  const removed: string[] = [];
  for (const m of listDreams(agentDir)) {
    if (m.status === 'running' || now - m.startedAt <= DREAM_KEEP_MS) continue;
    try { rmSync(dreamDir(agentDir, m.id), { recursive: true, force: true }); removed.push(m.id); } catch { /* kept */ }
  }
  return removed;
}
