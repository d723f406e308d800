/**
 * The data the host and the webview share: the conversation as the UI sees it.
 * Pure TypeScript + zod; imported by both ends (never by anything that needs `vscode`).
 */
import * as z from 'zod';
import { ReviewRequest as ReviewRequestRef } from './review';
import { SubagentStatus, WorkerStatus } from './agents';

/**
 * A tool call's state: streaming (its input is still arriving), validating, awaiting_approval (the user decides),
 * running, then done, error, cancelled (never started) or interrupted (stopped while running).
 */
export const ToolStatus = z.enum(['streaming', 'validating', 'awaiting_approval', 'running', 'done', 'error', 'cancelled', 'interrupted']);
export type ToolStatus = z.infer<typeof ToolStatus>;

export const TextBlock = z.strictObject({ type: z.literal('text'), text: z.string() });
export const ThinkingBlock = z.strictObject({ type: z.literal('thinking'), text: z.string() });
export const ToolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  /** The tool input as the model sent it (JSON text, possibly partial while streaming). */
  inputJson: z.string(),
  status: ToolStatus,
  /** The tool's one-line description of this call ("src/a.ts", "npm test"), once its input is complete. */
  title: z.string().optional(),
  /** The tool's kind (read, edit, command, memory, state, agent, external). */
  kind: z.string().optional(),
  /** A preview of the tool's output (capped), once it finished. */
  output: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  /** Why this edit is outside the approved plan (a file the plan does not name): flagged on the card. */
  offPlan: z.string().max(500).optional(),
});
/** A compaction divider: what context management did at this point of the conversation (the messages above stay). */
export const CompactionBlock = z.strictObject({
  type: z.literal('compaction'),
  strategy: z.string(),
  trigger: z.string(),
  /** Estimated tokens in context before and after. */
  before: z.number().nonnegative(),
  after: z.number().nonnegative(),
  /** What the model no longer sees, one line each. */
  dropped: z.array(z.string()),
  /** The summary the model sees instead (boundaries and collapses). */
  summary: z.string().optional(),
  source: z.string().optional(),
});
export type CompactionBlock = z.infer<typeof CompactionBlock>;

/** Shown on a user message: what was attached (the resolved content goes to the model, not the UI). */
export const AttachmentBlock = z.strictObject({ type: z.literal('attachment'), kind: z.string(), label: z.string() });
export const Block = z.discriminatedUnion('type', [TextBlock, ThinkingBlock, ToolUseBlock, AttachmentBlock, CompactionBlock]);
export type Block = z.infer<typeof Block>;

export const MessageStatus = z.enum(['streaming', 'complete', 'incomplete', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const ChatMessage = z.strictObject({
  id: z.string(),
  /** system: a marker of the session itself (a compaction divider), not a message of either side. */
  role: z.enum(['user', 'assistant', 'system']),
  blocks: z.array(Block),
  status: MessageStatus,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

import { Usage } from './usage';
export { Usage };
export type Usage = z.infer<typeof Usage>;

/** Why a provider call failed, as a value the UI can show and act on. */
export const ErrorKind = z.enum([
  'auth', 'rate_limited', 'overloaded', 'spend_limit', 'prompt_too_long', 'invalid_request',
  'server', 'network', 'stalled', 'aborted', 'unknown',
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const ErrorInfo = z.strictObject({
  kind: ErrorKind,
  message: z.string(),
  retryable: z.boolean(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const AuthState = z.strictObject({
  /** ready: a key is known; missing: the first-run screen is shown; demo: the offline emulator answers. */
  status: z.enum(['ready', 'missing', 'demo']),
  source: z.enum(['secret', 'env', 'none', 'demo']),
  /** True when an offline demo model (the local emulator) is configured and can be chosen. */
  demoAvailable: z.boolean(),
});
export type AuthState = z.infer<typeof AuthState>;

export const TurnStatus = z.enum(['idle', 'streaming', 'error']);

/** Why a task ended: named values, shown in the UI and recorded in the transcript. */
export const StopReason = z.enum(['completed', 'aborted', 'max_turns', 'budget_reached', 'prompt_too_long', 'error', 'interrupted']);
export type StopReason = z.infer<typeof StopReason>;

export const ApprovalRequestInfo = z.strictObject({
  id: z.string(),
  tool: z.string(),
  summary: z.string(),
  /** The tool's one-line description of the call. */
  title: z.string().optional(),
  detail: z.string().optional(),
  reason: z.string(),
  /** Which agent asks, when it is not the main one. */
  agent: z.string().optional(),
});
export type ApprovalRequestInfo = z.infer<typeof ApprovalRequestInfo>;

export const SessionSummary = z.strictObject({
  id: z.string(),
  title: z.string(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
  /** The conversation's words (your messages and the answers, the first 4,000 characters): what history search looks in. */
  excerpt: z.string().max(4_000).optional(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;
export type TurnStatus = z.infer<typeof TurnStatus>;

/** The one declaration of the permission modes (core re-exports the type). */
export const PermissionMode = z.enum(['ask', 'accept-edits', 'plan', 'auto']);
export type PermissionMode = z.infer<typeof PermissionMode>;

/** Something the user attached with @: the host resolves it into context for the model. */
export const Attachment = z.strictObject({
  kind: z.enum(['file', 'folder', 'problems', 'selection', 'editors', 'mcp-resource']),
  /** Workspace-relative path for file/folder (and problems of one file); absent for workspace-wide kinds. */
  path: z.string().max(4_096).optional(),
  label: z.string().max(200),
  /** An MCP resource: its server and URI (the host reads it from that server). */
  server: z.string().max(64).optional(),
  uri: z.string().max(4_096).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const ImageAttachment = z.strictObject({
  mediaType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  /** Base64 data, at most ~5 MB decoded. */
  data: z.string().max(7_000_000),
});
export type ImageAttachment = z.infer<typeof ImageAttachment>;

/** The context meter's figures. */
export const ContextInfo = z.strictObject({
  /** Tokens in context at the last request (input + cache read + cache write). */
  tokens: z.number().int().nonnegative(),
  window: z.number().int().positive(),
  /** Autocompaction starts here (window - output reserve - buffer). */
  compactAt: z.number().int().positive(),
});
export type ContextInfo = z.infer<typeof ContextInfo>;

export const TodoItem = z.strictObject({ content: z.string(), status: z.enum(['pending', 'in_progress', 'completed']) });
export type TodoItem = z.infer<typeof TodoItem>;

export const JobInfo = z.strictObject({ id: z.string(), command: z.string(), log: z.string(), running: z.boolean(), exit: z.number().int().nullable().optional() });
export type JobInfo = z.infer<typeof JobInfo>;

/** A step of a plan, as the plan card shows it. */
export const PlanStepInfo = z.strictObject({ text: z.string(), files: z.array(z.string()), state: z.enum(['todo', 'in_progress', 'done', 'skipped']) });
export type PlanStepInfo = z.infer<typeof PlanStepInfo>;

/** A proposed plan waiting for the user: the plan it approves, as it was on disk when asked. */
export const PlanRequestInfo = z.strictObject({
  id: z.string(),
  /** Issued by the host for this decision: an answer without it is refused. */
  nonce: z.string(),
  /** Workspace-relative path of the plan file. */
  path: z.string(),
  title: z.string(),
  summary: z.string(),
  steps: z.array(PlanStepInfo),
  risks: z.array(z.string()),
  verification: z.string(),
});
export type PlanRequestInfo = z.infer<typeof PlanRequestInfo>;

/** Something only the user can decide. One list, one answer request (decision/answer), whatever the kind. */
export const PendingDecision = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('approval'), request: ApprovalRequestInfo }),
  z.strictObject({ kind: z.literal('plan'), request: PlanRequestInfo }),
  z.strictObject({ kind: z.literal('review'), request: ReviewRequestRef }),
]);
export type PendingDecision = z.infer<typeof PendingDecision>;

/** How a decision ended. */
export const DecisionOutcome = z.enum(['approved', 'rejected', 'applied', 'partial', 'withdrawn']);
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;

/** Context management as the panel shows it (the meter's compaction line, the warning, the circuit breaker). */
export const CompactionStatus = z.strictObject({
  /** idle, running (a strategy is working), warning (close to the mark), failed (the last try), disabled (three failures in a row). */
  state: z.enum(['idle', 'running', 'warning', 'failed', 'disabled']),
  /** Automatic compaction is on (setting cairn.compaction.auto) and not switched off by failures. */
  auto: z.boolean(),
  strategy: z.string().optional(),
  message: z.string().optional(),
  /** The last compaction that ran. */
  last: z.strictObject({ id: z.string(), strategy: z.string(), before: z.number(), after: z.number(), at: z.number(), dropped: z.array(z.string()) }).optional(),
});
export type CompactionStatus = z.infer<typeof CompactionStatus>;

export const Snapshot = z.strictObject({
  sessionId: z.string(),
  title: z.string(),
  messages: z.array(ChatMessage),
  turn: TurnStatus,
  lastError: ErrorInfo.nullable(),
  auth: AuthState,
  model: z.string(),
  usage: Usage,
  /** Cost of the session so far in USD (absent when the model has no known price). */
  costUsd: z.number().nonnegative().optional(),
  mode: PermissionMode.optional(),
  /** Notices about this session the user has not seen yet (e.g. it was resumed mid-turn). */
  notices: z.array(z.strictObject({ level: z.enum(['info', 'warning', 'error']), message: z.string() })).optional(),
  context: ContextInfo.optional(),
  /** The agent's task list (the latest todo call that succeeded). */
  todo: z.array(TodoItem).optional(),
  /** This session's background jobs. */
  jobs: z.array(JobInfo).optional(),
  compaction: CompactionStatus.optional(),
  /** A turn was cut off without ending (the window was reloaded mid-turn): Continue picks it up. */
  resumable: z.boolean().optional(),
  /** Everything waiting for the user's decision (approvals, diff reviews, ...), oldest first. */
  pendingDecisions: z.array(PendingDecision).optional(),
  /** Coordinator mode: the agent orchestrates workers (a new session's tools follow it). */
  coordinator: z.boolean().optional(),
  /** The last status of each subagent and worker of this session (cards survive a reload). */
  subagents: z.array(SubagentStatus).optional(),
  workers: z.array(WorkerStatus).optional(),
  /** The sequence number of the last event folded into this snapshot. */
  seq: z.number().int().nonnegative(),
});
export type Snapshot = z.infer<typeof Snapshot>;
