/** The provider boundary: what the agent loop asks of a model, and what comes back, as values. */
import type Anthropic from '@anthropic-ai/sdk';

/** Token usage of one request (or a sum of requests). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Why a provider call failed. */
export type ErrorKind =
  | 'auth' | 'rate_limited' | 'overloaded' | 'spend_limit' | 'prompt_too_long' | 'invalid_request'
  | 'server' | 'network' | 'stalled' | 'aborted' | 'unknown';

/** A failure as a value the caller can show and act on. */
export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  retryable: boolean;
}

/** A conversation message (user or assistant; system text goes in `system`). */
export type ApiMessage = Anthropic.UserMessageParam | Anthropic.AssistantMessageParam;
export type ApiContentBlock = Anthropic.ContentBlock;
export type ApiTool = Anthropic.Tool;
export type ApiSystemBlock = Anthropic.TextBlockParam;

export interface ModelRequest {
  model: string;
  maxTokens: number;
  system?: ApiSystemBlock[];
  tools?: ApiTool[];
  messages: ApiMessage[];
  thinking?: { type: 'adaptive' } | { type: 'disabled' } | { type: 'enabled'; budget_tokens: number };
}

/** A normalized stream event. Indexes are the content block indexes of the response. */
export type StreamEvent =
  | { type: 'message_start'; id: string; model: string; usage: Usage }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string }
  | { type: 'tool_use_start'; index: number; id: string; name: string }
  | { type: 'tool_input_delta'; index: number; partialJson: string }
  | { type: 'block_stop'; index: number }
  | { type: 'message_delta'; stopReason: string | null; usage: Partial<Usage> };

export interface ProviderError {
  kind: ErrorKind;
  message: string;
  retryable: boolean;
  status?: number;
  /** From a `retry-after` header, when the server sent one. */
  retryAfterMs?: number;
  /** What the user can do about it, when the provider knows better than the generic advice. */
  hint?: string;
}

export type StreamResult =
  | { ok: true; content: ApiContentBlock[]; stopReason: string | null; usage: Usage }
  | { ok: false; error: ProviderError };

export interface Provider {
  /** Stream one model response. Never throws: failures come back as `{ ok: false, error }`. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, StreamResult>;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  return {
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    cacheReadTokens: a.cacheReadTokens + (b.cacheReadTokens ?? 0),
    cacheWriteTokens: a.cacheWriteTokens + (b.cacheWriteTokens ?? 0),
  };
}
