/**
 * The typed client over the transport: requests with ids, timeouts and validated results; events validated
 * and delivered to subscribers. Anything malformed or unknown is logged, reported to the host once, and ignored.
 */
import {
  parseHostMessage, parseResult,
  type EventMessage, type RequestMessage, type RequestMethod, type RequestParams, type RequestResult,
} from '../protocol';
import type { Transport } from './transport';

export type BridgeErrorCode = 'timeout' | 'host_error' | 'invalid_result' | 'disposed';

/** Why a request failed; `message` is written to be shown to the user. */
export class BridgeError extends Error {
  constructor(message: string, readonly code: BridgeErrorCode, readonly method: RequestMethod, readonly hostCode?: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

export interface RequestOptions {
  /** Milliseconds before the request fails with a `timeout` BridgeError (0: never). */
  timeoutMs?: number;
}

export interface Bridge {
  request<M extends RequestMethod>(method: M, params: RequestParams<M>, options?: RequestOptions): Promise<RequestResult<M>>;
  /** Subscribe to validated host events; returns an unsubscribe function. */
  onEvent(listener: (event: EventMessage) => void): () => void;
  /** Fire-and-forget `webview/reportError`; never throws; the same message is reported only once. */
  reportError(message: string, stack?: string): void;
  dispose(): void;
}

export interface BridgeOptions {
  /** Default request timeout in ms (per-method defaults below win over nothing, the call's option wins over both). */
  timeoutMs?: number;
  /** Where problems are logged (defaults to console). */
  logger?: Pick<Console, 'error' | 'warn'>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Requests that wait for the user (VS Code's password box) get far longer. */
// A dream may run for minutes (up to 40 requests); its result comes back when it ends.
const METHOD_TIMEOUT_MS: Partial<Record<RequestMethod, number>> = { 'auth/promptKey': 10 * 60_000, 'dream/now': 30 * 60_000 };
/** At most this many distinct problems are reported to the host per page (a flood stays local). */
const MAX_REPORTS = 20;
const LOG = '[cairn/bridge]';

interface Pending {
  method: RequestMethod;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function createBridge(transport: Transport, options: BridgeOptions = {}): Bridge {
  const log = options.logger ?? console;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: EventMessage) => void>();
  const reported = new Set<string>();
  let nextId = 1;
  let disposed = false;

  function reportError(message: string, stack?: string): void {
    if (disposed) return;
    const key = message.slice(0, 500);
    if (reported.has(key) || reported.size >= MAX_REPORTS) return;
    reported.add(key);
    const params = stack === undefined
      ? { message: message.slice(0, 10_000) }
      : { message: message.slice(0, 10_000), stack: stack.slice(0, 20_000) };
    // Not through request(): a failing report must not produce another report.
    const id = nextId++;
    const msg: RequestMessage<'webview/reportError'> = { kind: 'request', id, method: 'webview/reportError', params };
    pending.set(id, { method: 'webview/reportError', resolve: () => {}, reject: () => {}, timer: undefined });
    transport.post(msg);
  }

  function settle(id: number): Pending | undefined {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    if (p.timer !== undefined) clearTimeout(p.timer);
    return p;
  }

  function onRaw(raw: unknown): void {
    if (disposed) return;
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      log.error(`${LOG} rejected a message from the host (${parsed.error.code}): ${parsed.error.message}`);
      reportError(`webview rejected a host message (${parsed.error.code}): ${parsed.error.message}`);
      return;
    }
    const msg = parsed.value;
    if (msg.kind === 'event') {
      for (const l of [...listeners]) {
        try {
          l(msg);
        } catch (err) {
          log.error(`${LOG} event listener failed on ${msg.name}:`, err);
          reportError(`event listener failed on ${msg.name}: ${errorText(err)}`, errorStack(err));
        }
      }
      return;
    }
    const p = settle(msg.id);
    if (!p) {
      log.warn(`${LOG} response for unknown or expired request id ${msg.id} ignored`);
      return;
    }
    if (p.method === 'webview/reportError') return;
    if (!msg.ok) {
      p.reject(new BridgeError(msg.error.message, 'host_error', p.method, msg.error.code));
      return;
    }
    const result = parseResult(p.method, msg.result);
    if (!result.ok) {
      log.error(`${LOG} ${result.error.message}`);
      reportError(`webview rejected a host response: ${result.error.message}`);
      p.reject(new BridgeError(`The extension sent an invalid answer to ${p.method}.`, 'invalid_result', p.method));
      return;
    }
    p.resolve(result.value);
  }

  const unlisten = transport.listen(onRaw);

  return {
    request(method, params, opts = {}) {
      if (disposed) return Promise.reject(new BridgeError('The view was closed.', 'disposed', method));
      const id = nextId++;
      const timeoutMs = opts.timeoutMs ?? METHOD_TIMEOUT_MS[method] ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      return new Promise((resolve, reject) => {
        const timer = timeoutMs > 0
          ? setTimeout(() => {
              if (!settle(id)) return;
              log.error(`${LOG} ${method} (id ${id}) timed out after ${timeoutMs} ms`);
              reject(new BridgeError(`The extension did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`, 'timeout', method));
            }, timeoutMs)
          : undefined;
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
        const msg: RequestMessage = { kind: 'request', id, method, params } as RequestMessage;
        transport.post(msg);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportError,
    dispose() {
      if (disposed) return;
      disposed = true;
      unlisten();
      listeners.clear();
      for (const [id, p] of [...pending]) {
        settle(id);
        p.reject(new BridgeError('The view was closed.', 'disposed', p.method));
      }
    },
  };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  try {
    return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

export function errorStack(err: unknown): string | undefined {
  return err instanceof Error && typeof err.stack === 'string' ? err.stack : undefined;
}
