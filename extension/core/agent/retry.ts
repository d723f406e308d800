/** When and how long to wait before re-sending a failed request. */
import type { ProviderError } from '../providers/types';

export interface RetryPolicy {
  /** Total attempts per request, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap for computed backoff. */
  maxDelayMs: number;
  /** A server's retry-after beyond this is not waited for: the error is reported instead. */
  maxRetryAfterMs: number;
  /** A stream with no event for this long is aborted and retried once. */
  stallMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 32_000, maxRetryAfterMs: 5 * 60_000, stallMs: 90_000 };

/** The delay before attempt `attempt + 1`, or undefined when the error must not be retried. */
export function retryDelay(attempt: number, error: ProviderError, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!error.retryable || attempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    // Never earlier than the server asked; a little jitter after it spreads clients out.
    return Math.ceil(error.retryAfterMs + random() * Math.min(1_000, policy.baseDelayMs));
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter in [exp/2, exp].
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Sleep that ends early (resolving false) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(true); }, ms);
    const onAbort = () => { clearTimeout(t); resolve(false); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
