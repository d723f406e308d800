/**
 * Plan files on disk: `.agent/plans/<slug>.md`. Writes are atomic and stay inside the workspace's real
 * `.agent/plans/` folder: a symlinked `.agent` or `plans` folder, a symlinked plan file, or a path that leaves the
 * folder (`..`, absolute, another folder) is refused with a clear error, never followed.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../memory/fsx';
import { parsePlan, PlanFormatError, progressOf, serializePlan, slugify, type Plan, type PlanStatus } from './format';

export const PLANS_REL = '.agent/plans';

export class PlanPathError extends Error {
  constructor(message: string) { super(message); this.name = 'PlanPathError'; }
}

function canonicalRoot(root: string): string {
  try { return realpathSync(root); } catch { return resolve(root); }
}

/** The real plans folder of a workspace, checked: `.agent` and `plans` must be real folders (or not exist yet). */
export function plansDir(root: string): string {
  const r = canonicalRoot(root);
  for (const part of [join(r, '.agent'), join(r, '.agent', 'plans')]) {
    let st;
    try { st = lstatSync(part); } catch { continue; }
    if (st.isSymbolicLink()) throw new PlanPathError(`${relative(r, part)} is a symbolic link; plans are written only to the workspace's own .agent/plans/ folder. Replace the link with a folder.`);
    if (!st.isDirectory()) throw new PlanPathError(`${relative(r, part)} is not a folder; plans need .agent/plans/ to be a folder.`);
  }
  return join(r, '.agent', 'plans');
}

/**
 * A plan path given by a person or the runner (relative to the workspace, or absolute), resolved and checked:
 * it must name a `.md` file directly inside the real `.agent/plans/`, and must not be a symbolic link.
 */
export function resolvePlanPath(root: string, given: string): string {
  const r = canonicalRoot(root);
  const dir = plansDir(r);
  const abs = isAbsolute(given) ? resolve(given) : resolve(r, given);
  let real = abs;
  try { real = join(realpathSync(dirname(abs)), basename(abs)); } catch { /* folder missing: judged as written */ }
  if (dirname(real) !== dir || !real.endsWith('.md')) throw new PlanPathError(`${given} is not a plan file: plans are .md files directly inside ${PLANS_REL}/ of the workspace.`);
  try { if (lstatSync(real).isSymbolicLink()) throw new PlanPathError(`${given} is a symbolic link; a plan file must be a plain file inside ${PLANS_REL}/.`); } catch (e) { if (e instanceof PlanPathError) throw e; }
  return real;
}

/** A fresh path for a new plan titled `title` (slug, then -2, -3... when taken). */
export function newPlanPath(root: string, title: string): string {
  const dir = plansDir(root);
  const slug = slugify(title);
  for (let n = 1; ; n++) {
    const p = join(dir, `${n === 1 ? slug : `${slug}-${n}`}.md`);
    if (!existsSync(p)) return p;
  }
}

export function writePlan(root: string, absPath: string, plan: Plan): void {
  const p = resolvePlanPath(root, absPath);
  writeFileAtomic(p, serializePlan(plan));
}

/** Read and parse a plan; a format problem names the file. */
export function readPlan(absPath: string): { plan: Plan; text: string } {
  const text = readFileSync(absPath, 'utf8');
  try {
    return { plan: parsePlan(text), text };
  } catch (e) {
    if (e instanceof PlanFormatError) throw new PlanFormatError(e.line, `${basename(absPath)}: ${e.message.replace(/^Plan file line \d+: /, '')} Fix the file, or ask Cairn to write the plan again.`);
    throw e;
  }
}

export interface PlanListing {
  path: string;
  /** Workspace-relative, with forward slashes. */
  rel: string;
  title?: string;
  status?: PlanStatus;
  created?: string;
  session?: string;
  progress?: { done: number; skipped: number; total: number };
  /** How it ended, when the file records it. */
  outcome?: string;
  /** Why it could not be read. */
  problem?: string;
}

/** Every plan of the workspace, newest first. Unreadable files are listed with the problem, never dropped. */
export function listPlans(root: string): PlanListing[] {
  let dir: string;
  try { dir = plansDir(root); } catch (e) { return [{ path: join(root, PLANS_REL), rel: PLANS_REL, problem: (e as Error).message }]; }
  let names: string[] = [];
  try { names = readdirSync(dir).filter((n) => n.endsWith('.md')); } catch { return []; }
  const r = canonicalRoot(root);
  const out: PlanListing[] = names.map((n) => {
    const path = join(dir, n);
    const rel = relative(r, path).split(sep).join('/');
    try {
      const { plan } = readPlan(path);
      const pr = progressOf(plan);
      return { path, rel, title: plan.title, status: plan.status, created: plan.created, ...(plan.session ? { session: plan.session } : {}), progress: { done: pr.done, skipped: pr.skipped, total: pr.total }, ...(plan.outcome ? { outcome: plan.outcome } : {}) };
    } catch (e) { return { path, rel, problem: (e as Error).message }; }
  });
  return out.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.rel.localeCompare(b.rel));
}

export function relPlanPath(root: string, abs: string): string {
  return relative(canonicalRoot(root), abs).split(sep).join('/');
}
