/**
 * Workspace walking that respects `.gitignore` and `.agentignore` (in every folder, gitignore semantics: last
 * matching rule wins, `!` negates, a trailing `/` matches folders only, a pattern with a slash is anchored to
 * its file's folder). `.git` and `node_modules` are always skipped unless asked for explicitly. Symlinked folders
 * are listed, never descended. Order is deterministic: depth first, names sorted by code unit.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';

export const IGNORE_FILES = ['.gitignore', '.agentignore'];
export const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

interface Rule { base: string; negate: boolean; dirOnly: boolean; anchored: boolean; mm: Minimatch }

function parseIgnore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    let negate = false;
    if (line.startsWith('!')) { negate = true; line = line.slice(1); }
    if (line.startsWith('\\')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    if (!line) continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    rules.push({ base, negate, dirOnly, anchored, mm: new Minimatch(line, { dot: true, nocomment: true, nonegate: true }) });
  }
  return rules;
}

/** Ignore rules of a workspace, loaded lazily per folder and cached. */
export class Ignorer {
  private readonly cache = new Map<string, Rule[]>();
  constructor(readonly root: string) {}

  private async rulesOf(dirRel: string): Promise<Rule[]> {
    let r = this.cache.get(dirRel);
    if (r) return r;
    r = [];
    for (const f of IGNORE_FILES) {
      try { r.push(...parseIgnore(await fsp.readFile(path.join(this.root, dirRel, f), 'utf8'), dirRel)); } catch { /* none */ }
    }
    this.cache.set(dirRel, r);
    return r;
  }

  /** Is `rel` (forward slashes, relative to the root) ignored by the rules of its ancestors (not checking the ancestors themselves)? */
  async ignoredHere(rel: string, isDir: boolean): Promise<boolean> {
    const parts = rel.split('/');
    const name = parts[parts.length - 1] ?? '';
    if (isDir && ALWAYS_SKIPPED.has(name)) return true;
    let ignored = false;
    for (let d = 0; d < parts.length; d++) {
      const dirRel = parts.slice(0, d).join('/');
      for (const rule of await this.rulesOf(dirRel)) {
        if (rule.dirOnly && !isDir) continue;
        const sub = dirRel ? rel.slice(dirRel.length + 1) : rel;
        const hit = rule.anchored ? rule.mm.match(sub) : rule.mm.match(name);
        if (hit) ignored = !rule.negate;
      }
    }
    return ignored;
  }

  /** Is `rel` ignored, itself or through any ancestor folder? */
  async ignored(rel: string, isDir: boolean, from = ''): Promise<boolean> {
    const parts = rel.split('/');
    const skip = from ? from.split('/').length : 0;
    for (let i = Math.max(1, skip + 1); i < parts.length; i++) if (await this.ignoredHere(parts.slice(0, i).join('/'), true)) return true;
    return this.ignoredHere(rel, isDir);
  }
}

export interface Entry { rel: string; isDir: boolean; isSymlink: boolean; depth: number }

export interface WalkOptions {
  maxDepth?: number;
  signal?: AbortSignal;
  /** Stop after this many yielded entries. */
  limit?: number;
  filesOnly?: boolean;
}

/** Walk below `startRel` (relative to the root; '' for the root). Yields workspace-relative paths. */
export async function* walk(ign: Ignorer, startRel: string, opts: WalkOptions = {}): AsyncGenerator<Entry> {
  const maxDepth = opts.maxDepth ?? Infinity;
  let yielded = 0;
  async function* visit(dirRel: string, depth: number): AsyncGenerator<Entry> {
    if (opts.signal?.aborted) return;
    let ents;
    try { ents = await fsp.readdir(path.join(ign.root, dirRel), { withFileTypes: true }); } catch { return; }
    ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of ents) {
      if (opts.limit !== undefined && yielded >= opts.limit) return;
      const rel = dirRel ? `${dirRel}/${d.name}` : d.name;
      const isDir = d.isDirectory();
      if (await ign.ignoredHere(rel, isDir)) continue;
      const e: Entry = { rel, isDir, isSymlink: d.isSymbolicLink(), depth };
      if (!(opts.filesOnly && isDir)) { yielded++; yield e; }
      if (isDir && depth < maxDepth) yield* visit(rel, depth + 1);
    }
  }
  yield* visit(startRel, 1);
}
