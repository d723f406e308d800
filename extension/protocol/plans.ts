/** Protocol entries of the plan list (open, done, abandoned plans of the workspace). Merged into the map in requests.ts. */
import * as z from 'zod';

export const PlanListItem = z.strictObject({
  /** Workspace-relative path of the plan file (`.agent/plans/<slug>.md`). */
  path: z.string().max(1_000),
  title: z.string().max(300).optional(),
  status: z.enum(['open', 'approved', 'done', 'abandoned']).optional(),
  created: z.string().max(100).optional(),
  progress: z.strictObject({ done: z.number().int().nonnegative(), skipped: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).optional(),
  /** The outcome the file records (done or abandoned plans). */
  outcome: z.string().max(4_000).optional(),
  /** True for the plan of the open session (waiting for review or being executed). */
  current: z.boolean(),
  /** Why the file could not be read (listed anyway, never dropped). */
  problem: z.string().max(1_000).optional(),
});
export type PlanListItem = z.infer<typeof PlanListItem>;

const PlanPath = z.strictObject({ path: z.string().min(1).max(1_000) });
const Done = z.strictObject({ ok: z.boolean(), error: z.string().max(2_000).optional() });

export const planRequestSchemas = {
  /** Every plan of the workspace, newest first. */
  'plan/list': { params: z.strictObject({}), result: z.strictObject({ plans: z.array(PlanListItem).max(500) }) },
  /** Open the plan file in a VS Code editor (edits saved there are what gets executed). */
  'plan/open': { params: PlanPath, result: Done },
  /** Resume an open or unfinished plan in this session: it goes back to review (plan mode) on its card. */
  'plan/resume': { params: PlanPath, result: Done },
  /** UltraPlan (`/plan <task>`): start a deep planning run; `ok` once started (a refusal says why and what to do). */
  'plan/ultra': { params: z.strictObject({ task: z.string().min(1).max(20_000) }), result: Done },
  /** Abandon an open or approved plan: its file records it. */
  'plan/abandon': { params: PlanPath, result: Done },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
