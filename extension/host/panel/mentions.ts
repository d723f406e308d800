/** Completions for `@` in the composer: problems, the selection, open editors, files and folders. */
import { basename, dirname, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { MAX_MENTION_CANDIDATES, type MentionCandidate } from '../../protocol/panel';

/** Files asked of findFiles per query (files.exclude applies; search.exclude does not). */
const FILE_SCAN = 400;

/** A case-insensitive glob for "path contains `q`" (glob metacharacters are matched literally). */
export function containsGlob(q: string): string {
  const parts = [...q].map((ch) => {
    if (/[a-z]/i.test(ch)) return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    if (/[[\]{}*?!\\]/.test(ch)) return `[${ch}]`;
    return ch;
  });
  return `**/*${parts.join('')}*{,/**}`;
}

/** Rank: exact base name, base name starts with, base name contains, path contains; then shorter paths. */
export function rank(path: string, q: string): number {
  const base = basename(path).toLowerCase();
  const lq = q.toLowerCase();
  const tier = base === lq ? 0 : base.startsWith(lq) ? 1 : base.includes(lq) ? 2 : path.toLowerCase().includes(lq) ? 3 : 4;
  return tier * 10_000 + Math.min(path.length, 9_999);
}

export async function mentionCandidates(root: string, query: string): Promise<MentionCandidate[]> {
  const q = query.trim();
  const lq = q.toLowerCase();
  const out: MentionCandidate[] = [];
  const matches = (s: string) => lq === '' || s.toLowerCase().includes(lq);
  const rel = (u: vscode.Uri) => relative(root, u.fsPath).split(sep).join('/');
  const inside = (u: vscode.Uri) => u.scheme === 'file' && !relative(root, u.fsPath).startsWith('..');

  if (matches('problems')) out.push({ kind: 'problems', label: 'problems', detail: 'Errors and warnings in the workspace' });
  const ed = vscode.window.activeTextEditor;
  if (ed && !ed.selection.isEmpty && matches('selection')) {
    out.push({ kind: 'selection', label: 'selection', detail: `${basename(ed.document.uri.fsPath)}:${ed.selection.start.line + 1}-${ed.selection.end.line + 1}` });
  }
  if (matches('editors')) out.push({ kind: 'editors', label: 'editors', detail: 'The list of open editors' });

  const seen = new Set<string>();
  const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined))
    .filter((u): u is vscode.Uri => u !== undefined && inside(u));
  for (const u of open) {
    const p = rel(u);
    if (seen.has(p) || !matches(p)) continue;
    seen.add(p);
    out.push({ kind: 'file', path: p, label: basename(p), detail: `${p} · open` });
  }

  const files = await vscode.workspace.findFiles(q === '' ? '**/*' : containsGlob(q), undefined, FILE_SCAN);
  const paths = files.filter(inside).map(rel);
  const folders = new Set<string>();
  for (const p of paths) {
    for (let d = dirname(p); d !== '.' && d !== ''; d = dirname(d)) {
      if (matches(basename(d))) folders.add(d);
    }
  }
  const ranked = [
    ...[...folders].map((p) => ({ p, kind: 'folder' as const, r: rank(p, q) + 5 })),
    ...paths.filter((p) => !seen.has(p) && matches(p)).map((p) => ({ p, kind: 'file' as const, r: rank(p, q) })),
  ].sort((a, b) => a.r - b.r);
  for (const { p, kind } of ranked) {
    if (out.length >= MAX_MENTION_CANDIDATES) break;
    out.push({ kind, path: p, label: kind === 'folder' ? `${basename(p)}/` : basename(p), detail: p });
  }
  return out.slice(0, MAX_MENTION_CANDIDATES);
}
