/**
 * Protocol entries of the background (issue 15): proactive mode's state and notices feed, and the last dream's
 * record for the memory view (its diff, the reasons, undo, and deletions it only proposed). Merged into the maps
 * in requests.ts / events.ts. The host decides; the webview shows and asks.
 */
import * as z from 'zod';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);

export const ProactiveState = z.enum(['off', 'watching', 'sleeping', 'over_budget']);
export type ProactiveState = z.infer<typeof ProactiveState>;

export const ProactiveInfo = z.strictObject({
  /** What the status bar also shows: off, watching, sleeping or over budget. */
  status: ProactiveState,
  /** Why, in a sentence ("sleeping until 14:00 UTC: nothing to report"). */
  detail: z.string().max(500),
  /** The setting cairn.proactive.enabled (on while the workspace is untrusted still shows status off). */
  enabled: z.boolean(),
  tickMinutes: z.number(),
  dailyBudgetUsd: z.number(),
});
export type ProactiveInfo = z.infer<typeof ProactiveInfo>;

export const BackgroundNotice = z.strictObject({
  id: z.string().max(100),
  ts: z.number(),
  title: z.string().max(200),
  /** Why the user should look now. */
  whyNow: z.string().max(1_000),
  /** What the tick looked at before raising it. */
  lookedAt: z.array(z.string().max(300)).max(30),
  urgency: z.enum(['low', 'normal', 'urgent']),
  /** A fix can be started as a normal chat task (the prompt stays on the host; the webview only asks by id). */
  hasFix: z.boolean(),
  /** Equal for notices that say the same thing: the feed shows one of them. */
  key: z.string().max(64),
});
export type BackgroundNotice = z.infer<typeof BackgroundNotice>;

export const DreamChangeInfo = z.strictObject({
  ts: z.number(),
  op: z.enum(['write', 'update', 'delete', 'propose_delete', 'hold']),
  slug: z.string().max(60),
  why: z.string().max(600),
});

export const DreamFileDiff = z.strictObject({
  /** MEMORY.md or memory/<slug>.md */
  path: z.string().max(100),
  status: z.enum(['added', 'removed', 'changed']),
  before: z.string().optional(),
  after: z.string().optional(),
});
export type DreamFileDiff = z.infer<typeof DreamFileDiff>;

export const DreamInfo = z.strictObject({
  id: Id,
  startedAt: z.number(),
  endedAt: z.number().optional(),
  status: z.enum(['running', 'done', 'failed', 'rolled_back', 'undone']),
  note: z.string().max(1_000).optional(),
  costUsd: z.number().optional(),
  changes: z.array(DreamChangeInfo),
  proposals: z.array(z.strictObject({ slug: z.string().max(60), why: z.string().max(600), state: z.enum(['proposed', 'accepted', 'rejected']) })),
  diff: z.array(DreamFileDiff),
});
export type DreamInfo = z.infer<typeof DreamInfo>;

const Ok = z.strictObject({ ok: z.boolean(), error: z.string().optional() });

export const backgroundRequestSchemas = {
  /** Everything the feed and the memory view's dream section show: proactive state, the notices, the last dream. */
  'background/state': {
    params: z.strictObject({}),
    result: z.strictObject({ proactive: ProactiveInfo, notices: z.array(BackgroundNotice), lastDream: DreamInfo.nullable() }),
  },
  /** Turn proactive mode on or off (the setting cairn.proactive.enabled, where its value comes from). */
  'proactive/set': { params: z.strictObject({ enabled: z.boolean() }), result: z.strictObject({ proactive: ProactiveInfo, warning: z.string().optional() }) },
  /** Start a notice's suggested fix as a normal chat task (its usual approvals). */
  'notice/fix': { params: z.strictObject({ id: z.string().max(100) }), result: Ok },
  /** Dismiss a notice from the feed (remembered by the host). */
  'notice/dismiss': { params: z.strictObject({ id: z.string().max(100) }), result: Ok },
  /** Dream now (skips the time, session and idle gates; not the lock). */
  'dream/now': {
    params: z.strictObject({}),
    result: z.strictObject({ status: z.enum(['done', 'skipped', 'rolled_back']), reason: z.string().optional(), dream: DreamInfo.nullable() }),
  },
  /** Undo a dream of the last 30 days: each file it changed goes back, unless it changed again since. */
  'dream/undo': {
    params: z.strictObject({ id: Id }),
    result: z.strictObject({ ok: z.boolean(), restored: z.array(z.string()), conflicts: z.array(z.string()), error: z.string().optional() }),
  },
  /** Accept or reject a deletion the dream only proposed (a memory of type user or feedback). */
  'dream/settle': { params: z.strictObject({ id: Id, slug: Slug, accept: z.boolean() }), result: Ok },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const backgroundEventSchemas = {
  /** Proactive mode's state changed (on/off, watching, sleeping, over budget). */
  'proactive/status': ProactiveInfo,
  /** A tick raised a notice. */
  'proactive/notice': BackgroundNotice,
  /** The last dream changed: a dream finished, was undone, or a proposal was settled. */
  'dream/changed': z.strictObject({ dream: DreamInfo.nullable() }),
} as const satisfies Record<string, z.ZodType>;
