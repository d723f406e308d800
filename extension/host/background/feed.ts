/**
 * What the panel shows of the background, built from what core keeps on disk (no `vscode`, unit-tested directly):
 * the notices feed (newest first, one per key, without the ones the user dismissed) and a dream's record as the
 * memory view shows it (what changed, why, the diff, proposals).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/memory/fsx';
import { readNotices, type Notice } from '../../core/scheduler/proactive/state';
import { diffFiles, listDreams, readChanges, readFilesSnapshot, readManifest, type DreamManifest } from '../../core/scheduler/dream/snapshot';
import type { BackgroundNotice, DreamInfo } from '../../protocol/background';

export const FEED_MAX = 50;
const DISMISSED_MAX = 500;
/** One side of a file's diff in the panel (memory files are small; this only bounds a message). */
const SIDE_MAX = 40_000;

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function noticeInfo(n: Notice): BackgroundNotice {
  return {
    id: cap(n.id, 100), ts: n.ts, title: cap(n.title, 200), whyNow: cap(n.whyNow, 1_000),
    lookedAt: n.lookedAt.slice(0, 30).map((l) => cap(l, 300)), urgency: n.urgency, hasFix: Boolean(n.suggestedFix?.trim()), key: cap(n.key, 64),
  };
}

const dismissedPath = (agentDir: string) => join(agentDir, 'state', 'notices-dismissed.json');

export function readDismissed(agentDir: string): Set<string> {
  try {
    const v = JSON.parse(readFileSync(dismissedPath(agentDir), 'utf8')) as unknown;
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch { return new Set(); }
}

export function dismissNotice(agentDir: string, id: string): boolean {
  if (!readNotices(agentDir).some((n) => n.id === id)) return false;
  const ids = [...readDismissed(agentDir), id];
  writeFileAtomic(dismissedPath(agentDir), JSON.stringify([...new Set(ids)].slice(-DISMISSED_MAX)));
  return true;
}

/** The feed: newest first; of notices that say the same thing (equal key) only the newest; dismissed ones left out. */
export function noticeFeed(agentDir: string): BackgroundNotice[] {
  const dismissed = readDismissed(agentDir);
  const seen = new Set<string>();
  const out: BackgroundNotice[] = [];
  for (const n of [...readNotices(agentDir)].sort((a, b) => b.ts - a.ts)) {
    if (seen.has(n.key)) continue;
    seen.add(n.key);
    if (dismissed.has(n.id)) continue;
    out.push(noticeInfo(n));
    if (out.length >= FEED_MAX) break;
  }
  return out;
}

/** A dream as the memory view shows it. */
export function dreamInfo(agentDir: string, m: DreamManifest): DreamInfo {
  const before = readFilesSnapshot(agentDir, m.id, 'before');
  const after = readFilesSnapshot(agentDir, m.id, 'after');
  const diff = before && after ? diffFiles(before, after).slice(0, 200).map((d) => ({
    path: d.path, status: d.status,
    ...(d.before !== undefined ? { before: cap(d.before, SIDE_MAX) } : {}),
    ...(d.after !== undefined ? { after: cap(d.after, SIDE_MAX) } : {}),
  })) : [];
  return {
    id: m.id, startedAt: m.startedAt, ...(m.endedAt !== undefined ? { endedAt: m.endedAt } : {}), status: m.status,
    ...(m.note ? { note: cap(m.note, 1_000) } : {}), ...(m.costUsd !== undefined ? { costUsd: m.costUsd } : {}),
    changes: readChanges(agentDir, m.id).slice(-300).map((c) => ({ ts: c.ts, op: c.op, slug: cap(c.slug, 60), why: cap(c.why, 600) })),
    proposals: m.proposals.map((p) => ({ slug: p.slug, why: cap(p.why, 600), state: p.state })),
    diff,
  };
}

/** The newest dream that ended (done, undone or rolled back), or null. */
export function lastDreamInfo(agentDir: string): DreamInfo | null {
  const m = listDreams(agentDir).find((x) => x.status !== 'running');
  return m ? dreamInfo(agentDir, m) : null;
}

export function dreamInfoById(agentDir: string, id: string): DreamInfo | null {
  const m = readManifest(agentDir, id);
  return m ? dreamInfo(agentDir, m) : null;
}
