/** A fake host for webview tests: records what the webview posts and talks back with MessageEvents on window. */
import { vi } from 'vitest';
import { createBridge, windowTransport, type Bridge } from '../../webview/src/bridge';
import type { ChatMessage, EventData, EventName, RequestMessage, RequestMethod, RequestResult, Snapshot } from '../../webview/src/protocol';

export class FakeHost {
  readonly posted: RequestMessage[] = [];
  readonly post = vi.fn((m: unknown) => { this.posted.push(m as RequestMessage); });
  private seq = 0;

  bridge(options: Parameters<typeof createBridge>[1] = {}): Bridge {
    return createBridge(windowTransport(this.post), { logger: quietLogger(), ...options });
  }

  /** Every request of `method` posted so far. */
  requests<M extends RequestMethod>(method: M): RequestMessage<M>[] {
    return this.posted.filter((m) => m.method === method) as RequestMessage<M>[];
  }
  lastRequest<M extends RequestMethod>(method: M): RequestMessage<M> {
    const all = this.requests(method);
    const last = all[all.length - 1];
    if (!last) throw new Error(`no ${method} request was posted (posted: ${this.posted.map((m) => m.method).join(', ') || 'none'})`);
    return last;
  }

  send(data: unknown): void {
    window.dispatchEvent(new MessageEvent('message', { data }));
  }
  reply<M extends RequestMethod>(request: RequestMessage<M>, result: RequestResult<M>): void {
    this.send({ kind: 'response', id: request.id, ok: true, result });
  }
  fail(request: RequestMessage, code: string, message: string): void {
    this.send({ kind: 'response', id: request.id, ok: false, error: { code, message } });
  }
  /** Emit an event with the next seq (or an explicit one). */
  emit<E extends EventName>(name: E, data: EventData<E>, seq?: number): number {
    this.seq = seq ?? this.seq + 1;
    this.send({ kind: 'event', seq: this.seq, name, data });
    return this.seq;
  }
  setSeq(seq: number): void {
    this.seq = seq;
  }
}

export function quietLogger() {
  return { error: vi.fn(), warn: vi.fn() };
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    sessionId: 's1',
    title: 'Test session',
    messages: [],
    turn: 'idle',
    lastError: null,
    auth: { status: 'ready', source: 'secret', demoAvailable: false },
    model: 'claude-sonnet-4-5',
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    seq: 0,
    ...overrides,
  };
}

export function userMessage(id: string, text: string): ChatMessage {
  return { id, role: 'user', blocks: [{ type: 'text', text }], status: 'complete' };
}
export function assistantMessage(id: string, blocks: ChatMessage['blocks'] = [], status: ChatMessage['status'] = 'streaming'): ChatMessage {
  return { id, role: 'assistant', blocks, status };
}

/** Let pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
