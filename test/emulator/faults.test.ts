import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, SPEND_LIMIT_MESSAGE } from './index';
import { client, filler, MODEL } from './helpers';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ contextWindow: 1000, maxStallMs: 2000 });
});
afterEach(async () => {
  await emu.close();
});

const params = { model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content: 'hello' }] };
function expectSocketDrop(err: unknown) {
  expect(err).toBeInstanceOf(Anthropic.AnthropicError);
  expect(err).not.toBeInstanceOf(Anthropic.APIError);
  expect((err as Error).message).toBe('terminated');
  const socketError = ((err as Error).cause as Error | undefined)?.cause as { code?: string } | undefined;
  expect(socketError?.code).toBe('UND_ERR_SOCKET');
}
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as InstanceType<typeof Anthropic.APIError>);

describe('HTTP faults seen by the real SDK', () => {
  it('429 rate_limit_error with and without retry-after', async () => {
    emu.faults.push({ kind: 'rate_limit', retryAfter: 7 }, { kind: 'rate_limit' });
    const a = await fail(client(emu).messages.create(params));
    expect(a).toBeInstanceOf(Anthropic.RateLimitError);
    expect(a.status).toBe(429);
    expect(a.headers?.get('retry-after')).toBe('7');
    expect(a.type).toBe('rate_limit_error');
    const b = await fail(client(emu).messages.create(params));
    expect(b).toBeInstanceOf(Anthropic.RateLimitError);
    expect(b.headers?.get('retry-after')).toBeNull();
    expect(b.headers?.get('x-should-retry')).toBeNull();
    // The fault queue did not consume the next reply.
    expect((await client(emu).messages.create(params)).content[0]).toMatchObject({ type: 'text' });
  });

  it('a spend-limit 429 is distinguishable and is not retried by the SDK, unlike a plain 429', async () => {
    emu.faults.push({ kind: 'spend_limit' });
    const retrying = new Anthropic({ apiKey: 'k', baseURL: emu.url, maxRetries: 2 });
    const err = await fail(retrying.messages.create(params));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.message).toContain(SPEND_LIMIT_MESSAGE);
    expect(err.message).toMatch(/spend limit/);
    expect(err.headers?.get('x-should-retry')).toBe('false');
    expect(emu.requests).toHaveLength(1);

    emu.faults.push({ kind: 'rate_limit', retryAfter: 0.01 });
    emu.enqueue({ text: 'after retry' });
    const ok = await retrying.messages.create(params);
    expect(ok.content).toEqual([{ type: 'text', text: 'after retry' }]);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 429, 200]);

    emu.faults.push({ kind: 'spend_limit', form: 'workspace' });
    const ws = await fail(client(emu).messages.create(params));
    expect(ws).toBeInstanceOf(Anthropic.BadRequestError);
    expect(ws.message).toContain('workspace API usage limits');
  });

  it('529 overloaded_error and 500 api_error', async () => {
    emu.faults.push({ kind: 'overloaded' }, { kind: 'api_error' });
    const o = await fail(client(emu).messages.create(params));
    expect(o).toBeInstanceOf(Anthropic.OverloadedError);
    expect(o.status).toBe(529);
    expect(o.type).toBe('overloaded_error');
    const e = await fail(client(emu).messages.create(params));
    expect(e).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e.status).toBe(500);
    expect(e.type).toBe('api_error');
  });

  it('400 "prompt is too long" above the context window, and as an injected fault', async () => {
    const long = await fail(client(emu).messages.create({ ...params, messages: [{ role: 'user', content: filler(2000) }] }));
    expect(long).toBeInstanceOf(Anthropic.BadRequestError);
    expect(long.message).toContain('prompt is too long: 2007 tokens > 1000 maximum');
    emu.faults.push({ kind: 'prompt_too_long' });
    const forced = await fail(client(emu).messages.create(params));
    expect(forced.message).toMatch(/prompt is too long: \d+ tokens > 1000 maximum/);
  });

  it('faults can be scenario turns, consumed in order', async () => {
    await emu.close();
    emu = await startEmulator({ scenario: [{ fault: { kind: 'overloaded' } }, { text: 'recovered' }] });
    const retrying = new Anthropic({ apiKey: 'k', baseURL: emu.url, maxRetries: 1 });
    // The SDK retries the 529 once (after its own backoff) and gets the next turn.
    const msg = await retrying.messages.create(params);
    expect(msg.content).toEqual([{ type: 'text', text: 'recovered' }]);
    expect(emu.requests.map((r) => [r.status, r.fault?.kind])).toEqual([[529, 'overloaded'], [200, undefined]]);
  });
});

describe('stream faults seen by the real SDK', () => {
  it('an error event mid-stream makes the SDK stream throw', async () => {
    emu.enqueue({ fault: { kind: 'stream_error', afterEvents: 4 } });
    const texts: string[] = [];
    const stream = client(emu).messages.stream(params);
    stream.on('text', (t) => texts.push(t));
    const err = await fail(stream.finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.type).toBe('overloaded_error');
    expect(err.message).toContain('Overloaded');
    expect(texts.length).toBeGreaterThan(0);
    const sent = emu.requests[0]!.events!;
    expect(sent).toHaveLength(5);
    expect(sent[4]).toMatchObject({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error' } } });
  });

  it('a socket reset mid-delta makes the SDK throw a connection error', async () => {
    emu.faults.push({ kind: 'reset', afterEvents: 5 });
    const texts: string[] = [];
    const stream = client(emu).messages.stream(params);
    stream.on('text', (t) => texts.push(t));
    const err = await fail(stream.finalMessage());
    // Once the headers are in, the SDK surfaces the dropped body as AnthropicError('terminated')
    // whose cause chain ends in undici's socket error (not as an APIConnectionError).
    expectSocketDrop(err);
    expect(texts.length).toBeGreaterThan(0);
    expect(emu.requests[0]).toMatchObject({ outcome: 'reset', status: 200 });

    emu.faults.push({ kind: 'reset' });
    const nonStream = await fail(client(emu).messages.create(params));
    expect(nonStream).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('a stall after the headers: the client gives up through its AbortSignal', async () => {
    emu.faults.push({ kind: 'stall', ms: 10_000 });
    const started = Date.now();
    const stream = client(emu).messages.stream(params, { signal: AbortSignal.timeout(300) });
    const err = await fail(stream.finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 80));
    expect(emu.requests[0]).toMatchObject({ outcome: 'client_closed', events: [] });
  });

  it('a stall with pings only, bounded by maxStallMs so nothing hangs', async () => {
    await emu.close();
    emu = await startEmulator({ maxStallMs: 250 });
    emu.faults.push({ kind: 'stall', ms: 60_000, afterEvents: 1, pingEveryMs: 50 });
    const started = Date.now();
    const err = await fail(client(emu).messages.stream(params).finalMessage());
    expectSocketDrop(err);
    expect(Date.now() - started).toBeLessThan(2000);
    const events = emu.requests[0]!.events!.map((e) => e.event);
    expect(events[0]).toBe('message_start');
    expect(events.slice(1).every((e) => e === 'ping')).toBe(true);
    expect(events.length).toBeGreaterThan(2);
    expect(emu.requests[0]!.outcome).toBe('stalled');
  });

  it('a non-streaming stall hits the SDK timeout', async () => {
    emu.faults.push({ kind: 'stall', ms: 10_000 });
    const err = await fail(client(emu, { timeout: 300 }).messages.create(params));
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });
});
