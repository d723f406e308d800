/**
 * What an agent tells whoever runs it: domain events, knowing nothing of any UI.
 *
 * Durable events are the transcript entries themselves (session/entries.ts): each is appended to the agent's
 * log before it is yielded, so what a subscriber saw is always on disk. Streaming events are the previews in
 * between (text as it arrives, a tool call's input as it is typed); a reload loses them and nothing else.
 */
import type { TranscriptEntry } from '../session/entries';

export type { StopReason, ToolCallState, ToolOutcome } from '../session/entries';

export type StreamingEvent =
  /** A model request went out (attempt > 1: a retry of the same request). */
  | { t: 'request'; attempt: number; model: string }
  /** Text or thinking streamed into block `index` of response `responseId`. */
  | { t: 'text_delta'; responseId: string; index: number; kind: 'text' | 'thinking'; text: string }
  /** A tool call's input streamed into block `index` (the first one, with partialJson '', starts the block). */
  | { t: 'tool_delta'; responseId: string; index: number; toolUseId: string; name: string; partialJson: string }
  /** A tool call was admitted and is checked (input, permissions) before it runs. */
  | { t: 'tool_validating'; toolUseId: string; name: string }
  /** Context management is working, failed, or warns that the context is nearly full (the result, when there is one, is a `compaction` entry). */
  | { t: 'compaction_progress'; state: 'running' | 'failed' | 'warning' | 'disabled'; strategy?: string; message?: string; tokens?: number };

export type AgentEvent = TranscriptEntry | StreamingEvent;

export function isStreaming(e: AgentEvent): e is StreamingEvent {
  return e.t === 'request' || e.t === 'text_delta' || e.t === 'tool_delta' || e.t === 'tool_validating' || e.t === 'compaction_progress';
}
