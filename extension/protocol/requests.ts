/** Requests: the webview asks, the host answers. One entry per method: params and result schemas. */
import * as z from 'zod';
import { agentRequestSchemas } from './agents';
import { backgroundRequestSchemas } from './background';
import { memoryRequestSchemas } from './memory';
import { mcpRequestSchemas } from './mcp';
import { Attachment, ImageAttachment, PermissionMode, SessionSummary, Snapshot } from './model';
import { panelRequestSchemas } from './panel';
import { planRequestSchemas } from './plans';
import { ReviewAnswer, reviewRequestSchemas } from './review';

const Empty = z.strictObject({});


/** The user's answer to a proposed plan; `nonce` must be the one the host issued with the decision. */
export const PlanAnswer = z.strictObject({
  kind: z.literal('plan'),
  nonce: z.string().min(16).max(200),
  choice: z.enum(['approve-auto', 'approve-review', 'keep-planning']),
  feedback: z.string().max(20_000).optional(),
  /** The steps as edited on the card, in their new order. */
  steps: z.array(z.strictObject({ text: z.string().max(500), files: z.array(z.string().max(300)).max(30) })).max(100).optional(),
  comments: z.array(z.strictObject({ step: z.number().int().min(1).max(100), text: z.string().max(2_000) })).max(100).optional(),
});

export const requestSchemas = {
  /** A (re)loaded or re-shown webview asks once for the whole state; afterwards only events flow. */
  'session/snapshot': { params: Empty, result: Snapshot },
  /** Send a user message; the reply streams back as events. */
  'chat/send': {
    params: z.strictObject({
      text: z.string().min(1).max(200_000),
      attachments: z.array(Attachment).max(50).optional(),
      images: z.array(ImageAttachment).max(10).optional(),
    }),
    result: z.strictObject({ messageId: z.string() }),
  },
  /** Stop the running turn (no-op when idle). */
  'chat/stop': { params: Empty, result: z.strictObject({ stopped: z.boolean() }) },
  /** Retry the last failed turn. */
  'chat/retry': { params: Empty, result: z.strictObject({ retried: z.boolean() }) },
  /** Continue the task without a new message (after a resume or a stop). */
  'chat/continue': { params: Empty, result: z.strictObject({ continued: z.boolean() }) },
  /** /compact: summarise the conversation now, optionally focused by instructions (not while a turn runs). */
  'chat/compact': { params: z.strictObject({ instructions: z.string().max(4_000).optional() }), result: z.strictObject({ compacted: z.boolean() }) },
  /** The session notes (kept up to date as the session grows; what compaction uses first). */
  'session/notes': { params: Empty, result: z.strictObject({ text: z.string().optional(), updated: z.number().optional() }) },
  /** What undo would restore (asked before undoing, so the user confirms a named turn); null when nothing. */
  'checkpoint/preview': {
    params: Empty,
    result: z.strictObject({
      target: z.strictObject({ turn: z.number(), prompt: z.string(), turnsAgo: z.number().int().nonnegative(), files: z.array(z.string()) }).nullable(),
    }),
  },
  /**
   * Undo the most recent turn's file changes (restores the checkpoint taken before it). `turn`: the one the
   * user confirmed; if another would be undone now, nothing is and an error says so.
   */
  'checkpoint/undo': {
    params: z.strictObject({ turn: z.number().optional() }),
    result: z.strictObject({ undone: z.boolean(), restored: z.array(z.string()), deleted: z.array(z.string()), skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })) }),
  },
  /** Change the permission mode (ask, accept-edits, plan, auto); the tool list never changes. */
  'mode/set': { params: z.strictObject({ mode: PermissionMode }), result: z.strictObject({ mode: PermissionMode }) },
  /** Rename or delete a past session. */
  'session/rename': { params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/), title: z.string().min(1).max(200) }), result: z.strictObject({ ok: z.boolean() }) },
  'session/delete': { params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) }), result: z.strictObject({ ok: z.boolean() }) },
  /** Past sessions of this workspace, newest first. */
  'session/list': { params: Empty, result: z.strictObject({ sessions: z.array(SessionSummary) }) },
  /** Reopen a past session (its transcript is replayed; nothing is re-run). */
  'session/open': { params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) }), result: z.strictObject({ ok: z.boolean() }) },
  /** Start a fresh session. */
  'session/new': { params: Empty, result: z.strictObject({ sessionId: z.string() }) },
  /** Ask the host to prompt for the API key (VS Code's password input; the key never passes through the webview). */
  'auth/promptKey': { params: Empty, result: z.strictObject({ stored: z.boolean() }) },
  /** Use the offline demo model (the local emulator) when no key is set. */
  'auth/useDemo': { params: Empty, result: z.strictObject({ ok: z.boolean() }) },
  /** Answer a pending decision (an approval or a diff review). Only the host's own pending ids are accepted. */
  'decision/answer': {
    params: z.strictObject({
      id: z.string().max(200),
      answer: z.discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('approval'),
          decision: z.enum(['approve', 'reject']),
          scope: z.enum(['once', 'session', 'workspace', 'user']).optional(),
          reason: z.string().max(2_000).optional(),
        }),
        ReviewAnswer,
        PlanAnswer,
      ]),
    }),
    result: z.strictObject({ ok: z.boolean() }),
  },
  /** The webview reports an error it caught (rendering, bridge); the host logs it. */
  'webview/reportError': {
    params: z.strictObject({ message: z.string().max(10_000), stack: z.string().max(20_000).optional() }),
    result: Empty,
  },
  ...agentRequestSchemas,
  ...memoryRequestSchemas,
  ...mcpRequestSchemas,
  ...panelRequestSchemas,
  ...planRequestSchemas,
  ...reviewRequestSchemas,
  ...backgroundRequestSchemas,
} as const;

export type RequestSchemas = typeof requestSchemas;
export type RequestMethod = keyof RequestSchemas;
export type RequestParams<M extends RequestMethod> = z.infer<RequestSchemas[M]['params']>;
export type RequestResult<M extends RequestMethod> = z.infer<RequestSchemas[M]['result']>;
