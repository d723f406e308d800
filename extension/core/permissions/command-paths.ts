/**
 * The path checks of one command segment: every operand and option value that names a file goes through the
 * same checks as the file tools. Read: outside the workspace, secret by name (globs and brace patterns
 * expanded, folders walked when the command recurses), hard links, credential-looking content. Write:
 * outside, protected paths, the memory files, secrets. Name-only use: outside. The reason names the resolved
 * matches, so the user sees what the command would really touch.
 */
import * as fs from 'node:fs';
import type { Classified, PathUse } from './commands';
import { isSecretPath, looksLikeSecretContent, memoryReason, protectedReason } from './policy-paths';
import { expandPattern, isCommandSecret, scanForSecrets, type ScanResult } from './secret-scan';

export interface Target { abs: string; real: string; rel: string; inside: boolean }

export interface PathContext {
  target(p: string, base: string): Target;
  /** Canonical working folder of the command. */
  cwd: string;
  /** Words the shell expands as patterns (globs, braces). */
  patterns: Set<string>;
  /** Recursive scans, cached for a moment (keyed by folder and options). */
  scans: Map<string, { at: number; r: ScanResult }>;
  now(): number;
}

const SCAN_TTL_MS = 2_000;
const MAX_LISTED = 5;
const list = (xs: string[]) => xs.slice(0, MAX_LISTED).join(', ') + (xs.length > MAX_LISTED ? ` and ${xs.length - MAX_LISTED} more` : '');

function scan(ctx: PathContext, t: Target, use: PathUse): ScanResult {
  const hidden = use.recursive !== 'visible';
  const key = `${t.real}\0${hidden}\0${use.follow === true}`;
  const hit = ctx.scans.get(key);
  if (hit && ctx.now() - hit.at < SCAN_TTL_MS) return hit.r;
  const rootOf = (abs: string) => ctx.target(abs, ctx.cwd);
  const r = scanForSecrets(t.real, {
    hidden, follow: use.follow === true, isSecret: isCommandSecret,
    rel: (abs) => rootOf(abs).rel, inside: (abs) => rootOf(abs).inside,
  });
  ctx.scans.set(key, { at: ctx.now(), r });
  return r;
}

/** Why one path use must be confirmed, or undefined. */
function judgeOne(name: string, written: string, use: PathUse, ctx: PathContext): string | undefined {
  if (/^~[^/]/.test(written)) return `${name} names ${written}, another user's home folder`;
  let t: Target;
  try { t = ctx.target(written, ctx.cwd); } catch { return `unusual path argument ${written}`; }
  if (!t.inside) return `${name} touches ${written}, outside the workspace`;
  if (use.use === 'name') return undefined;
  const secret = isCommandSecret(t.rel) || isSecretPath(t.abs) || isSecretPath(t.real);
  if (use.use === 'write') {
    const mem = memoryReason(t.rel);
    if (mem) return `${name} would write ${written}: ${mem}`;
    const prot = protectedReason(t.rel);
    if (prot) return `${name} touches ${written}: ${prot}`;
    if (secret) return `${name} touches ${written}, a secret file`;
    return undefined;
  }
  if (secret) return `${name} touches ${written}, a secret file`;
  let st: fs.Stats | undefined;
  try { st = fs.statSync(t.real); } catch { return undefined; }
  if (st.isFile()) {
    if (st.nlink > 1) return `${name} reads ${written}, a hard link (it may point at a file outside the workspace)`;
    if (looksLikeSecretContent(t.real)) return `${name} reads ${written}, which looks like it contains credentials`;
    return undefined;
  }
  if (st.isDirectory() && use.recursive) {
    const r = scan(ctx, t, use);
    if (r.truncated) return `${name} walks ${written}, which holds too many files to check for secrets`;
    if (r.secrets.length) return `${name} walks ${written}, which holds secret files: ${list(r.secrets)}`;
    if (r.links.length) return `${name} follows symbolic links in ${written} that lead outside the workspace: ${list(r.links)}`;
  }
  return undefined;
}

/** Expand a pattern operand and judge every match; the reason lists what the pattern resolves to. */
function judgeUse(name: string, use: PathUse, ctx: PathContext): string | undefined {
  if (!ctx.patterns.has(use.path)) return judgeOne(name, use.path, use, ctx);
  const { matches, truncated } = expandPattern(use.path, ctx.cwd);
  if (truncated) return `${name} ${use.path} matches too many files to check`;
  if (!matches.length) return judgeOne(name, use.path, use, ctx);
  const bad: string[] = [];
  let first: string | undefined;
  for (const m of matches) {
    const why = judgeOne(name, m, use, ctx);
    if (why) { bad.push(m); first ??= why; }
  }
  if (!bad.length) return undefined;
  return `${name} ${use.path} resolves to ${list(bad)}: ${first}`;
}

/** Why this segment's paths need the user's approval, or undefined. */
export function judgeSegmentPaths(name: string, c: Classified, ctx: PathContext): string | undefined {
  if (c.paths) {
    for (const u of c.paths) { const why = judgeUse(name, u, ctx); if (why) return why; }
  }
  // Commands without a precise spec: every word that looks like a path.
  for (const p of c.pathArgs) {
    const use: PathUse = { path: p, use: c.kind === 'read-only' ? 'read' : 'write' };
    const why = judgeUse(name, use, ctx);
    if (why) return why;
  }
  return undefined;
}
