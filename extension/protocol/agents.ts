/** Subagents in the panel: a live status per subagent (a card nested in the turn) and its stop button. */
import * as z from 'zod';
import { Usage } from './model';

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

export const agentEventSchemas = {
  /** A subagent started, moved on (a tool, tokens), or finished. */
  'subagent/status': SubagentStatus,
} as const;

export const agentRequestSchemas = {
  /** Stop one subagent (its parent goes on with what it reported so far). */
  'subagent/stop': { params: z.strictObject({ agentId: z.string().max(120) }), result: z.strictObject({ stopped: z.boolean() }) },
} as const;
