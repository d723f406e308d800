/**
 * When a dream may start: enabled, enough time since the last one (default 24 h), enough sessions since
 * (default 5), the user idle, and the dream lock free. The lock `.agent/state/dream.lock` holds the owner's
 * process id, host and start time; a lock whose process is gone (or older than the stale limit) is taken over,
 * so a killed dream never blocks the next one, and two windows and a daemon never dream at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
  const hours = (g.now - since) / 3_600_000;
  if (st.lastDreamAt !== undefined && hours < g.settings.minHours) {
    return { open: false, gate: 'time', reason: `the last dream was ${hours.toFixed(1)} h ago (at least ${g.settings.minHours} h, setting cairn.dream.minHours)` };
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
