/** `cairn --list`: the sessions of a workspace, newest first, as a table with a header line. */
import { join } from 'node:path';
import type { SessionSummary } from '../protocol/model';
import { listSessions } from '../core/session/store';

export const LIST_HEADER = ['ID', 'UPDATED', 'MESSAGES', 'TITLE'];

/** Tab-separated so that scripts can cut columns (skip the first line, the header). */
export function formatSessionList(sessions: SessionSummary[]): string {
  const rows = sessions.map((s) => [s.id, new Date(s.updatedAt).toISOString(), String(s.messageCount), s.title.replace(/[\t\n]+/g, ' ')]);
  return [LIST_HEADER, ...rows].map((r) => `${r.join('\t')}\n`).join('');
}

export function writeSessionList(agentDir: string, root: string): void {
  const sessions = listSessions(agentDir);
  process.stdout.write(formatSessionList(sessions));
  if (!sessions.length) process.stderr.write(`cairn: no sessions yet in ${join(root, '.agent', 'sessions')} (start one with: cairn -p "task")\n`);
}
