/**
 * propose_plan: the plan, as the tool's input, written to `.agent/plans/<slug>.md` for the user to read, edit and
 * approve. It ends the turn: the next step is the user's (approve, or keep planning with feedback). Nothing with a
 * side effect runs until then (the permission engine holds every call). No tool approves a plan or leaves plan mode.
 */
import { z } from 'zod';
import type { PlanState } from '../planner/state';
import { normRel } from '../planner/format';
import type { Tool } from './types';

const input = z.object({
  title: z.string().min(3).max(120).describe('What the plan achieves, in a few words ("Add input validation to the signup form").'),
  summary: z.string().min(1).max(4_000).describe('The approach in a few sentences: what changes and why, what you found while researching.'),
  steps: z.array(z.object({
    text: z.string().min(3).max(500).describe('One step, imperative, small enough to check ("Add a zod schema for the form fields").'),
    files: z.array(z.string().min(1).max(300)).max(30).describe('Workspace-relative paths this step creates or changes (empty when it only runs or reads).'),
  })).min(1).max(40).describe('The ordered steps.'),
  risks: z.array(z.string().min(1).max(500)).max(20).describe('What could go wrong or needs care; empty when none.'),
  verification: z.string().min(1).max(2_000).describe('How the result will be verified (tests to run, what to check).'),
});

export function createProposePlanTool(state: PlanState): Tool<typeof input> {
  return {
    name: 'propose_plan',
    description: 'Propose a plan for the user to review before anything changes. Research first with the read-only tools, then call this once with the whole plan: title, summary, ordered steps with the files each touches, risks, and how you will verify. The plan is written to .agent/plans/ and shown to the user, who approves it, edits it, or sends it back with feedback. This ends your turn: do not call other tools after it, and never claim the plan is approved; only the user approves, in the panel.',
    input,
    kind: 'state',
    label: 'Plan',
    describe: (i) => `${i.title} (${i.steps.length} step${i.steps.length === 1 ? '' : 's'})`,
    readOnly: false,
    concurrencySafe: false,
    async execute(args) {
      const { rel } = state.propose({
        title: args.title,
        summary: args.summary,
        steps: args.steps.map((s) => ({ text: s.text, files: s.files.map(normRel).filter(Boolean), state: 'todo' as const })),
        risks: args.risks,
        verification: args.verification,
      });
      return {
        content: `The plan is written to ${rel} and shown to the user for review. Stop here and wait: the user approves it, edits it, or sends feedback. Plan mode stays on until the user approves it in the panel; a chat message is feedback, never approval.`,
        display: { plan: { path: rel, title: args.title, steps: args.steps.length } },
        endsTurn: true,
      };
    },
  };
}
