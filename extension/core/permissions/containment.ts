/**
 * Path resolution and containment. A path is inside the workspace only when its canonical form (symlinks of
 * every existing component resolved, dangling links followed to their target) is the root or below it,
 * compared component by component (never by string prefix: `/w/proj_evil` is not inside `/w/proj`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';

export class PathError extends Error {}

/** Path forms refused on every platform: NT namespaces, UNC, drive-relative, NUL bytes. */
const BAD_FORMS: Array<[RegExp, string]> = [
  [/\0/, 'contains a NUL byte'],
  [/^[\\/]{2}[?.][\\/]/, 'uses a Windows device namespace (\\\\?\\ or \\\\.\\)'],
  [/^\\\?\?\\/, 'uses the Windows NT namespace (\\??\\)'],
  [/^\\\\[^\\]/, 'is a UNC path (\\\\host\\share)'],
  [/^[A-Za-z]:(?![\\/])/, 'is drive-relative (C:foo)'],
];

/** Why this path form is refused, or undefined when it is acceptable. */
export function badPathForm(p: string): string | undefined {
  if (process.platform !== 'win32' && /^[A-Za-z]:[\\/]/.test(p)) return 'is a Windows drive path';
  for (const [re, why] of BAD_FORMS) if (re.test(p)) return why;
  return undefined;
}

/**
 * Turn a path the model wrote (relative to the workspace, absolute, or `~/...`) into an absolute lexical path.
 * Throws PathError for refused forms.
 */
export function resolveUserPath(root: string, p: string, home: string = os.homedir()): string {
  if (typeof p !== 'string' || p.length === 0) throw new PathError('path is empty');
  const bad = badPathForm(p);
  if (bad) throw new PathError(`path ${JSON.stringify(p)} ${bad}`);
  let q = p;
  if (q === '~' || q.startsWith('~/')) q = path.join(home, q.slice(1));
  return path.resolve(root, q);
}

/** True when `child` is `parent` or below it (both absolute, canonical). */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  if (rel === '') return true;
  return !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try { return fs.lstatSync(p); } catch { return undefined; }
}

/**
 * The canonical form of an absolute path: the realpath of the deepest existing ancestor plus the rest.
 * A dangling symlink is followed to where it points (so writing through it would land there).
 */
export function canonicalPath(abs: string, depth = 0): string {
  if (depth > 40) throw new PathError('too many levels of symbolic links');
  const p = path.resolve(abs);
  const st = lstatOrUndefined(p);
  if (st) {
    try { return fs.realpathSync.native(p); } catch { /* dangling link or loop: resolve by hand below */ }
    if (st.isSymbolicLink()) {
      const target = fs.readlinkSync(p);
      const parent = canonicalPath(path.dirname(p), depth + 1);
      return canonicalPath(path.resolve(parent, target), depth + 1);
    }
  }
  const parent = path.dirname(p);
  if (parent === p) return p;
  return path.join(canonicalPath(parent, depth + 1), path.basename(p));
}

export interface Containment {
  /** Absolute lexical path. */
  abs: string;
  /** Canonical path (symlinks resolved). */
  real: string;
  inside: boolean;
  /** The root that contains it (canonical), when inside. */
  root?: string;
}

/**
 * Resolve `p` and decide whether it is inside one of `roots` (roots are canonicalized here, unless the caller says
 * they already are: the permission engine canonicalizes its roots once).
 */
export function contain(roots: string[], p: string, base?: string, home?: string, rootsCanonical = false): Containment {
  const first = roots[0];
  if (first === undefined) throw new PathError('no workspace root');
  const abs = resolveUserPath(base ?? first, p, home);
  const real = canonicalPath(abs);
  for (const r of roots) {
    const cr = rootsCanonical ? r : canonicalPath(r);
    // The lexical path must be inside too: a `..` that walks out and back in through a link is still judged by its real target.
    if (isWithin(cr, real)) return { abs, real, inside: true, root: cr };
  }
  return { abs, real, inside: false };
}

/** Workspace-relative form with forward slashes (for rule matching and display). */
export function toRel(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel.split(path.sep).join('/');
}
