/**
 * Session notes: `.agent/sessions/<id>/notes.md`, a running record of the session (current task, decisions, files,
 * errors and fixes, next step) kept up to date by a side request each time the context has grown by a set amount.
 * Autocompact uses them first (no model call at that moment); a resumed or new session can read them.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../util/redact';

export interface SessionNotes {
  /** The last history item the notes cover. */
  covers: string;
  /** Tokens in context when they were written. */
  tokens: number;
  updated: number;
  text: string;
}

export const notesPath = (sessionDir: string) => join(sessionDir, 'notes.md');

export function readNotes(file: string): SessionNotes | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const raw = readFileSync(file, 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(raw);
    if (!m) return undefined;
    const meta = Object.fromEntries(m[1]!.split('\n').map((l) => { const i = l.indexOf(':'); return [l.slice(0, i).trim(), l.slice(i + 1).trim()]; }));
    if (!meta.covers) return undefined;
    return { covers: meta.covers, tokens: Number(meta.tokens) || 0, updated: Date.parse(meta.updated ?? '') || 0, text: m[2]!.trim() };
  } catch {
    return undefined;
  }
}

/** Written atomically (temp file + rename); secrets are redacted. */
export function writeNotes(file: string, n: SessionNotes): void {
  mkdirSync(dirname(file), { recursive: true });
  const body = `---\ncovers: ${n.covers}\ntokens: ${n.tokens}\nupdated: ${new Date(n.updated).toISOString()}\n---\n${redact(n.text.trim())}\n`;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, file);
}
