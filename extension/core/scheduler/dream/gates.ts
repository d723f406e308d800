/**
 * When a dream may start: enabled, enough time since the last one (default 24 h; before the first dream, since
 * the first session), enough sessions since (default 5), the user idle, and the dream lock free. The lock
 * `.agent/state/dream.lock` holds the owner's process id, host and start time; a lock whose process is gone (or
 * older than the stale limit) is taken over, so a killed dream never blocks the next one, and two windows and a
 * daemon never dream at once.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tryLock, writeFileAtomic } from '../../memory/fsx';
import { memoryPaths } from '../../memory/store';

export interface DreamSettings {
  enabled: boolean;
  /** Hours since the last dream (setting cairn.dream.minHours). */
  minHours: number;
  /** Sessions since the last dream (setting cairn.dream.minSessions). */
  minSessions: number;
}

export const DEFAULT_DREAM_SETTINGS: DreamSettings = { enabled: true, minHours: 24, minSessions: 5 };

/** A dream lock older than this is abandoned even if its process id is alive (a dream never runs that long). */
export const DREAM_LOCK_STALE_MS = 3 * 60 * 60 * 1000;

export interface DreamState { lastDreamAt?: number; lastDreamId?: string }

export function dreamStatePath(agentDir: string): string { return join(memoryPaths(agentDir).state, 'dream.json'); }
export function dreamLockPath(agentDir: string): string { return join(memoryPaths(agentDir).state, 'dream.lock'); }

export function readDreamState(agentDir: string): DreamState {
  try { return JSON.parse(readFileSync(dreamStatePath(agentDir), 'utf8')) as DreamState; } catch { return {}; }
}

export function writeDreamState(agentDir: string, s: DreamState): void {
  writeFileAtomic(dreamStatePath(agentDir), JSON.stringify(s));
}

/**
 * When this workspace's first session began (its transcript's meta line; the file's time when the line is torn),
 * or undefined with no sessions. Before the first dream the time gate counts from here, so a new user is not
 * dreamt over in their first hour just because they opened five chats.
 */
export function firstSessionAt(agentDir: string): number | undefined {
  const dir = join(agentDir, 'sessions');
  let files: string[] = [];
  try { files = readdirSync(dir); } catch { return undefined; }
  let first: number | undefined;
  for (const f of files) {
    if (!f.endsWith('.jsonl')) continue;
    const file = join(dir, f);
    let at: number | undefined;
    try {
      const head = readHead(file);
      const meta = JSON.parse(head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : undefined)) as { t?: string; createdAt?: unknown };
      if (meta.t === 'meta' && typeof meta.createdAt === 'number' && Number.isFinite(meta.createdAt)) at = meta.createdAt;
    } catch { /* torn or unreadable: the file's time below */ }
    if (at === undefined) { try { at = statSync(file).mtimeMs; } catch { continue; } }
    if (first === undefined || at < first) first = at;
  }
  return first;
}

/** The first 4 KB of a file (a transcript's meta line is far shorter). */
function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally { closeSync(fd); }
}

/** Sessions whose transcript was written after `since` (ms). */
export function sessionsSince(agentDir: string, since: number): string[] {
  const dir = join(agentDir, 'sessions');
  let files: string[] = [];
  try { files = readdirSync(dir); } catch { return []; }
  const out: string[] = [];
  for (const f of files) {
    if (!f.endsWith('.jsonl')) continue;
    try { if (statSync(join(dir, f)).mtimeMs > since) out.push(f.slice(0, -6)); } catch { /* vanished */ }
  }
  return out.sort();
}

export type GateName = 'disabled' | 'time' | 'sessions' | 'active' | 'locked';
export type GateResult = { open: true; sessions: string[] } | { open: false; gate: GateName; reason: string };

export interface GateInput {
  agentDir: string;
  settings: DreamSettings;
  now: number;
  userIdle: boolean;
  /** "Dream now": the time, session and idle gates do not apply (the setting and the lock still do). */
  force?: boolean;
}

/** The gates except the lock (which is taken, not checked: see takeDreamLock). */
export function checkDreamGates(g: GateInput): GateResult {
  if (!g.settings.enabled) return { open: false, gate: 'disabled', reason: 'dreaming is off (setting cairn.dream.enabled)' };
  const st = readDreamState(g.agentDir);
  const since = st.lastDreamAt ?? 0;
  const sessions = sessionsSince(g.agentDir, since);
  if (g.force) return { open: true, sessions };
  // Before the first dream, the time counts from the first session.
  const from = st.lastDreamAt ?? firstSessionAt(g.agentDir);
  const hours = from === undefined ? Infinity : (g.now - from) / 3_600_000;
  if (hours < g.settings.minHours) {
    const what = st.lastDreamAt !== undefined ? 'the last dream was' : 'no dream yet; the first session began';
    return { open: false, gate: 'time', reason: `${what} ${Math.max(0, hours).toFixed(1)} h ago (at least ${g.settings.minHours} h, setting cairn.dream.minHours)` };
  }
  if (sessions.length < g.settings.minSessions) {
    return { open: false, gate: 'sessions', reason: `${sessions.length} session(s) since the last dream (at least ${g.settings.minSessions}, setting cairn.dream.minSessions)` };
  }
  if (!g.userIdle) return { open: false, gate: 'active', reason: 'the user is active' };
  return { open: true, sessions };
}

/** Take the dream lock, or undefined when another live process holds it. */
export function takeDreamLock(agentDir: string): (() => void) | undefined {
  return tryLock(dreamLockPath(agentDir), { staleMs: DREAM_LOCK_STALE_MS });
}
