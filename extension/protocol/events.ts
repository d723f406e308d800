/** Events: the host streams deltas to the webview. Each carries only what changed. */
import { z } from 'zod';
import { AuthState, ChatMessage, ErrorInfo, TurnStatus, Usage } from './model';

export const eventSchemas = {
  /** A new session replaced the current one (the webview clears its conversation). */
  'session/started': z.strictObject({ sessionId: z.string(), title: z.string() }),
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
    status: z.enum(['streaming', 'pending', 'running', 'done', 'error', 'interrupted']),
  }),
  /** A message's status changed (complete, incomplete after a cut-off stream, error). */
  'message/status': z.strictObject({ messageId: z.string(), status: ChatMessage.shape.status }),
  /** The turn started, ended, or failed. */
  'turn/status': z.strictObject({ turn: TurnStatus, error: ErrorInfo.nullable() }),
  /** Token usage of the session so far (cumulative). */
  'usage/updated': z.strictObject({ usage: Usage }),
  /** The API key appeared, disappeared, or the demo model was chosen. */
  'auth/changed': z.strictObject({ auth: AuthState }),
  /** The model setting changed. */
  'config/changed': z.strictObject({ model: z.string() }),
} as const;

export type EventSchemas = typeof eventSchemas;
export type EventName = keyof EventSchemas;
export type EventData<E extends EventName> = z.infer<EventSchemas[E]>;
