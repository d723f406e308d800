// Fault injection: turns a Fault into the HTTP error it answers with (for the HTTP-level faults).
import type { ApiError, Fault } from './types';
import { promptTooLong } from './validate';

/** The real API's messages (as seen in the wild) for an exhausted spend limit. */
export const SPEND_LIMIT_MESSAGE = "This request would exceed your account's monthly spend limit. Please try again later.";
export const WORKSPACE_LIMIT_MESSAGE = 'You have reached your specified workspace API usage limits. You will regain access on 2099-01-01 at 00:00 UTC.';
export const RATE_LIMIT_MESSAGE = "This request would exceed your account's rate limit. Please try again later.";
export const OVERLOADED_MESSAGE = 'Overloaded';
export const API_ERROR_MESSAGE = 'Internal server error';

export interface FaultContext {
  inputTokens: number;
  contextWindow: number;
}

/** The HTTP error for a fault answered before any body is sent; null for stream-level faults. */
export function httpErrorFor(fault: Fault, ctx: FaultContext, stream: boolean): ApiError | null {
  switch (fault.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = {
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-limit': '50',
      };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      return { status: 429, type: 'rate_limit_error', message: fault.message ?? RATE_LIMIT_MESSAGE, headers };
    }
    case 'spend_limit': {
      // Retrying cannot help: the SDK honours `x-should-retry: false` and does not retry.
      const headers: Record<string, string> = { 'x-should-retry': 'false' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.form === 'workspace') return { status: 400, type: 'invalid_request_error', message: WORKSPACE_LIMIT_MESSAGE, headers };
      return { status: 429, type: 'rate_limit_error', message: SPEND_LIMIT_MESSAGE, headers };
    }
    case 'overloaded':
      return { status: 529, type: 'overloaded_error', message: fault.message ?? OVERLOADED_MESSAGE };
    case 'api_error':
      return { status: 500, type: 'api_error', message: fault.message ?? API_ERROR_MESSAGE };
    case 'prompt_too_long':
      return promptTooLong(fault.tokens ?? Math.max(ctx.inputTokens, ctx.contextWindow + 1), fault.maximum ?? ctx.contextWindow);
    case 'http':
      return { status: fault.status, type: fault.type, message: fault.message, ...(fault.headers ? { headers: fault.headers } : {}) };
    case 'stream_error': {
      if (stream) return null;
      const type = fault.errorType ?? 'overloaded_error';
      return { status: type === 'overloaded_error' ? 529 : 500, type, message: fault.message ?? (type === 'overloaded_error' ? OVERLOADED_MESSAGE : API_ERROR_MESSAGE) };
    }
    default:
      return null;
  }
}

/** The default body of a `garbage` fault: an event whose data is cut-off, unparseable JSON. */
export const GARBAGE_DATA = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\u00ff\u0000 ##garbage';

/** The JSON error envelope of the real API. */
export function errorBody(err: ApiError, requestId: string): Record<string, unknown> {
  return { type: 'error', error: { type: err.type, message: err.message }, request_id: requestId };
}

/** Parses a fault from loose JSON (scenario files, CLI). Throws on an unknown kind. */
export function parseFault(value: unknown): Fault {
  const f = value as { kind?: unknown };
  const kinds = ['rate_limit', 'spend_limit', 'overloaded', 'api_error', 'prompt_too_long', 'http', 'stream_error', 'reset', 'stall', 'garbage', 'not_streaming'];
  if (!f || typeof f.kind !== 'string' || !kinds.includes(f.kind)) throw new Error(`unknown fault: ${JSON.stringify(value)}`);
  if (f.kind === 'stall' && typeof (f as { ms?: unknown }).ms !== 'number') throw new Error('a stall fault needs "ms"');
  return f as Fault;
}
