/**
 * One model request with recovery: streams deltas into a UI message, detects a stalled stream, and
 * re-sends the SAME request after retryable failures (the partial reply stays visible, marked incomplete;
 * nothing is added to the history and no tool runs until a response completed).
 */
import type { ChatMessage, ErrorInfo } from '../../protocol/model';
import { describeError } from '../providers/errors';
import type { ModelRequest, Provider, ProviderError, StreamResult } from '../providers/types';
import type { TranscriptEntry } from '../session/entries';
import type { RuntimeEvent } from './events';
import { retryDelay, sleep, type RetryPolicy } from './retry';

export interface CallEnv {
  provider: Provider;
  retry: RetryPolicy;
  newId(): string;
  now(): number;
  log(entry: TranscriptEntry): void;
  random?(): number;
}

export type CallResult =
  | { ok: true; result: Extract<StreamResult, { ok: true }>; message: ChatMessage | null }
  | { ok: false; error: ProviderError; aborted: boolean };

export function errorInfo(e: ProviderError): ErrorInfo {
  return { kind: e.kind, message: describeError(e), retryable: e.retryable };
}

export async function* callModel(req: ModelRequest, env: CallEnv, messages: ChatMessage[], signal: AbortSignal): AsyncGenerator<RuntimeEvent, CallResult> {
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
    let message: ChatMessage | null = null;
    const uiIndex = new Map<number, number>();
    const ensureMessage = function* (): Generator<RuntimeEvent, ChatMessage> {
      if (!message) {
        message = { id: env.newId(), role: 'assistant', blocks: [], status: 'streaming' };
        messages.push(message);
        yield { name: 'message/added', data: { message: { ...message, blocks: [] } } };
      }
      return message;
    };
    const ui = (index: number): number => {
      let i = uiIndex.get(index);
      if (i === undefined) { i = uiIndex.size; uiIndex.set(index, i); }
      return i;
    };

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
          const m = yield* ensureMessage();
          const kind = ev.type === 'text_delta' ? 'text' : 'thinking';
          const bi = ui(ev.index);
          const block = m.blocks[bi];
          if (block && (block.type === 'text' || block.type === 'thinking')) block.text += ev.text;
          else m.blocks[bi] = { type: kind, text: ev.text };
          yield { name: 'message/textDelta', data: { messageId: m.id, blockIndex: bi, kind, text: ev.text } };
        } else if (ev.type === 'tool_use_start') {
          const m = yield* ensureMessage();
          const bi = ui(ev.index);
          m.blocks[bi] = { type: 'tool_use', id: ev.id, name: ev.name, inputJson: '', status: 'streaming' };
          yield { name: 'message/toolDelta', data: { messageId: m.id, blockIndex: bi, id: ev.id, name: ev.name, inputJsonDelta: '', status: 'streaming' } };
        } else if (ev.type === 'tool_input_delta') {
          const m = message as ChatMessage | null;
          const bi = uiIndex.get(ev.index);
          const block = bi === undefined || !m ? undefined : m.blocks[bi];
          if (m && bi !== undefined && block?.type === 'tool_use') {
            block.inputJson += ev.partialJson;
            yield { name: 'message/toolDelta', data: { messageId: m.id, blockIndex: bi, id: block.id, name: block.name, inputJsonDelta: ev.partialJson, status: 'streaming' } };
          }
        }
      }
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onOuterAbort);
    }

    if (result.ok) return { ok: true, result, message };

    const userAborted = signal.aborted;
    let error: ProviderError = result.error;
    if (stalled && !userAborted) error = { kind: 'stalled', message: `No data for ${Math.round(env.retry.stallMs / 1000)} s.`, retryable: !stallRetried };
    const partial = message as ChatMessage | null;
    if (partial) {
      partial.status = 'incomplete';
      for (const b of partial.blocks) if (b.type === 'tool_use' && b.status === 'streaming') b.status = 'interrupted';
      const text = partial.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
      env.log({ t: 'partial', ts: env.now(), uiId: partial.id, text, reason: userAborted ? 'aborted' : error.kind });
      yield { name: 'message/status', data: { messageId: partial.id, status: 'incomplete' } };
    }
    if (userAborted) return { ok: false, error: { kind: 'aborted', message: 'Stopped.', retryable: false }, aborted: true };

    if (error.kind === 'stalled') stallRetried = true;
    const delay = retryDelay(attempt, error, env.retry, env.random);
    if (delay === undefined) return { ok: false, error, aborted: false };
    const info = errorInfo(error);
    env.log({ t: 'retry', ts: env.now(), attempt, delayMs: delay, error: info });
    yield { name: 'turn/retrying', data: { attempt, maxAttempts: env.retry.maxAttempts, delayMs: delay, error: info } };
    if (!(await sleep(delay, signal))) return { ok: false, error: { kind: 'aborted', message: 'Stopped.', retryable: false }, aborted: true };
  }
}
