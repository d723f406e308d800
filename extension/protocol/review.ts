/**
 * Per-hunk review of a proposed edit. The host shows the diff (VS Code's diff editor and the panel);
 * the user accepts or rejects each hunk, or edits the proposed text, then answers.
 */
import * as z from 'zod';

export const ReviewHunk = z.strictObject({
  index: z.number().int().nonnegative(),
  /** The unified-diff header, e.g. "@@ -10,4 +10,6 @@". */
  header: z.string(),
  /** Lines with their unified-diff prefix: ' ' context, '-' removed, '+' added. */
  lines: z.array(z.string()),
});
export type ReviewHunk = z.infer<typeof ReviewHunk>;

export const ReviewRequest = z.strictObject({
  id: z.string(),
  /** Workspace-relative path. */
  path: z.string(),
  tool: z.string(),
  hunks: z.array(ReviewHunk),
  /** True when the file does not exist yet. */
  isNew: z.boolean(),
});
export type ReviewRequest = z.infer<typeof ReviewRequest>;

/** How the user answers a review: the hunks to apply (all others are rejected), or reject all. */
export const ReviewAnswer = z.strictObject({
  kind: z.literal('review'),
  decision: z.enum(['apply', 'reject']),
  acceptedHunks: z.array(z.number().int().nonnegative()).max(10_000).optional(),
  reason: z.string().max(2_000).optional(),
});
export type ReviewAnswer = z.infer<typeof ReviewAnswer>;

export const reviewRequestSchemas = {
  /** Open the proposed change in VS Code's diff editor (where the proposed side can be edited before accepting). */
  'review/openDiff': { params: z.strictObject({ id: z.string() }), result: z.strictObject({ ok: z.boolean() }) },
} as const;
