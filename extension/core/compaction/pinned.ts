/**
 * What is never lost to a compaction. Rules files and the memory index travel in the prelude, which always heads
 * the first message; the current plan, the task list and the files read most recently (fresh from disk, bounded)
 * are re-attached here after every compaction.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { TranscriptEntry } from '../session/entries';
import type { LedgerTools } from './ledger';

export interface PinnedSources {
  entries: readonly TranscriptEntry[];
  tools: LedgerTools & { path(name: string, input: unknown): string | undefined };
  workspaceRoot: string;
  /** The approved plan being executed, when there is one. */
  plan?(): string | undefined;
}

const MAX_FILES = 5;
const MAX_FILE_CHARS = 12_000;
const MAX_TOTAL_CHARS = 40_000;

/** The task list: the last todo call that succeeded. */
export function currentTodos(entries: readonly TranscriptEntry[]): Array<{ content: string; status: string }> | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.t === 'tool_result' && e.status === 'done' && Array.isArray(e.display?.todos)) return e.display.todos as Array<{ content: string; status: string }>;
  }
  return undefined;
}

/** Workspace files the session read successfully, most recent first, distinct. */
export function recentReads(s: PinnedSources): string[] {
  const calls = new Map<string, { name: string; input: unknown }>();
  const done = new Set<string>();
  for (const e of s.entries) {
    if (e.t === 'msg' && e.role === 'assistant') for (const b of e.content) if (b.type === 'tool_use') calls.set(b.id, { name: b.name, input: b.input });
    if (e.t === 'tool_result' && e.status === 'done') done.add(e.toolUseId);
  }
  const out: string[] = [];
  for (const [id, c] of [...calls].reverse()) {
    if (!done.has(id) || c.name !== 'read_file') continue;
    const p = s.tools.path(c.name, c.input);
    if (!p) continue;
    const abs = isAbsolute(p) ? p : resolve(s.workspaceRoot, p);
    const rel = relative(s.workspaceRoot, abs);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.startsWith('.agent')) continue;
    if (!out.includes(rel)) out.push(rel);
    if (out.length >= MAX_FILES) break;
  }
  return out;
}

export function pinnedText(s: PinnedSources): string {
  const parts: string[] = [];
  const plan = s.plan?.();
  if (plan) parts.push('<plan status="approved, being executed">', plan, '</plan>');
  const todos = currentTodos(s.entries);
  if (todos?.length) {
    parts.push('<task-list>');
    for (const t of todos) parts.push(`- [${t.status === 'completed' ? 'x' : t.status === 'in_progress' ? '~' : ' '}] ${t.content}${t.status === 'in_progress' ? ' (in progress)' : ''}`);
    parts.push('</task-list>');
  }
  let total = 0;
  const files: string[] = [];
  for (const rel of recentReads(s)) {
    let text: string;
    try {
      const abs = resolve(s.workspaceRoot, rel);
      if (!statSync(abs).isFile()) continue;
      text = readFileSync(abs, 'utf8');
    } catch { files.push(`<file path="${rel}" state="no longer readable"/>`); continue; }
    if (text.length > MAX_FILE_CHARS) text = `${text.slice(0, MAX_FILE_CHARS)}\n… (cut: ${text.length - MAX_FILE_CHARS} more characters; read_file for the rest)`;
    if (total + text.length > MAX_TOTAL_CHARS) break;
    total += text.length;
    files.push(`<file path="${rel}" state="fresh from disk at compaction time">\n${text}\n</file>`);
  }
  if (files.length) parts.push('<recently-read-files>', ...files, '</recently-read-files>');
  return parts.join('\n');
}
