/**
 * A session's plan: the one proposed and waiting for the user, and the one approved and being executed.
 *
 * - `propose` (the propose_plan tool) writes the plan file, puts the permission engine in plan mode and holds it:
 *   nothing with a side effect runs until the user answers (the engine asks `held()`).
 * - Only the user answers, through a `PlanApprovalPort` (the host's DecisionService, with a nonce; the runner's
 *   `--plan FILE`). There is no tool for it. `approve` sets exactly the mode the user chose, never the mode that
 *   was in force before plan mode; `keepPlanning` leaves plan mode on.
 * - The approved plan is read fresh from its file (the file is the source of truth: the user's edits, in the panel
 *   or in an editor, are what is executed) for the pinned context; the session id in its front matter finds it
 *   again after a reload.
 */
import { readFileSync } from 'node:fs';
import type { PermissionMode } from '../permissions/types';
import { normRel, planFiles, progressOf, type Plan, type PlanStep, type StepState } from './format';
import { listPlans, newPlanPath, readPlan, relPlanPath, resolvePlanPath, writePlan } from './store';

export type PlanChoice = 'approve-auto' | 'approve-review' | 'keep-planning';

/** What the user is shown: the plan as it is on disk when asked. */
export interface PlanApprovalRequest {
  id: string;
  /** Workspace-relative path of the plan file. */
  path: string;
  plan: Plan;
}

export interface PlanAnswer {
  choice: PlanChoice;
  feedback?: string;
  /** The steps as the user edited them in the panel (text, files; order is the new order). */
  steps?: Array<{ text: string; files: string[] }>;
  /** Comments on steps (1-based step numbers of the edited list). */
  comments?: Array<{ step: number; text: string }>;
}

export interface PlanApprovalPort {
  ask(req: PlanApprovalRequest, signal?: AbortSignal): Promise<PlanAnswer>;
}

export interface PlanStateOptions {
  workspaceRoot: string;
  sessionId(): string;
  /** Change the session's permission mode (the engine's, and the front end's display of it). */
  setMode(mode: PermissionMode): void;
  now?(): number;
}

export type PlanListener = (e: { kind: 'proposed' | 'approved' | 'rejected' | 'progress' | 'finished' | 'abandoned'; path: string; plan: Plan }) => void;

export const MODE_OF: Record<Exclude<PlanChoice, 'keep-planning'>, PermissionMode> = { 'approve-auto': 'accept-edits', 'approve-review': 'ask' };

export class PlanState {
  private pendingPath: string | undefined;
  private activePath: string | undefined;
  /** A plan sent back for more planning: the next proposal revises the same file. */
  private revising: string | undefined;
  private readonly listeners = new Set<PlanListener>();

  constructor(private readonly o: PlanStateOptions) {}

  /** True while a proposed plan waits for the user: nothing with a side effect may run. */
  held(): boolean { return this.pendingPath !== undefined; }
  get pending(): string | undefined { return this.pendingPath; }
  get active(): string | undefined { return this.activePath; }

  subscribe(l: PlanListener): () => void { this.listeners.add(l); return () => { this.listeners.delete(l); }; }
  private emit(kind: Parameters<PlanListener>[0]['kind'], path: string, plan: Plan): void {
    for (const l of this.listeners) { try { l({ kind, path, plan }); } catch { /* a broken listener must not break the plan */ } }
  }

  /** The propose_plan tool: write the plan, enter plan mode, hold everything until the user answers. */
  propose(input: Omit<Plan, 'status' | 'mode' | 'created' | 'session'>): { path: string; rel: string } {
    if (this.pendingPath) throw new Error(`A plan (${relPlanPath(this.o.workspaceRoot, this.pendingPath)}) is already waiting for the user's answer; wait for it.`);
    const plan: Plan = { ...input, status: 'open', mode: 'plan', created: new Date(this.o.now?.() ?? Date.now()).toISOString(), session: this.o.sessionId() };
    const path = this.revising ?? newPlanPath(this.o.workspaceRoot, plan.title);
    this.revising = undefined;
    writePlan(this.o.workspaceRoot, path, plan);
    this.pendingPath = path;
    this.activePath = undefined;
    this.o.setMode('plan');
    this.emit('proposed', path, plan);
    return { path, rel: relPlanPath(this.o.workspaceRoot, path) };
  }

  /**
   * The user's answer. Applies the panel's step edits to the file as it is now on disk (edits made in an editor
   * are kept), then: approve -> status approved, mode exactly the chosen one; keep planning -> plan mode stays.
   * Returns the message for the model.
   */
  answer(a: PlanAnswer): { message: string; context?: string; mode: PermissionMode } {
    const path = this.pendingPath;
    if (!path) throw new Error('No plan is waiting for an answer.');
    let { plan } = readPlan(path);
    if (a.steps) {
      const old = plan.steps;
      const steps: PlanStep[] = a.steps.map((s) => {
        const same = old.find((o) => o.text === s.text);
        return { text: s.text, files: s.files.map(normRel).filter(Boolean), state: 'todo' as const, ...(same?.details ? { details: same.details } : {}) };
      }).filter((s) => s.text.trim());
      if (steps.length) plan = { ...plan, steps };
    }
    this.pendingPath = undefined;
    const comments = (a.comments ?? []).filter((c) => c.text.trim()).map((c) => `- Step ${c.step}${plan.steps[c.step - 1] ? ` ("${plan.steps[c.step - 1]!.text}")` : ''}: ${c.text.trim()}`);
    const rel = relPlanPath(this.o.workspaceRoot, path);
    if (a.choice === 'keep-planning') {
      writePlan(this.o.workspaceRoot, path, plan);
      this.revising = path;
      this.o.setMode('plan');
      this.emit('rejected', path, plan);
      const fb = a.feedback?.trim();
      return {
        mode: 'plan',
        message: `Keep planning. The plan in ${rel} is not approved.${fb ? `\n\n${fb}` : ''}${comments.length ? `\n\nComments on steps:\n${comments.join('\n')}` : ''}`,
        context: `[cairn] Plan mode stays on: revise the plan (read ${rel} first: the user may have edited it) and propose it again with propose_plan. Nothing may be changed before the user approves it in the panel.`,
      };
    }
    const mode = MODE_OF[a.choice];
    plan = { ...plan, status: 'approved', mode, session: this.o.sessionId() };
    writePlan(this.o.workspaceRoot, path, plan);
    this.activePath = path;
    this.o.setMode(mode);
    this.emit('approved', path, plan);
    return {
      mode,
      message: `Approved the plan "${plan.title}" (${rel}): ${mode === 'accept-edits' ? 'edits are accepted automatically' : 'I review each edit'}.${comments.length ? `\n\nComments on steps:\n${comments.join('\n')}` : ''}`,
      context: approvedContext(rel, readFileSync(path, 'utf8')),
    };
  }

  /**
   * The user typed a chat message while a plan waits: it is feedback, never approval. The plan stays open and
   * unapproved, plan mode stays on, and the next proposal revises the same file. Returns the plan's path.
   */
  feedbackInstead(): string | undefined {
    const path = this.pendingPath ?? this.revising;
    if (!path) return undefined;
    this.pendingPath = undefined;
    this.revising = path;
    this.o.setMode('plan');
    return relPlanPath(this.o.workspaceRoot, path);
  }

  /** The user approved a plan file directly (the runner's `--plan FILE`): it becomes the active plan. */
  adopt(given: string, mode: Exclude<PermissionMode, 'plan'>): { path: string; rel: string; plan: Plan; context: string } {
    const path = resolvePlanPath(this.o.workspaceRoot, given);
    const { plan } = readPlan(path);
    if (plan.status === 'done' || plan.status === 'abandoned') throw new Error(`${relPlanPath(this.o.workspaceRoot, path)} is ${plan.status}; set its status to open or approved to run it again.`);
    const next: Plan = { ...plan, status: 'approved', mode, session: this.o.sessionId() };
    writePlan(this.o.workspaceRoot, path, next);
    this.pendingPath = undefined;
    this.activePath = path;
    this.o.setMode(mode);
    this.emit('approved', path, next);
    const rel = relPlanPath(this.o.workspaceRoot, path);
    return { path, rel, plan: next, context: approvedContext(rel, readFileSync(path, 'utf8')) };
  }

  /**
   * The user resumes a plan from the plan list (open, or approved and not finished, maybe of another session): it
   * becomes this session's plan waiting for review again, exactly as a proposal (plan mode, everything held until
   * the user approves it on the card). Its steps keep their states, so an approved plan resumes where it stopped.
   */
  resume(given: string): { path: string; rel: string } {
    const path = resolvePlanPath(this.o.workspaceRoot, given);
    const rel = relPlanPath(this.o.workspaceRoot, path);
    if (this.pendingPath && this.pendingPath !== path) throw new Error(`Another plan (${relPlanPath(this.o.workspaceRoot, this.pendingPath)}) is waiting for your answer in this session; answer it first.`);
    if (this.activePath && this.activePath !== path) throw new Error(`This session is executing ${relPlanPath(this.o.workspaceRoot, this.activePath)}; finish it, abandon it, or start a new session to resume ${rel}.`);
    const { plan } = readPlan(path);
    if (plan.status === 'done' || plan.status === 'abandoned') throw new Error(`${rel} is ${plan.status}; set its status to open in the file to run it again.`);
    const next: Plan = { ...plan, status: 'open', mode: 'plan', session: this.o.sessionId() };
    writePlan(this.o.workspaceRoot, path, next);
    this.revising = undefined;
    this.activePath = undefined;
    this.pendingPath = path;
    this.o.setMode('plan');
    this.emit('proposed', path, next);
    return { path, rel };
  }

  /** The user abandons a plan (open or approved): its file says so and why; it stops being this session's plan. */
  abandon(given: string, why = 'Abandoned by the user.'): { path: string; rel: string; plan: Plan } {
    const path = resolvePlanPath(this.o.workspaceRoot, given);
    const { plan } = readPlan(path);
    const rel = relPlanPath(this.o.workspaceRoot, path);
    if (plan.status === 'done' || plan.status === 'abandoned') throw new Error(`${rel} is already ${plan.status}.`);
    const next: Plan = { ...plan, status: 'abandoned', outcome: why };
    writePlan(this.o.workspaceRoot, path, next);
    if (this.pendingPath === path) { this.pendingPath = undefined; this.o.setMode('plan'); }
    if (this.activePath === path) this.activePath = undefined;
    if (this.revising === path) this.revising = undefined;
    this.emit('abandoned', path, next);
    return { path, rel, plan: next };
  }

  /** After a reload: the plan this session approved and has not finished, and a plan still waiting for an answer. */
  restore(): void {
    const id = this.o.sessionId();
    for (const p of listPlans(this.o.workspaceRoot)) {
      if (p.session !== id) continue;
      if (p.status === 'approved' && !this.activePath) this.activePath = p.path;
      if (p.status === 'open' && !this.pendingPath && !this.activePath) this.pendingPath = p.path;
    }
  }

  /** The approved plan's current text, for the pinned context (fresh from disk). */
  pinnedText(): string | undefined {
    if (!this.activePath) return undefined;
    try { return `${relPlanPath(this.o.workspaceRoot, this.activePath)}\n${readFileSync(this.activePath, 'utf8')}`; } catch { return undefined; }
  }

  /** The active plan, parsed (undefined when none or unreadable). */
  current(): { path: string; rel: string; plan: Plan } | undefined {
    const path = this.activePath ?? this.pendingPath;
    if (!path) return undefined;
    try { return { path, rel: relPlanPath(this.o.workspaceRoot, path), plan: readPlan(path).plan }; } catch { return undefined; }
  }

  /** Why an edit of this workspace-relative path is outside the approved plan, or undefined. */
  offPlan(rel: string): string | undefined {
    if (!this.activePath) return undefined;
    const cur = this.current();
    if (!cur) return undefined;
    const r = normRel(rel);
    if (r === cur.rel) return undefined;
    const named = planFiles(cur.plan);
    if (named.some((f) => f === r || r.startsWith(`${f}/`))) return undefined;
    return `${r} is not named by the approved plan (${cur.rel})`;
  }

  /** update_plan_step: mark a step (1-based), and finish the plan with its outcome once every step is settled. */
  mark(step: number, state: Exclude<StepState, 'todo'>, note?: string, outcome?: string): { plan: Plan; rel: string; finished: boolean } {
    if (!this.activePath) throw new Error(this.pendingPath ? 'The plan is not approved yet: wait for the user.' : 'There is no approved plan in this session.');
    const path = this.activePath;
    const { plan } = readPlan(path);
    const s = plan.steps[step - 1];
    if (!s) throw new Error(`The plan has ${plan.steps.length} steps; there is no step ${step}.`);
    if (state === 'in_progress') for (const o of plan.steps) if (o.state === 'in_progress') o.state = 'todo';
    s.state = state;
    if (note?.trim()) s.details = [s.details, `Note: ${note.trim()}`].filter(Boolean).join('\n');
    const pr = progressOf(plan);
    const settled = pr.done + pr.skipped === pr.total;
    let finished = false;
    if (settled && outcome?.trim()) { plan.status = 'done'; plan.outcome = outcome.trim(); finished = true; }
    writePlan(this.o.workspaceRoot, path, plan);
    if (finished) this.activePath = undefined;
    this.emit(finished ? 'finished' : 'progress', path, plan);
    return { plan, rel: relPlanPath(this.o.workspaceRoot, path), finished };
  }
}

/** What the model is told with an approved plan: how to execute it, and the plan itself (the file's text). */
export function approvedContext(rel: string, text: string): string {
  return `[cairn] The user approved this plan (the text below includes their edits; ${rel} is the source of truth). Execute it step by step, in order. Before starting a step call update_plan_step with state "in_progress"; when it is finished and checked, "done"; if it turns out to be unnecessary, "skipped" with a note. Edit only the files the plan names unless a step truly needs another one (such edits are flagged to the user). When every step is settled, give the outcome with update_plan_step.\n\n<plan path="${rel}">\n${text}\n</plan>`;
}
