// Each recovery rule of the agent loop, against the emulator's faults through the real SDK.
// Every test fails if its behaviour is removed from extension/core/agent.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, probeTool, toolSet, userMessagesIn, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const posts = (hh: Harness) => hh.emu.requests.filter((r) => r.path === '/v1/messages');

describe('retries', () => {
  it('honours retry-after: the first retry is not earlier than it says', async () => {
    h = await harness({ scenario: [{ text: 'after the wait' }] });
    h.emu.faults.push({ kind: 'rate_limit', retryAfter: 1 });
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('completed');
    const [first, second] = posts(h);
    expect(first!.status).toBe(429);
    expect(second!.status).toBe(200);
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(1000);
    const retrying = h.events.filter((e) => e.name === 'turn/retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.data).toMatchObject({ attempt: 1, maxAttempts: 4, error: { kind: 'rate_limited' } });
  });

  it.each([
    ['529 overloaded', { kind: 'overloaded' as const }, 'overloaded'],
    ['500 api_error', { kind: 'api_error' as const }, 'server'],
    ['a dropped connection', { kind: 'reset' as const, afterEvents: 0 }, 'network'],
  ])('backs off and retries after %s', async (_n, fault, kind) => {
    h = await harness({ scenario: [{ text: 'recovered' }] });
    h.emu.faults.push(fault, fault);
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('completed');
    expect(posts(h)).toHaveLength(3);
    const retrying = h.events.filter((e) => e.name === 'turn/retrying').map((e) => e.data as { attempt: number; error: { kind: string } });
    expect(retrying.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retrying.every((r) => r.error.kind === kind)).toBe(true);
    expect(rt.snapshot().messages.at(-1)!.blocks[0]).toMatchObject({ type: 'text', text: 'recovered' });
  });

  it('gives up after the attempt cap and reports the error', async () => {
    h = await harness({ scenario: [{ text: 'never' }] });
    for (let i = 0; i < 4; i++) h.emu.faults.push({ kind: 'overloaded' });
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('error');
    expect(posts(h)).toHaveLength(4);
    expect(rt.snapshot().lastError).toMatchObject({ kind: 'overloaded', retryable: true });
  });

  it('never retries a spend-limit 429 and reports it in under a second', async () => {
    h = await harness({ scenario: [{ text: 'never' }] });
    h.emu.faults.push({ kind: 'spend_limit', retryAfter: 30 });
    const rt = h.runtime();
    const t0 = Date.now();
    rt.submit('hello');
    expect(await rt.idle()).toBe('error');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(posts(h)).toHaveLength(1);
    expect(rt.snapshot().lastError).toMatchObject({ kind: 'spend_limit', retryable: false });
    expect(h.events.some((e) => e.name === 'turn/retrying')).toBe(false);
  });
});

describe('mid-stream failures', () => {
  it.each([
    ['an error event', { kind: 'stream_error' as const, afterEvents: 5 }],
    ['a socket reset', { kind: 'reset' as const, afterEvents: 5 }],
  ])('after %s the partial text stays, marked incomplete, and the same request is re-sent', async (_n, fault) => {
    const probe = probeTool('probe');
    h = await harness({ scenario: [
      { content: [{ type: 'tool_use', name: 'probe', input: { value: 'x' } }] },
      { text: 'all done' },
    ] });
    h.emu.faults.push(fault);
    const rt = h.runtime({ tools: toolSet([probe.tool]) });
    rt.submit('do it');
    expect(await rt.idle()).toBe('completed');
    const p = posts(h);
    expect(p).toHaveLength(3);
    expect(JSON.stringify(p[1]!.body)).toBe(JSON.stringify(p[0]!.body));
    expect(userMessagesIn(p[2]!.body)).toBe(1);
    expect(probe.calls).toHaveLength(1);
    const snap = rt.snapshot();
    const assistants = snap.messages.filter((m) => m.role === 'assistant');
    expect(assistants[0]!.status).toBe('incomplete');
    expect(assistants[0]!.blocks[0]).toMatchObject({ type: 'text' });
    expect((assistants[0]!.blocks[0] as { text: string }).text.length).toBeGreaterThan(0);
    expect(assistants.at(-1)!.status).toBe('complete');
    expect(snap.messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('detects a stalled stream, aborts it and retries once', async () => {
    h = await harness({ scenario: [{ text: 'fresh stream' }] });
    h.emu.faults.push({ kind: 'stall', ms: 5_000 });
    const rt = h.runtime({ retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000, stallMs: 300 } });
    const t0 = Date.now();
    rt.submit('hello');
    expect(await rt.idle()).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(h.events.find((e) => e.name === 'turn/retrying')!.data).toMatchObject({ error: { kind: 'stalled' } });
  });

  it('retries a stall only once', async () => {
    h = await harness({ scenario: [{ text: 'never' }] });
    h.emu.faults.push({ kind: 'stall', ms: 5_000, pingEveryMs: 50 }, { kind: 'stall', ms: 5_000, pingEveryMs: 50 });
    const rt = h.runtime({ retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000, stallMs: 300 } });
    rt.submit('hello');
    expect(await rt.idle()).toBe('error');
    expect(posts(h)).toHaveLength(2);
    expect(rt.snapshot().lastError).toMatchObject({ kind: 'stalled' });
  });
});

describe('tool calls', () => {
  it('never executes a tool call whose JSON is malformed, and tells the model', async () => {
    const probe = probeTool('probe');
    h = await harness({ scenario: [
      { content: [{ type: 'tool_use', name: 'probe', input: {}, rawJson: '{"value": "unterminated' }] },
      { text: 'ok' },
    ] });
    const rt = h.runtime({ tools: toolSet([probe.tool]) });
    rt.submit('go');
    expect(await rt.idle()).toBe('completed');
    expect(probe.calls).toHaveLength(0);
    const followUp = JSON.stringify(posts(h)[1]!.body);
    expect(followUp).toContain('not valid JSON');
    expect(followUp).toContain('"is_error":true');
  });

  it('runs read-only calls in parallel and others one at a time, in order', async () => {
    const a = probeTool('read_a', { delayMs: 150 });
    const b = probeTool('read_b', { delayMs: 150 });
    const w1 = probeTool('write_1', { readOnly: false, delayMs: 50 });
    const w2 = probeTool('write_2', { readOnly: false, delayMs: 50 });
    h = await harness({ scenario: [
      { content: [
        { type: 'tool_use', name: 'read_a', input: { value: '1' } },
        { type: 'tool_use', name: 'read_b', input: { value: '2' } },
        { type: 'tool_use', name: 'write_1', input: { value: '3' } },
        { type: 'tool_use', name: 'write_2', input: { value: '4' } },
      ] },
      { text: 'done' },
    ] });
    const rt = h.runtime({ tools: toolSet([a.tool, b.tool, w1.tool, w2.tool]), permissions: { check: () => ({ behavior: 'allow', reason: 'test' }), addRule: () => undefined, mode: () => 'auto', resolve: (p) => ({ given: p, abs: p, real: p, rel: p, inside: true }), roots: () => [h.dir] } });
    rt.submit('go');
    expect(await rt.idle()).toBe('completed');
    expect(a.calls[0]!.start).toBeLessThan(b.calls[0]!.end);
    expect(b.calls[0]!.start).toBeLessThan(a.calls[0]!.end);
    expect(w1.calls[0]!.start).toBeGreaterThanOrEqual(Math.max(a.calls[0]!.end, b.calls[0]!.end));
    expect(w2.calls[0]!.start).toBeGreaterThanOrEqual(w1.calls[0]!.end);
    const results = (posts(h)[1]!.body as { messages: Array<{ content: Array<{ type: string; tool_use_id?: string }> }> }).messages.at(-1)!.content;
    expect(results.map((r) => r.type)).toEqual(['tool_result', 'tool_result', 'tool_result', 'tool_result']);
  });

  it('stops at once on abort; a cut-off tool is recorded as interrupted and the model is told next turn', async () => {
    const slow = probeTool('slow', { delayMs: 5_000 });
    h = await harness({ scenario: [
      { content: [{ type: 'tool_use', name: 'slow', input: { value: 'x' } }] },
      { text: 'understood' },
    ] });
    const rt = h.runtime({ tools: toolSet([slow.tool]) });
    rt.submit('go');
    await new Promise<void>((resolve) => { const off = rt.subscribe((e) => { if (e.name === 'message/toolDelta' && e.data.status === 'running') { off(); resolve(); } }); });
    const t0 = Date.now();
    rt.abort();
    expect(await rt.idle()).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(500);
    const block = rt.snapshot().messages.at(-1)!.blocks[0]!;
    expect(block).toMatchObject({ type: 'tool_use', status: 'interrupted' });
    rt.submit('what happened?');
    expect(await rt.idle()).toBe('completed');
    const last = JSON.stringify(posts(h).at(-1)!.body);
    expect(last).toContain('Interrupted by the user');
  });
});

describe('max_tokens and odd streams', () => {
  it('raises the output limit once, then asks the model to continue', async () => {
    h = await harness({ scenario: [
      { text: 'part one', stop_reason: 'max_tokens' },
      { text: 'part one, longer', stop_reason: 'max_tokens' },
      { text: 'and the rest' },
    ] });
    const rt = h.runtime();
    rt.submit('write a lot');
    expect(await rt.idle()).toBe('completed');
    const p = posts(h).map((r) => r.body as { max_tokens: number; messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> });
    expect(p).toHaveLength(3);
    expect(p[1]!.max_tokens).toBeGreaterThan(p[0]!.max_tokens);
    const lastUser = p[2]!.messages.at(-1)!;
    expect(lastUser.role).toBe('user');
    expect(lastUser.content.at(-1)!.text).toMatch(/Continue exactly where it stopped/);
    expect(p[2]!.messages.at(-2)!.role).toBe('assistant');
  });

  it('ignores unknown and duplicated SSE events', async () => {
    h = await harness({ scenario: [{ text: 'clean text', noise: true }] });
    const rt = h.runtime();
    rt.submit('hi');
    expect(await rt.idle()).toBe('completed');
    const msg = rt.snapshot().messages.at(-1)!;
    expect(msg.blocks).toEqual([{ type: 'text', text: 'clean text' }]);
    expect(JSON.stringify(msg)).not.toContain('NOISE');
    // What goes back to the model is clean too.
    rt.submit('again');
    expect(await rt.idle()).toBe('completed');
    const history = JSON.stringify((posts(h)[1]!.body as { messages: unknown[] }).messages);
    expect(history).toContain('clean text');
    expect(history).not.toContain('NOISE');
  });
});
