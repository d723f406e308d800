/**
 * `.agent/.gitignore`: sessions, state (locks, held writes, the memory log), logs and personal settings stay
 * out of git; MEMORY.md, memory/, plans/ and settings.json can be committed. The text is the session store's
 * (one source of truth); an older file missing a required entry gets the entry appended, nothing removed.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_GITIGNORE } from '../session/store';

export const REQUIRED_IGNORES = ['sessions/', 'state/', 'logs/', 'settings.local.json'];

export function ensureMemoryGitignore(agentDir: string): void {
  mkdirSync(agentDir, { recursive: true });
  const path = join(agentDir, '.gitignore');
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch {
    try { writeFileSync(path, AGENT_GITIGNORE, { flag: 'wx' }); } catch { /* another writer made it */ }
    return;
  }
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = REQUIRED_IGNORES.filter((l) => !have.has(l) && !have.has(`/${l}`));
  if (missing.length) appendFileSync(path, `${text.endsWith('\n') || !text ? '' : '\n'}${missing.join('\n')}\n`);
}
