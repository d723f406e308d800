/**
 * After a dream: roll back one that failed or was killed, undo one the user does not want (any of the last 30
 * days), and settle the deletions it only proposed. Undo is per file: a file changed again since the dream (by the
 * user or a later dream) is left as it is and reported, so undoing an old dream never throws away newer work.
 */
import { MemoryStore } from '../../memory/store';
import { takeDreamLock } from './gates';
import {
  diffFiles, DREAM_KEEP_MS, listDreams, readFilesSnapshot, readManifest, readMemoryFiles, restoreMemory, writeManifest,
  type DreamManifest,
} from './snapshot';

/** Roll a dream's memory back to its snapshot and mark it. */
export async function rollBack(agentDir: string, m: DreamManifest, note: string, now: number): Promise<void> {
  const before = readFilesSnapshot(agentDir, m.id, 'before');
  // No snapshot: the dream died before it wrote one, and it changes nothing before the snapshot exists.
  if (before) await restoreMemory(agentDir, before);
  writeManifest(agentDir, { ...m, status: 'rolled_back', endedAt: now, note });
}

/**
 * Dreams left 'running' by a process that died (killed, crashed, machine off): their memory goes back to the
 * snapshot. Run at start, before a dream; skipped while another live process holds the dream lock.
 */
export async function recoverDreams(agentDir: string, now: number): Promise<string[]> {
  const running = listDreams(agentDir).filter((m) => m.status === 'running');
  if (!running.length) return [];
  const release = takeDreamLock(agentDir);
  if (!release) return [];
  try {
    for (const m of running) await rollBack(agentDir, m, 'the dream was interrupted (its process stopped); memory was restored to how it was before', now);
    return running.map((m) => m.id);
  } finally { release(); }
}

export interface UndoResult { ok: boolean; restored: string[]; conflicts: string[]; error?: string }

export async function undoDream(agentDir: string, id: string, now: number): Promise<UndoResult> {
  const m = readManifest(agentDir, id);
  if (!m) return { ok: false, restored: [], conflicts: [], error: `There is no dream ${id}.` };
  if (m.status !== 'done') return { ok: false, restored: [], conflicts: [], error: `Dream ${id} cannot be undone: it is ${m.status.replace('_', ' ')}.` };
  if (now - m.startedAt > DREAM_KEEP_MS) return { ok: false, restored: [], conflicts: [], error: `Dream ${id} is older than 30 days; its snapshot is no longer kept.` };
  const before = readFilesSnapshot(agentDir, id, 'before');
  const after = readFilesSnapshot(agentDir, id, 'after');
  if (!before || !after) return { ok: false, restored: [], conflicts: [], error: `Dream ${id}'s snapshot is missing or unreadable; nothing was changed.` };
  const current = readMemoryFiles(agentDir);
  const restored: string[] = [];
  const conflicts: string[] = [];
  for (const d of diffFiles(before, after)) {
    if (current[d.path] === after[d.path]) restored.push(d.path);
    else conflicts.push(d.path);
  }
  await restoreMemory(agentDir, before, restored);
  writeManifest(agentDir, { ...m, status: 'undone', undoneAt: now, ...(conflicts.length ? { note: `kept (changed since the dream): ${conflicts.join(', ')}` } : {}) });
  return { ok: true, restored, conflicts };
}

/** The user accepts or rejects a deletion the dream only proposed (a memory of type user or feedback). */
export async function settleProposal(agentDir: string, id: string, slug: string, accept: boolean): Promise<{ ok: boolean; error?: string }> {
  const m = readManifest(agentDir, id);
  const p = m?.proposals.find((x) => x.slug === slug && x.state === 'proposed');
  if (!m || !p) return { ok: false, error: `There is no open proposal to delete "${slug}" in dream ${id}.` };
  if (accept) {
    const res = await new MemoryStore(agentDir).delete(slug, { actor: 'user' }, `accepted the dream's proposal: ${p.why}`);
    if (!res.ok) return { ok: false, error: res.error };
  }
  writeManifest(agentDir, { ...m, proposals: m.proposals.map((x) => (x === p ? { ...x, state: accept ? 'accepted' : 'rejected' } : x)) });
  return { ok: true };
}
