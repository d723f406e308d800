/** Protocol entries of the memory view (owned by the memory feature). Merged into the maps in requests.ts / events.ts. */
import * as z from 'zod';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
const PendingId = z.string().regex(/^[0-9a-f-]{36}$/);
export const MemoryType = z.enum(['user', 'feedback', 'project', 'reference']);

export const MemoryTopicSummary = z.strictObject({
  slug: Slug,
  name: z.string(),
  description: z.string(),
  type: MemoryType,
  updated: z.string(),
  source: z.string(),
  /** False when the topic file has no line in MEMORY.md. */
  indexed: z.boolean(),
});
export type MemoryTopicSummary = z.infer<typeof MemoryTopicSummary>;

export const MemoryLogEntry = z.strictObject({
  ts: z.number(),
  op: z.enum(['write', 'update', 'delete', 'held', 'approve', 'discard', 'refused']),
  slug: z.string(),
  actor: z.enum(['agent', 'user']),
  sessionId: z.string().optional(),
  toolUseId: z.string().optional(),
  evidence: z.array(z.string()).optional(),
  reason: z.string().optional(),
  pendingId: z.string().optional(),
  redactions: z.number().optional(),
});
export type MemoryLogEntry = z.infer<typeof MemoryLogEntry>;

export const MemoryPending = z.strictObject({
  id: PendingId,
  ts: z.number(),
  why: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  type: MemoryType,
  hook: z.string(),
  content: z.string(),
  actor: z.enum(['agent', 'user']),
  sessionId: z.string().optional(),
});
export type MemoryPending = z.infer<typeof MemoryPending>;

export const MemoryIndexInfo = z.strictObject({
  text: z.string(),
  lines: z.number(),
  bytes: z.number(),
  maxLines: z.number(),
  maxBytes: z.number(),
  /** Set when MEMORY.md is over its limits (shown to the user; the model is told too). */
  error: z.string().optional(),
});
export type MemoryIndexInfo = z.infer<typeof MemoryIndexInfo>;

const Ok = z.strictObject({ ok: z.boolean(), error: z.string().optional() });

export const memoryRequestSchemas = {
  /** Everything the memory view shows: the index, topics, held writes, and the newest log entries. */
  'memory/list': {
    params: z.strictObject({}),
    result: z.strictObject({ index: MemoryIndexInfo, topics: z.array(MemoryTopicSummary), pending: z.array(MemoryPending), log: z.array(MemoryLogEntry) }),
  },
  /** One topic file's raw text (front matter included), for viewing and editing. */
  'memory/read': { params: z.strictObject({ slug: Slug }), result: z.strictObject({ slug: Slug, text: z.string().nullable() }) },
  /** The user saves an edited topic (same discipline as the agent: topic first, index line second, logged). */
  'memory/save': { params: z.strictObject({ slug: Slug, text: z.string().max(64 * 1024) }), result: Ok },
  /** The user deletes a topic and its index line. */
  'memory/delete': { params: z.strictObject({ slug: Slug }), result: Ok },
  /** Approve or discard a write that was held for review (the task had read untrusted content). */
  'memory/approve': { params: z.strictObject({ id: PendingId }), result: Ok },
  'memory/discard': { params: z.strictObject({ id: PendingId }), result: Ok },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const memoryEventSchemas = {
  /** A memory changed (by the agent, the user, or another window): the log entry plus the new state of that item. */
  'memory/changed': z.strictObject({
    entry: MemoryLogEntry,
    /** The topic after the change; null when it was deleted or nothing was written (held, refused). */
    topic: MemoryTopicSummary.nullable(),
    /** A write newly held for review. */
    pending: MemoryPending.optional(),
    /** A held write that was approved or discarded. */
    pendingRemoved: z.string().optional(),
    /** The index after the change (small: at most 25 KB). */
    index: MemoryIndexInfo.optional(),
  }),
} as const satisfies Record<string, z.ZodType>;
