/**
 * The messages a coordinator and its workers exchange over their WebSocket (JSON, one message per frame). Both
 * ends validate what they receive; anything else closes the connection. No secret ever travels in a message: the
 * worker proves itself once, in the handshake's Authorization header (server.ts).
 */
import { z } from 'zod';

const usage = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cacheReadTokens: z.number().nonnegative(),
  cacheWriteTokens: z.number().nonnegative(),
});

/** Worker → coordinator. */
export const WorkerMessage = z.discriminatedUnion('type', [
  /** First message after the handshake: the worker is ready for its task. */
  z.object({ type: z.literal('hello'), workerId: z.string().max(64), pid: z.number().int() }),
  /** Live progress: the tool running now, how many it ran, what it used. */
  z.object({
    type: z.literal('status'),
    currentTool: z.string().max(200).optional(),
    toolCount: z.number().int().nonnegative(),
    usage,
    costUsd: z.number().nonnegative().optional(),
  }),
  /** The task (or a follow-up message) ended; the worker waits for another message or a stop. */
  z.object({
    type: z.literal('done'),
    stop: z.string().max(40),
    report: z.string().max(200_000).optional(),
    error: z.string().max(4_000).optional(),
    toolCount: z.number().int().nonnegative(),
    usage,
    costUsd: z.number().nonnegative().optional(),
    /** The worker's transcript, relative to its worktree. */
    transcript: z.string().max(500),
  }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

/** Coordinator → worker. */
export const CoordinatorMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task'), prompt: z.string().min(1).max(100_000) }),
  z.object({ type: z.literal('message'), text: z.string().min(1).max(100_000) }),
  z.object({ type: z.literal('stop') }),
]);
export type CoordinatorMessage = z.infer<typeof CoordinatorMessage>;

/** The most bytes one frame may carry (a report is bounded well below it). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** What a worker process reads from its stdin (one JSON line) before anything else: never its command line. */
export const WorkerBoot = z.object({
  url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+\/?$/),
  token: z.string().regex(/^[0-9a-f]{64}$/),
  workerId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  apiKey: z.string().min(1).max(500).optional(),
  baseURL: z.string().max(500).optional(),
});
export type WorkerBoot = z.infer<typeof WorkerBoot>;

export function parseFrame<T>(schema: z.ZodType<T>, data: unknown): T | undefined {
  try {
    const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
