/**
 * UltraPlan: a deep planning run. The task goes to a stronger model (`cairn.planModel`, default the most capable
 * Claude) with thinking on and a larger thinking budget, in plan mode: read-only tools (and read-only explore
 * subagents through the agent tool: they share the session's permission engine, so plan mode holds for them too)
 * and one way out, propose_plan. The override lasts for that run only; the plan then goes to the normal review, and
 * the approved plan is executed with the session's own model. The tool list never changes (prompt cache).
 */
import { modelInfo, type ThinkingSetting } from '../providers/models';
import type { PermissionMode } from '../permissions/types';
import type { PlanState } from './state';

/** The most capable Claude model Cairn knows: UltraPlan's default (`cairn.planModel`). */
export const DEFAULT_PLAN_MODEL = 'claude-opus-5-5';
/** Thinking budget of a planning run when the model takes a budget (adaptive models decide for themselves). */
export const ULTRAPLAN_THINKING_BUDGET = 32_000;

export const ULTRAPLAN_CONTEXT = '[cairn] UltraPlan: this is a deep planning run. Nothing may be changed now: research the task thoroughly with the read-only tools (read, search, diagnostics). For a large codebase, explore independent parts in parallel with read-only subagents through the agent tool. Think it through (approach, alternatives, risks, how to verify), then propose the plan with propose_plan: ordered, small steps, each naming the files it changes. The user reviews, edits and approves the plan; only then is it executed.';

interface ModelLike { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number }

export interface UltraPlanSession {
  readonly busy: boolean;
  submit(text: string, extra?: { context?: string[] }): unknown;
  idle(): Promise<unknown>;
}

export interface UltraPlanResult {
  /** The plan proposed by the run (it now waits for the user's review), if any. */
  plan?: { path: string; rel: string; title: string };
}

export class UltraPlan {
  private active: { model: string; thinkingBudget: number } | undefined;

  get running(): boolean { return this.active !== undefined; }

  /** The model settings of the next request: the plan model with thinking while a planning run is on. */
  model<M extends ModelLike>(base: M): M {
    const a = this.active;
    if (!a) return base;
    const budget = Math.max(base.thinkingBudget ?? 0, a.thinkingBudget);
    // Room for the answer after the thinking (a budget must be below max_tokens), within what the model can write.
    const maxTokens = Math.min(modelInfo(a.model).maxOutput, Math.max(base.maxTokens, budget + 16_000));
    return { ...base, id: a.model, maxTokens, thinking: 'adaptive', thinkingBudget: budget };
  }

  /**
   * Start the task as a planning run: plan mode, the plan model, thinking on. Refusals (no task, no model, a turn
   * running, a plan waiting for the user's answer) throw at once with what to do; otherwise the returned promise
   * resolves when the run's turn ended, with the plan it proposed (its review proceeds as for any proposal).
   */
  start(o: { task: string; model: string; thinkingBudget?: number; session: UltraPlanSession; plans: PlanState; setMode(m: PermissionMode): void }): Promise<UltraPlanResult> {
    const task = o.task.trim();
    if (!task) throw new Error('Say what to plan: /plan <task>, for example "/plan add input validation to the signup form".');
    if (this.active || o.session.busy) throw new Error('Cairn is still working. Stop it or wait for it to finish, then start the planning run.');
    if (o.plans.pending) throw new Error('A plan is waiting for your answer; approve it or send it back before starting another planning run.');
    const model = o.model.trim();
    if (!model) throw new Error('cairn.planModel is empty: set it to a Claude model id (for example claude-opus-5-5).');
    let plan: UltraPlanResult['plan'];
    const off = o.plans.subscribe((e) => { if (e.kind === 'proposed') plan = { path: e.path, rel: o.plans.current()?.rel ?? e.path, title: e.plan.title }; });
    o.setMode('plan');
    this.active = { model, thinkingBudget: o.thinkingBudget ?? ULTRAPLAN_THINKING_BUDGET };
    const end = () => { this.active = undefined; off(); };
    try { o.session.submit(task, { context: [ULTRAPLAN_CONTEXT] }); } catch (e) { end(); throw e; }
    return Promise.resolve(o.session.idle()).then(() => plan ? { plan } : {}).finally(end);
  }
}
