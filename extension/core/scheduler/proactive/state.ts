/**
 * What proactive mode keeps on disk: `.agent/state/proactive.json` (the day's spend, sleep, the last tick's
 * fingerprint), the notices feed `.agent/state/notices.jsonl` (one whole line per notice), and the daily log
 * `.agent/logs/YYYY/MM/DD.md` (UTC dates; one whole appended line per tick).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine, writeFileAtomic } from '../../memory/fsx';

export interface ProactiveState {
  /** UTC day (YYYY-MM-DD) the spend counts for. */
  day?: string;
  spentUsd?: number;
  /** No request before this time (the model asked to sleep, or the budget is spent). */
  sleepUntil?: number;
  sleepReason?: string;
  /** Fingerprint of the workspace state the last request saw. */
  lastFingerprint?: string;
}

export type Urgency = 'low' | 'normal' | 'urgent';

export interface Notice {
  id: string;
  ts: number;
  title: string;
  whyNow: string;
  lookedAt: string[];
  urgency: Urgency;
  suggestedFix?: string;
  /** Equal for notices that say the same thing (duplicates are suppressed). */
  key: string;
}

export const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
export const nextUtcDay = (t: number): number => Date.parse(`${utcDay(t)}T00:00:00.000Z`) + 86_400_000;

const statePath = (agentDir: string) => join(agentDir, 'state', 'proactive.json');
export const noticesPath = (agentDir: string) => join(agentDir, 'state', 'notices.jsonl');
export function dailyLogPath(agentDir: string, t: number): string {
  const [y, m, d] = utcDay(t).split('-');
  return join(agentDir, 'logs', y!, m!, `${d}.md`);
}

export function readProactiveState(agentDir: string): ProactiveState {
  try { return JSON.parse(readFileSync(statePath(agentDir), 'utf8')) as ProactiveState; } catch { return {}; }
}
export function writeProactiveState(agentDir: string, s: ProactiveState): void { writeFileAtomic(statePath(agentDir), JSON.stringify(s)); }

export function noticeKey(title: string, fix?: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/\d+(\.\d+)?/g, '#').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${norm(title)}\n${norm(fix ?? '')}`).digest('hex').slice(0, 16);
}

export function readNotices(agentDir: string): Notice[] {
  let text = '';
  try { text = readFileSync(noticesPath(agentDir), 'utf8'); } catch { return []; }
  const out: Notice[] = [];
  for (const l of text.split('\n')) { if (l.trim()) { try { out.push(JSON.parse(l) as Notice); } catch { /* torn line */ } } }
  return out;
}

export function appendNotice(agentDir: string, n: Notice): void { appendLine(noticesPath(agentDir), JSON.stringify(n)); }

/** One whole line in today's log; newlines in the parts are flattened so a line is always one entry. */
export function appendDailyLog(agentDir: string, t: number, parts: { tick: string; lookedAt: string; decision: string; costUsd: number }): void {
  const flat = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();
  appendLine(dailyLogPath(agentDir, t), `- ${new Date(t).toISOString().slice(11, 19)}Z ${flat(parts.tick)} | looked at: ${flat(parts.lookedAt) || 'nothing'} | decision: ${flat(parts.decision)} | cost: $${parts.costUsd.toFixed(4)}`);
}
