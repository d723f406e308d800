/**
 * One model request with recovery: streams deltas as events, detects a stalled stream, and re-sends the SAME
 * request after retryable failures. A reply cut off mid-stream is logged as a `partial` (shown as incomplete,
 * never part of the history); nothing is added to the history and no tool runs until a response completed.
 */
import { describeError } from '../providers/errors';
import type { ErrorInfo, ModelRequest, Provider, ProviderError, StreamResult } from '../providers/types';
import type { TranscriptEntry } from '../session/entries';
import type { AgentEvent } from './events';
import type { AgentLog } from './log';
import { retryDelay, sleep, type RetryPolicy } from './retry';

export interface CallEnv {
  provider: Provider;
  retry: RetryPolicy;
  log: AgentLog;
  newId(): string;
  now(): number;
  random?(): number;
}

export type CallResult =
  | { ok: true; result: Extract<StreamResult, { ok: true }>; responseId: string; streamed: boolean }
  | { ok: false; error: ProviderError; aborted: boolean };

export function errorInfo(e: ProviderError): ErrorInfo {
  return { kind: e.kind, message: describeError(e), retryable: e.retryable };
}

const ABORTED: ProviderError = { kind: 'aborted', message: 'Stopped.', retryable: false };

export async function* callModel(req: ModelRequest, env: CallEnv, signal: AbortSignal): AsyncGenerator<AgentEvent, CallResult> {
  const record = (entry: TranscriptEntry): TranscriptEntry => { env.log.append(entry); return entry; };
  let stallRetried = false;
  for (let attempt = 1; ; attempt++) {
    const inner = new AbortController();
    const onOuterAbort = () => inner.abort();
    signal.addEventListener('abort', onOuterAbort, { once: true });
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { stalled = true; inner.abort(); }, env.retry.stallMs);
    };
    const responseId = env.newId();
    let streamed = false;
    const texts = new Map<number, string>();
    const tools = new Map<number, { id: string; name: string }>();

    yield { t: 'request', attempt, model: req.model };
    let result: StreamResult;
    arm();
    try {
      const gen = env.provider.stream(req, inner.signal);
      for (;;) {
        const step = await gen.next();
        arm();
        if (step.done) { result = step.value; break; }
        const ev = step.value;
        if (ev.type === 'text_delta' || ev.type === 'thinking_delta') {
          streamed = true;
          if (ev.type === 'text_delta') texts.set(ev.index, (texts.get(ev.index) ?? '') + ev.text);
          yield { t: 'text_delta', responseId, index: ev.index, kind: ev.type === 'text_delta' ? 'text' : 'thinking', text: ev.text };
        } else if (ev.type === 'tool_use_start') {
          streamed = true;
          tools.set(ev.index, { id: ev.id, name: ev.name });
          yield { t: 'tool_delta', responseId, index: ev.index, toolUseId: ev.id, name: ev.name, partialJson: '' };
        } else if (ev.type === 'tool_input_delta') {
          const tool = tools.get(ev.index);
          if (tool) yield { t: 'tool_delta', responseId, index: ev.index, toolUseId: tool.id, name: tool.name, partialJson: ev.partialJson };
        }
      }
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onOuterAbort);
    }

    if (result.ok) return { ok: true, result, responseId, streamed };

    const userAborted = signal.aborted;
    let error: ProviderError = result.error;
    if (stalled && !userAborted) error = { kind: 'stalled', message: `No data for ${Math.round(env.retry.stallMs / 1000)} s.`, retryable: !stallRetried };
    if (streamed) {
      const text = [...texts.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('');
      yield record({ t: 'partial', ts: env.now(), uiId: responseId, text, reason: userAborted ? 'aborted' : error.kind });
    }
    if (userAborted) return { ok: false, error: ABORTED, aborted: true };

    if (error.kind === 'stalled') stallRetried = true;
    const delay = retryDelay(attempt, error, env.retry, env.random);
    if (delay === undefined) return { ok: false, error, aborted: false };
    yield record({ t: 'retry', ts: env.now(), attempt, maxAttempts: env.retry.maxAttempts, delayMs: delay, error: errorInfo(error) });
    if (!(await sleep(delay, signal))) return { ok: false, error: ABORTED, aborted: true };
  }
}
