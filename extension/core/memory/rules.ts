/**
 * Rules files: `AGENTS.md` and `CLAUDE.md`, read as instructions.
 *
 * - The workspace root's files go into the session prelude (the first user content), once per session.
 * - A nested folder's files are attached when the agent first touches a path in (or below) that folder:
 *   `NestedRules.noteFor(path)` returns them (each folder once per session) and the agent loop appends the
 *   text to that tool result as a `<system-reminder>`.
 * - `@path` imports (relative to the importing file, or `@/path` from the workspace root) are expanded inline,
 *   at most 5 hops deep, cycle-safe, never from inside code spans/blocks, and never from outside the workspace
 *   (after resolving symlinks): such an import is replaced by a note saying it was refused.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export const RULE_FILES = ['AGENTS.md', 'CLAUDE.md'] as const;
export const MAX_IMPORT_DEPTH = 5;
/** A rules file past this size is cut with a note (it is instructions, not a data dump). */
export const MAX_RULES_BYTES = 40_000;

export interface RulesFile { path: string; rel: string; text: string; problems: string[] }

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

function real(p: string): string | undefined {
  try { return realpathSync(p); } catch { return undefined; }
}

const IMPORT_RE = /(^|[\s(])@((?:\.{0,2}\/)?[\w.\-/]+)/g;

/** Expand `@path` imports of `text` (from file `from`). Code fences and inline code are left alone. */
export function expandImports(text: string, from: string, root: string, depth = 0, seen: Set<string> = new Set(), problems: string[] = []): string {
  const rootReal = real(root) ?? root;
  const out: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) { inFence = !inFence; out.push(line); continue; }
    if (inFence || !line.includes('@')) { out.push(line); continue; }
    // Split out inline code spans; only text outside them is scanned.
    const parts = line.split(/(`[^`]*`)/);
    const imported: string[] = [];
    const rewritten = parts.map((part) => part.startsWith('`') ? part : part.replace(IMPORT_RE, (m, pre: string, target: string) => {
      if (/^[\w.-]+@/.test(target) || !/[/.]/.test(target)) return m; // e-mail-like or a bare @mention
      const abs = target.startsWith('/') ? join(rootReal, target) : resolve(dirname(from), target);
      const r = real(abs);
      const shown = relative(rootReal, r ?? abs).split(sep).join('/');
      if (!r || !statSync(r).isFile()) { problems.push(`${relative(rootReal, from)}: import @${target} not found`); return m; }
      if (!inside(rootReal, r)) { problems.push(`${relative(rootReal, from)}: import @${target} is outside the workspace and was not loaded`); return `${pre}@${target} (not loaded: outside the workspace)`; }
      if (seen.has(r)) return `${pre}@${target}`;
      if (depth + 1 > MAX_IMPORT_DEPTH) { problems.push(`${relative(rootReal, from)}: import @${target} is more than ${MAX_IMPORT_DEPTH} levels deep and was not loaded`); return `${pre}@${target} (not loaded: imports nest more than ${MAX_IMPORT_DEPTH} deep)`; }
      seen.add(r);
      let body = '';
      try { body = readFileSync(r, 'utf8').slice(0, MAX_RULES_BYTES); } catch { return m; }
      imported.push(`<imported path="${shown}">\n${expandImports(body, r, rootReal, depth + 1, seen, problems).trimEnd()}\n</imported>`);
      return `${pre}@${target}`;
    }));
    out.push(rewritten.join(''), ...imported);
  }
  return out.join('\n');
}

/** The rules files of one folder (AGENTS.md then CLAUDE.md), imports expanded. */
export function loadRulesIn(dir: string, root: string): RulesFile[] {
  const rootReal = real(root) ?? root;
  const out: RulesFile[] = [];
  for (const name of RULE_FILES) {
    const p = join(dir, name);
    const r = real(p);
    if (!r || !inside(rootReal, r)) continue;
    let text: string;
    try { if (!statSync(r).isFile()) continue; text = readFileSync(r, 'utf8'); } catch { continue; }
    const problems: string[] = [];
    if (Buffer.byteLength(text) > MAX_RULES_BYTES) {
      problems.push(`${name} is larger than ${MAX_RULES_BYTES} bytes; only the start was loaded`);
      text = `${text.slice(0, MAX_RULES_BYTES)}\n[… cut: the file is larger than ${MAX_RULES_BYTES} bytes]`;
    }
    const expanded = expandImports(text, r, rootReal, 0, new Set([r]), problems);
    out.push({ path: r, rel: relative(rootReal, r).split(sep).join('/'), text: expanded, problems });
  }
  return out;
}

export function renderRules(files: RulesFile[]): string {
  return files.map((f) => `<rules path="${f.rel}">\n${f.text.trimEnd()}\n</rules>`).join('\n');
}

/** Nested rules: attach a folder's AGENTS.md / CLAUDE.md the first time the agent touches a path under it. */
export class NestedRules {
  private readonly seen = new Set<string>();
  private readonly rootReal: string;

  constructor(private readonly root: string) {
    this.rootReal = real(root) ?? root;
  }

  /** Forget what was attached (a new session starts). */
  reset(): void { this.seen.clear(); }

  /**
   * Rules of the folders from the workspace root (exclusive) down to `path`'s folder that this session has not
   * seen yet, outermost first; undefined when there is nothing new.
   */
  noteFor(path: string): string | undefined {
    const abs = isAbsolute(path) ? path : resolve(this.rootReal, path);
    const r = real(abs) ?? abs;
    if (!inside(this.rootReal, r)) return undefined;
    let dir = r;
    try { if (!statSync(r).isDirectory()) dir = dirname(r); } catch { dir = dirname(r); }
    const chain: string[] = [];
    while (inside(this.rootReal, dir) && dir !== this.rootReal) { chain.unshift(dir); const up = dirname(dir); if (up === dir) break; dir = up; }
    const files: RulesFile[] = [];
    for (const d of chain) {
      if (this.seen.has(d)) continue;
      this.seen.add(d);
      files.push(...loadRulesIn(d, this.rootReal));
    }
    if (!files.length) return undefined;
    return `<system-reminder>\nInstructions from rules files in the folder you are working in (they apply to files under it; follow them):\n${renderRules(files)}\n</system-reminder>`;
  }
}

/** Which path a tool call touches, for nested rules (read_file, list_files, grep, glob, edit_file, write_file). */
export function touchedPath(input: unknown): string | undefined {
  const v = input as { path?: unknown; file_path?: unknown } | null;
  const p = v && typeof v === 'object' ? v.path ?? v.file_path : undefined;
  return typeof p === 'string' && p.length > 0 ? p : undefined;
}
