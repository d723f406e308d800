/** Turns whatever the SDK or the network threw into a typed ProviderError the loop and the UI can act on. */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ProviderError } from './types';

const SPEND_LIMIT = /spend(ing)? limit|usage limit|credit balance|billing|monthly limit/i;

export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const raw = headers?.get('retry-after-ms') ?? undefined;
  if (raw && /^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw));
  const ra = headers?.get('retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.round(Number(ra) * 1000);
  const when = Date.parse(ra);
  return Number.isNaN(when) ? undefined : Math.max(0, when - now);
}

function fromApiType(type: string | null | undefined, message: string, status?: number): ProviderError | undefined {
  switch (type) {
    case 'overloaded_error': return { kind: 'overloaded', message, retryable: true, status };
    case 'rate_limit_error':
      return SPEND_LIMIT.test(message)
        ? { kind: 'spend_limit', message, retryable: false, status }
        : { kind: 'rate_limited', message, retryable: true, status };
    case 'api_error': return { kind: 'server', message, retryable: true, status };
    case 'authentication_error':
    case 'permission_error': return { kind: 'auth', message, retryable: false, status };
    case 'billing_error': return { kind: 'spend_limit', message, retryable: false, status };
    case 'invalid_request_error':
      return /prompt is too long/i.test(message)
        ? { kind: 'prompt_too_long', message, retryable: false, status }
        : { kind: 'invalid_request', message, retryable: false, status };
    default: return undefined;
  }
}

export function classifyError(err: unknown): ProviderError {
  if (err instanceof APIUserAbortError) return { kind: 'aborted', message: 'Stopped.', retryable: false };
  if (err instanceof APIConnectionTimeoutError) return { kind: 'stalled', message: 'The request timed out.', retryable: true };
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    return { kind: 'network', message: `Connection failed${cause ? `: ${cause}` : ''}.`, retryable: true };
  }
  if (err instanceof APIError) {
    const status = typeof err.status === 'number' ? err.status : undefined;
    const message = err.apiMessage ?? err.message;
    const typed = fromApiType(err.type, message, status);
    const retryAfterMs = parseRetryAfter(err.headers);
    // The API marks errors that must not be retried (an exhausted spend limit among them).
    if (status === 429 && err.headers?.get('x-should-retry') === 'false') return { kind: 'spend_limit', message, retryable: false, status };
    const withRetry = (e: ProviderError): ProviderError => (retryAfterMs !== undefined ? { ...e, retryAfterMs } : e);
    if (typed) return withRetry(typed);
    if (status === 401 || status === 403) return { kind: 'auth', message, retryable: false, status };
    if (status === 429) return withRetry(SPEND_LIMIT.test(message) ? { kind: 'spend_limit', message, retryable: false, status } : { kind: 'rate_limited', message, retryable: true, status });
    if (status === 529) return withRetry({ kind: 'overloaded', message, retryable: true, status });
    if (status !== undefined && status >= 500) return withRetry({ kind: 'server', message, retryable: true, status });
    if (status === 400 || status === 404 || status === 413 || status === 422) return { kind: 'invalid_request', message, retryable: false, status };
    return { kind: 'unknown', message, retryable: false, status };
  }
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'aborted', message: 'Stopped.', retryable: false };
  if (isDroppedConnection(err)) return { kind: 'network', message: 'The connection dropped mid-response.', retryable: true };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', message, retryable: false };
}

/** A short, user-facing explanation with what to do next. */
export function describeError(e: ProviderError): string {
  const then = (fallback: string) => e.hint ?? fallback;
  switch (e.kind) {
    case 'auth': return `The API key was rejected (${e.message}). ${then('Run "Cairn: Set API Key" to enter a valid key (headless: export a valid ANTHROPIC_API_KEY).')}`;
    case 'spend_limit': return `Your Anthropic spend limit has been reached (${e.message}). Raise it in the Anthropic console; Cairn will not retry.`;
    case 'rate_limited': return `Rate limited by the API (${e.message}).`;
    case 'overloaded': return `The API is overloaded right now (${e.message}).`;
    case 'prompt_too_long': return `The conversation is longer than the model's context window (${e.message}).`;
    case 'network': return `${e.message} ${then('Check your connection or the base URL (the cairn.baseUrl setting or ANTHROPIC_BASE_URL).')}`;
    case 'stalled': return `The response stalled (${e.message}).`;
    case 'aborted': return 'Stopped.';
    default: return e.hint ? `${e.message} ${e.hint}` : e.message;
  }
}

/** A socket that closed after the response started (undici reports "terminated" with a socket cause). */
function isDroppedConnection(err: unknown): boolean {
  const codes = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_BODY_TIMEOUT']);
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const x = e as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof x.code === 'string' && codes.has(x.code)) return true;
    if (depth === 0 && (x.message === 'terminated' || x.message === 'fetch failed')) return true;
    e = x.cause;
  }
  return false;
}
