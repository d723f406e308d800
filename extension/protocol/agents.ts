/**
 * Subagents and coordinator workers in the panel: a live status per subagent or worker (a card nested in the turn),
 * its stop button, its transcript (read-only), and a finished worker's changes offered for review.
 */
import * as z from 'zod';
import { Usage } from './usage';

export const SubagentState = z.enum(['queued', 'running', 'completed', 'error', 'aborted', 'interrupted']);

export const SubagentStatus = z.strictObject({
  agentId: z.string().max(120),
  /** The parent's `agent` tool call that started it (the card sits in that tool's place). */
  toolUseId: z.string().max(200),
  type: z.string().max(40),
  description: z.string().max(200),
  depth: z.number().int().min(1).max(8),
  state: SubagentState,
  /** The tool it runs now ("Read src/a.ts"). */
  currentTool: z.string().max(200).optional(),
  toolCount: z.number().int().nonnegative(),
  usage: Usage,
  costUsd: z.number().nonnegative().optional(),
  /** Its report (a preview), once it has one. */
  report: z.string().max(4_000).optional(),
  /** Its transcript, relative to the workspace. */
  transcript: z.string().max(500),
});
export type SubagentStatus = z.infer<typeof SubagentStatus>;

export const WorkerState = z.enum(['starting', 'running', 'done', 'error', 'stopped', 'crashed']);

export const WorkerFile = z.strictObject({
  path: z.string().max(1000),
  status: z.enum(['added', 'modified', 'deleted']),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  binary: z.boolean(),
});

/** A coordinator's worker: a separate process in its own worktree. */
export const WorkerStatus = z.strictObject({
  workerId: z.string().max(64),
  /** The coordinator's `start_worker` call (the card sits in that tool's place). */
  toolUseId: z.string().max(200),
  description: z.string().max(200),
  state: WorkerState,
  currentTool: z.string().max(200).optional(),
  toolCount: z.number().int().nonnegative(),
  usage: Usage,
  costUsd: z.number().nonnegative().optional(),
  report: z.string().max(4_000).optional(),
  error: z.string().max(2_000).optional(),
  isolation: z.enum(['worktree', 'copy']),
  /** Its folder (kept after a crash). */
  worktree: z.string().max(1000),
  /** What it changed, once it finished. */
  files: z.array(WorkerFile).max(2000).optional(),
  /** Its diff, relative to the workspace. */
  diffPath: z.string().max(500).optional(),
  /** Its transcript (absolute: it lives in the worker's folder). */
  transcript: z.string().max(1000).optional(),
});
export type WorkerStatus = z.infer<typeof WorkerStatus>;

export const agentEventSchemas = {
  /** A subagent started, moved on (a tool, tokens), or finished. */
  'subagent/status': SubagentStatus,
  /** A coordinator's worker started, moved on, or finished (with its changed files and diff). */
  'worker/status': WorkerStatus,
  /** Coordinator mode was switched (it applies from the next session). */
  'coordinator/changed': z.strictObject({ on: z.boolean() }),
} as const;

export const agentRequestSchemas = {
  /** Stop one subagent (its parent goes on with what it reported so far). */
  'subagent/stop': { params: z.strictObject({ agentId: z.string().max(120) }), result: z.strictObject({ stopped: z.boolean() }) },
  /** Open a subagent's or worker's transcript, read-only. */
  'agent/openTranscript': { params: z.strictObject({ agentId: z.string().max(120) }), result: z.strictObject({ ok: z.boolean() }) },
  /** Stop one worker (its changes so far are kept as a diff). */
  'worker/stop': { params: z.strictObject({ workerId: z.string().max(64) }), result: z.strictObject({ stopped: z.boolean() }) },
  /** Offer a finished worker's changes for review, file by file, in the panel's diff review. */
  'worker/review': { params: z.strictObject({ workerId: z.string().max(64) }), result: z.strictObject({ offered: z.number().int().nonnegative(), problems: z.array(z.string()) }) },
  /** Switch coordinator mode; a session that has messages keeps its tools, so a new session starts. */
  'coordinator/set': { params: z.strictObject({ on: z.boolean() }), result: z.strictObject({ on: z.boolean(), newSession: z.boolean() }) },
} as const;
