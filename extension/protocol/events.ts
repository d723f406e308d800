/** Events: the host streams deltas to the webview. Each carries only what changed. */
import * as z from 'zod';
import { agentEventSchemas } from './agents';
import { backgroundEventSchemas } from './background';
import { memoryEventSchemas } from './memory';
import { mcpEventSchemas } from './mcp';
import { panelEventSchemas } from './panel';
import { AuthState, ChatMessage, CompactionStatus, ContextInfo, DecisionOutcome, ErrorInfo, JobInfo, PendingDecision, PermissionMode, StopReason, TodoItem, ToolStatus, TurnStatus, Usage } from './model';

export const eventSchemas = {
  /** A new session replaced the current one (the webview clears its conversation). */
  'session/started': z.strictObject({ sessionId: z.string(), title: z.string() }),
  /** The session got a (new) title. */
  'session/title': z.strictObject({ sessionId: z.string(), title: z.string() }),
  /** A whole message was added (a user message, or an empty assistant message that deltas will fill). */
  'message/added': z.strictObject({ message: ChatMessage }),
  /** Text appended to a text or thinking block of a message (the block is created when index == length). */
  'message/textDelta': z.strictObject({
    messageId: z.string(),
    blockIndex: z.number().int().nonnegative(),
    kind: z.enum(['text', 'thinking']),
    text: z.string(),
  }),
  /** A tool_use block started, grew, or changed status. */
  'message/toolDelta': z.strictObject({
    messageId: z.string(),
    blockIndex: z.number().int().nonnegative(),
    id: z.string(),
    name: z.string(),
    inputJsonDelta: z.string(),
    status: ToolStatus,
    /** The tool's description of the call, once known. */
    title: z.string().optional(),
  }),
  /** A message's status changed (complete, incomplete after a cut-off stream, error). */
  'message/status': z.strictObject({ messageId: z.string(), status: ChatMessage.shape.status }),
  /** The turn started, ended, or failed. */
  'turn/status': z.strictObject({ turn: TurnStatus, error: ErrorInfo.nullable(), stopReason: StopReason.optional() }),
  /** A request failed and will be re-sent after a delay (the retry budget is visible). */
  'turn/retrying': z.strictObject({ attempt: z.number().int().positive(), maxAttempts: z.number().int().positive(), delayMs: z.number().nonnegative(), error: ErrorInfo }),
  /** A tool finished (or was interrupted); `output` is a capped preview for the tool card. */
  'tool/result': z.strictObject({
    messageId: z.string(),
    blockIndex: z.number().int().nonnegative(),
    toolUseId: z.string(),
    status: z.enum(['done', 'error', 'cancelled', 'interrupted']),
    output: z.string(),
    durationMs: z.number().nonnegative(),
    /** Why the edit is outside the approved plan (flagged on the card), when it is. */
    offPlan: z.string().max(500).optional(),
  }),
  /** Token usage of the session so far (cumulative), the last request's usage, and the cost in USD. */
  'usage/updated': z.strictObject({ usage: Usage, lastRequest: Usage.optional(), costUsd: z.number().nonnegative().optional(), context: ContextInfo.optional() }),
  /** The permission mode changed. */
  'mode/changed': z.strictObject({ mode: PermissionMode }),
  /** Something waits for the user's decision (an approval, a diff review...); re-sent with the same id when it changes. */
  'decision/requested': z.strictObject({ decision: PendingDecision }),
  /** A decision was answered (here or in another view) or withdrawn. */
  'decision/resolved': z.strictObject({ id: z.string(), outcome: DecisionOutcome }),
  /** Context management started, finished, failed, warns, or was switched off (the divider comes as a message). */
  'compaction/status': CompactionStatus,
  /** The agent's task list changed. */
  'todo/changed': z.strictObject({ items: z.array(TodoItem) }),
  /** The session's background jobs changed. */
  'jobs/changed': z.strictObject({ jobs: z.array(JobInfo) }),
  /** The API key appeared, disappeared, or the demo model was chosen. */
  'auth/changed': z.strictObject({ auth: AuthState }),
  /** Something the user should know about the session (e.g. a damaged transcript line was skipped). */
  'session/notice': z.strictObject({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  /** The model setting changed. */
  'config/changed': z.strictObject({ model: z.string() }),
  ...memoryEventSchemas,
  ...mcpEventSchemas,
  ...agentEventSchemas,
  ...panelEventSchemas,
  ...backgroundEventSchemas,
} as const;

export type EventSchemas = typeof eventSchemas;
export type EventName = keyof EventSchemas;
export type EventData<E extends EventName> = z.infer<EventSchemas[E]>;
