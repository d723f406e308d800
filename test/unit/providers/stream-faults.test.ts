/**
 * Clear errors under provider faults, through the real SDK against the emulator: garbage inside a stream is
 * retried like a dropped connection and says so; a 200 that is not a stream says the server does not speak the
 * streaming API (and is not retried: it would not change); a 500 says it is the provider's error and names the
 * base URL. The loop-level tests use the same session runtime as the agent's recovery tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import { describeError } from '../../../extension/core/providers/errors';
import type { StreamResult } from '../../../extension/core/providers/types';
import { startEmulator, type Emulator } from '../../emulator';
import { harness, type Harness } from '../agent/harness';

let emu: Emulator | undefined;
let h: Harness | undefined;
afterEach(async () => { await emu?.close(); emu = undefined; await h?.close(); h = undefined; });

async function once(e: Emulator): Promise<StreamResult> {
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: e.url });
  const gen = provider.stream({ model: 'claude-sonnet-5-5', maxTokens: 100, messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal);
  for (;;) { const s = await gen.next(); if (s.done) return s.value; }
}

describe('provider errors say what happened and where', () => {
  it('garbage inside a stream: a retryable network error that says the stream was corrupted', async () => {
    emu = await startEmulator({});
    emu.faults.push({ kind: 'garbage', afterEvents: 4 });
    const r = await once(emu);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'network', retryable: true });
    expect(describeError(r.error)).toMatch(new RegExp(`stream from ${emu.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.* was corrupted.*retrying as for a dropped connection`));
  });
  it('a 200 JSON body for a streaming request: the server is not speaking the streaming API (not retried)', async () => {
    emu = await startEmulator({});
    emu.faults.push({ kind: 'not_streaming' });
    const r = await once(emu);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'server', retryable: false, status: 200 });
    expect(describeError(r.error)).toContain(`The server at ${emu.url} answered a streaming request with a body of type application/json (HTTP 200): it is not speaking the streaming Messages API`);
  });
  it("a 500: the provider's error, with the base URL", async () => {
    emu = await startEmulator({});
    emu.faults.push({ kind: 'api_error' });
    const r = await once(emu);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'server', retryable: true, status: 500 });
    expect(describeError(r.error)).toBe(`The API provider at ${emu.url} reported an error on its side (HTTP 500: Internal server error). This is the provider's error, not a problem with your request or with Cairn.`);
  });
  it('a dropped connection names the server it was talking to', async () => {
    emu = await startEmulator({});
    emu.faults.push({ kind: 'reset', afterEvents: 2 });
    const r = await once(emu);
    expect(!r.ok && describeError(r.error)).toContain(emu.url);
  });
});

describe('the agent loop under these faults', () => {
  it('retries a corrupted stream like a dropped connection and completes', async () => {
    h = await harness({ scenario: [{ text: 'recovered after garbage' }] });
    h.emu.faults.push({ kind: 'garbage', afterEvents: 3 });
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('completed');
    const retrying = h.events.filter((e) => e.name === 'turn/retrying').map((e) => e.data as { error: { kind: string; message: string } });
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.error.kind).toBe('network');
    expect(retrying[0]!.error.message).toMatch(/was corrupted/);
    expect(rt.snapshot().messages.at(-1)!.blocks[0]).toMatchObject({ type: 'text', text: 'recovered after garbage' });
  });
  it('stops at once on a non-streaming server and reports it', async () => {
    h = await harness({ scenario: [{ text: 'never shown' }] });
    h.emu.faults.push({ kind: 'not_streaming' });
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('error');
    expect(h.emu.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
    expect(rt.snapshot().lastError?.message).toMatch(/not speaking the streaming Messages API/);
  });
});
