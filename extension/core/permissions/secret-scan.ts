/**
 * What a command operand resolves to, for the secret checks: a glob or brace pattern is expanded the way bash
 * would (no dotfiles unless the pattern part starts with a dot, no globstar), and a folder the command walks
 * (grep -r, rg, diff -r) is searched for secret files. Both are bounded; past the bound the answer is "too
 * many to check", which asks. `.git` and `node_modules` folders are not searched (they hold no user secrets).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch, braceExpand } from 'minimatch';
import { isSecretPath } from './policy-paths';

export const SCAN_LIMIT = 20_000;
const EXPAND_LIMIT = 2_000;

const HAS_GLOB = /[*?[]/;

/** Expand a shell pattern relative to `base` into existing paths (relative to base, as written). */
export function expandPattern(pattern: string, base: string): { matches: string[]; truncated: boolean } {
  const out: string[] = [];
  let truncated = false;
  for (const alt of braceExpand(pattern)) {
    if (!HAS_GLOB.test(alt)) { if (exists(path.resolve(base, alt))) out.push(alt); continue; }
    const abs = path.isAbsolute(alt);
    const parts = alt.split('/');
    let frontier: string[] = [abs ? '/' : ''];
    for (let i = 0; i < parts.length && frontier.length; i++) {
      const part = parts[i]!;
      if (part === '' && i === 0) continue;
      const next: string[] = [];
      for (const prefix of frontier) {
        if (!HAS_GLOB.test(part)) { next.push(join(prefix, part)); continue; }
        let names: string[] = [];
        try { names = fs.readdirSync(path.resolve(base, prefix || '.')); } catch { continue; }
        for (const n of names) {
          if (minimatch(n, part, { dot: part.startsWith('.'), nocomment: true, nonegate: true, noext: true })) next.push(join(prefix, n));
          if (next.length > EXPAND_LIMIT) { truncated = true; break; }
        }
      }
      frontier = next;
    }
    for (const f of frontier) if (exists(path.resolve(base, f))) out.push(f);
    if (out.length > EXPAND_LIMIT) { truncated = true; break; }
  }
  return { matches: out, truncated };
}

const join = (prefix: string, name: string) => (prefix === '' ? name : prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`);
function exists(p: string): boolean { try { fs.lstatSync(p); return true; } catch { return false; } }

export interface ScanResult { secrets: string[]; links: string[]; truncated: boolean }

/**
 * Secret files under a folder (paths relative to `rootForNames`), as a recursive reader would meet them.
 * `hidden: false` skips dot-files and dot-folders (ripgrep's default); `follow` also reports symbolic links
 * whose target is outside `inside`.
 */
export function scanForSecrets(dir: string, opts: { hidden: boolean; follow: boolean; isSecret: (rel: string) => boolean; rel: (abs: string) => string; inside: (abs: string) => boolean; limit?: number }): ScanResult {
  const limit = opts.limit ?? SCAN_LIMIT;
  const secrets: string[] = [];
  const links: string[] = [];
  let seen = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (++seen > limit) return { secrets, links, truncated: true };
      if (!opts.hidden && e.name.startsWith('.')) continue;
      const abs = path.join(d, e.name);
      const rel = opts.rel(abs);
      if (e.isDirectory()) {
        if (e.name === '.git' || e.name === 'node_modules') continue;
        if (opts.isSecret(rel + '/')) { secrets.push(rel + '/'); continue; }
        stack.push(abs);
        continue;
      }
      if (e.isSymbolicLink() && opts.follow) {
        let real: string | undefined;
        try { real = fs.realpathSync(abs); } catch { /* dangling */ }
        if (real && !opts.inside(real)) links.push(rel);
        else if (real && opts.isSecret(opts.rel(real))) secrets.push(rel);
      }
      if (opts.isSecret(rel)) secrets.push(rel);
    }
  }
  return { secrets, links, truncated: false };
}

/** Secret for command operands: the secret-file names, plus the agent's own transcripts (.agent/sessions/). */
export function isCommandSecret(rel: string): boolean {
  const norm = rel.split(path.sep).join('/');
  if (/(^|\/)\.agent\/sessions(\/|$)/.test(norm)) return true;
  return isSecretPath(norm.replace(/\/$/, ''));
}
