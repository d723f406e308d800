/**
 * update_plan_step: while executing an approved plan, mark a step in progress, done or skipped (written to the
 * plan file, shown on the plan card). When every step is settled, `outcome` records how the plan ended and
 * marks it done.
 */
import { z } from 'zod';
import type { PlanState } from '../planner/state';
import { progressOf } from '../planner/format';
import type { Tool } from './types';

const input = z.object({
  step: z.number().int().min(1).max(100).describe('The step number in the approved plan (1 is the first step).'),
  state: z.enum(['in_progress', 'done', 'skipped']).describe('in_progress when you start it, done when finished and checked, skipped when it turned out unnecessary.'),
  note: z.string().max(1_000).optional().describe('Why a step was skipped, or what was learned (kept under the step).'),
  outcome: z.string().max(4_000).optional().describe('Only once every step is done or skipped: how the plan ended (what changed, how it was verified). Marks the plan done.'),
});

export function createUpdatePlanStepTool(state: PlanState): Tool<typeof input> {
  return {
    name: 'update_plan_step',
    description: 'Track the approved plan while executing it: mark a step in_progress before you start it, done when it is finished and verified, or skipped (with a note saying why). Once every step is settled, pass outcome to record how it ended. It only works on a plan the user approved.',
    input,
    kind: 'state',
    label: 'Plan step',
    describe: (i) => `step ${i.step}: ${i.state.replace('_', ' ')}`,
    readOnly: false,
    concurrencySafe: false,
    async execute(args) {
      let r;
      try { r = state.mark(args.step, args.state, args.note, args.outcome); } catch (e) { return { content: (e as Error).message, isError: true }; }
      const p = progressOf(r.plan);
      const settled = p.done + p.skipped === p.total;
      const next = r.finished ? ' The plan is finished and its outcome recorded.' : settled ? ' Every step is settled: verify the result, then call update_plan_step again with outcome to finish the plan.' : '';
      return {
        content: `Step ${args.step} is ${args.state.replace('_', ' ')} (${p.done} done, ${p.skipped} skipped of ${p.total}) in ${r.rel}.${next}`,
        display: { planProgress: { path: r.rel, steps: r.plan.steps.map((s) => ({ text: s.text, state: s.state })), status: r.plan.status } },
      };
    },
  };
}
