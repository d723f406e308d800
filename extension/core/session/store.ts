/** The `.agent/` folder's session side: where transcripts live, and the list of past sessions. */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '../../protocol/model';
import { readTranscript } from './transcript';
import { SYNTHETIC_PREFIX } from './view';

export const AGENT_GITIGNORE = [
  '# Cairn: sessions, state and personal settings stay out of git;',
  '# MEMORY.md, memory/, plans/ and settings.json can be committed and shared.',
  'sessions/',
  'state/',
  'logs/',
  'settings.local.json',
  '',
].join('\n');

export function ensureAgentDir(agentDir: string): void {
  mkdirSync(join(agentDir, 'sessions'), { recursive: true });
  const gi = join(agentDir, '.gitignore');
  if (!existsSync(gi)) writeFileSync(gi, AGENT_GITIGNORE, { flag: 'wx' });
}

export function transcriptPath(agentDir: string, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new Error(`invalid session id "${id.slice(0, 40)}"`);
  return join(agentDir, 'sessions', `${id}.jsonl`);
}

export function sessionDir(agentDir: string, id: string): string {
  return join(agentDir, 'sessions', id);
}

/** How much of each conversation the session list carries for history search. */
export const EXCERPT_CHARS = 4_000;

export function listSessions(agentDir: string): SessionSummary[] {
  const dir = join(agentDir, 'sessions');
  if (!existsSync(dir)) return [];
  const out: SessionSummary[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.jsonl')) continue;
    const id = f.slice(0, -'.jsonl'.length);
    const path = join(dir, f);
    try {
      const { entries } = readTranscript(path);
      let title = 'Untitled session';
      let messageCount = 0;
      let answered = false;
      let lastStop: string | undefined;
      let excerpt = '';
      for (const e of entries) {
        if (e.t === 'title') title = e.title;
        else if (e.t === 'msg') {
          messageCount++;
          if (e.role === 'assistant') answered = true;
          const words = e.content.flatMap((b) => (b.type === 'text' && !b.text.startsWith(SYNTHETIC_PREFIX) ? [b.text] : []));
          if (excerpt.length < EXCERPT_CHARS) excerpt = `${excerpt}${excerpt ? '\n' : ''}${words.join('\n')}`.slice(0, EXCERPT_CHARS);
        }
        else if (e.t === 'partial') answered = true;
        else if (e.t === 'turn_end') lastStop = e.stop;
      }
      // A run that failed before anything was answered (no key, nothing listening, a wrong base URL)
      // holds only the request that failed: not a session worth listing.
      if (!answered && lastStop === 'error') continue;
      out.push({ id, title, updatedAt: statSync(path).mtimeMs, messageCount, ...(excerpt ? { excerpt } : {}) });
    } catch { /* unreadable file: not listed */ }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}
