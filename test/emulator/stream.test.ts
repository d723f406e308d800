import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from './index';
import { client, MODEL, rawPost } from './helpers';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({});
});
afterEach(async () => {
  await emu.close();
});

const hello = [{ role: 'user' as const, content: 'hello' }];

describe('streaming through the real SDK', () => {
  it('streams text deltas and ends with the full message and usage', async () => {
    emu.enqueue({ text: 'The quick brown fox jumps over the lazy dog. Héllo, 日本 😀!' });
    const deltas: string[] = [];
    const stream = client(emu).messages.stream({ model: MODEL, max_tokens: 1000, messages: hello });
    stream.on('text', (t) => deltas.push(t));
    const msg = await stream.finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'The quick brown fox jumps over the lazy dog. Héllo, 日本 😀!' }]);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('The quick brown fox jumps over the lazy dog. Héllo, 日本 😀!');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.id).toMatch(/^msg_emu_/);
    expect(msg.usage.output_tokens).toBeGreaterThan(1);
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    const events = emu.requests[0]!.events!.map((e) => e.event);
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('ping');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
  });

  it('writes the exact SSE grammar: "event: X\\ndata: {json}\\n\\n"', async () => {
    emu.enqueue({ text: 'ok' });
    const res = await fetch(`${emu.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: hello }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.map((f) => f.split('\n')[0])).toEqual([
      'event: message_start', 'event: ping', 'event: content_block_start', 'event: content_block_delta',
      'event: content_block_stop', 'event: message_delta', 'event: message_stop',
    ]);
    for (const f of frames) {
      const [ev, data, ...rest] = f.split('\n');
      expect(rest).toEqual([]);
      expect(data!.startsWith('data: ')).toBe(true);
      expect((JSON.parse(data!.slice(6)) as { type: string }).type).toBe(ev!.slice(7));
    }
    expect(text.endsWith('\n\n')).toBe(true);
    const delta = JSON.parse(frames[5]!.split('\n')[1]!.slice(6)) as { delta: { stop_reason: string }; usage: { output_tokens: number } };
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBe(1);
  });

  it('splits tool input JSON into chunks, inside multi-byte characters, and the SDK still parses it', async () => {
    const input = { path: 'src/café.ts', note: '日本語のテキスト', emoji: '🚀😀👍', nested: { list: [1, 'é', '日本'] } };
    emu.enqueue({ content: [{ type: 'text', text: 'Editing.' }, { type: 'tool_use', id: 'toolu_1', name: 'edit_file', input, chunks: [1, 2, 3] }] });
    const jsonDeltas: string[] = [];
    const stream = client(emu).messages.stream({
      model: MODEL, max_tokens: 1000, messages: hello,
      tools: [{ name: 'edit_file', description: 'edit', input_schema: { type: 'object' } }],
    });
    stream.on('inputJson', (partial) => jsonDeltas.push(partial));
    const msg = await stream.finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[1]).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'edit_file', input });
    const json = JSON.stringify(input);
    expect(jsonDeltas.join('')).toBe(json);
    expect(jsonDeltas.length).toBeGreaterThan(json.length / 3); // sizes 1, 2, 3 in turn
    // At least one chunk ends between the two halves of a surrogate pair (an emoji split in two).
    const sent = emu.requests[0]!.events!.flatMap((e) => {
      const d = (e.data as { delta?: { type: string; partial_json?: string } }).delta;
      return d?.type === 'input_json_delta' ? [d.partial_json!] : [];
    });
    expect(sent.some((p) => /[\ud800-\udbff]$/.test(p))).toBe(true);
  });

  it('splits the byte-level writes inside multi-byte UTF-8 sequences', async () => {
    emu.enqueue({ text: 'é日本😀' });
    const res = await fetch(`${emu.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: hello }),
    });
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    // Some chunk ends with an incomplete UTF-8 sequence (its last lead byte lacks continuation bytes).
    const endsMidChar = chunks.some((c) => {
      for (let i = c.length - 1; i >= Math.max(0, c.length - 4); i--) {
        const byte = c[i]!;
        if (byte >= 0xc0) return c.length - i < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2);
        if (byte < 0x80) return false;
      }
      return false;
    });
    expect(endsMidChar).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toContain('é日本😀');
  });

  it('streams thinking deltas with a signature', async () => {
    emu.enqueue({ content: [{ type: 'thinking', thinking: 'Let me think about this step by step, carefully.', signature: 'sig-abc' }, { type: 'text', text: 'Answer.' }] });
    const thoughts: string[] = [];
    const signatures: string[] = [];
    const stream = client(emu).messages.stream({ model: MODEL, max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: hello });
    stream.on('thinking', (delta) => thoughts.push(delta));
    stream.on('signature', (s) => signatures.push(s));
    const msg = await stream.finalMessage();
    expect(thoughts.length).toBeGreaterThan(1);
    expect(thoughts.join('')).toBe('Let me think about this step by step, carefully.');
    expect(signatures).toEqual(['sig-abc']);
    expect(msg.content[0]).toEqual({ type: 'thinking', thinking: 'Let me think about this step by step, carefully.', signature: 'sig-abc' });
  });

  it('cuts the reply at max_tokens with stop_reason max_tokens', async () => {
    emu.enqueue({ text: 'word '.repeat(100) });
    const msg = await client(emu).messages.stream({ model: MODEL, max_tokens: 5, messages: hello }).finalMessage();
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(5);
    expect((msg.content[0] as { text: string }).text).toBe('word '.repeat(4));
  });
});

describe('non-streaming, count_tokens and turn selection', () => {
  it('answers a full Message JSON when stream is not set', async () => {
    emu.enqueue({ content: [{ type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }] });
    const msg = await client(emu).messages.create({ model: MODEL, max_tokens: 100, messages: hello });
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'toolu_emu_1_0', name: 'read_file', input: { path: 'a.ts' } }]);
    expect(msg.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('counts tokens with the documented approximation and consumes no turn', async () => {
    emu.enqueue({ text: 'kept' });
    // 'hello' = 2 tokens, + 3 per message, + 4 per request; system 'abcdefgh' = 2 tokens.
    const r = await client(emu).messages.countTokens({ model: MODEL, system: 'abcdefgh', messages: hello });
    expect(r.input_tokens).toBe(2 + 3 + 4 + 2);
    const msg = await client(emu).messages.create({ model: MODEL, max_tokens: 100, system: 'abcdefgh', messages: hello });
    expect(msg.usage.input_tokens).toBe(11);
    expect(msg.content).toEqual([{ type: 'text', text: 'kept' }]);
    const bad = await rawPost(emu, '/v1/messages/count_tokens', { model: MODEL, max_tokens: 5, messages: hello });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toBe('max_tokens: Extra inputs are not permitted');
  });

  it('answers with a deterministic demo echo when nothing is scripted', async () => {
    const a = await client(emu).messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'What is 2+2?' }] });
    const b = await client(emu).messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'What is 2+2?' }] });
    expect(a.content).toEqual([{ type: 'text', text: '[offline demo emulator] You said: "What is 2+2?"' }]);
    expect(b.content).toEqual(a.content);
    expect(emu.requests.map((r) => r.source)).toEqual(['default', 'default']);
  });

  it('uses the queue, then rules, then scenario turns in order', async () => {
    await emu.close();
    emu = await startEmulator({
      scenario: {
        turns: [{ text: 'turn one' }, { text: 'turn two' }],
        rules: [
          { match: { lastUserRegex: '^deploy' }, reply: { text: 'rule: deploy' } },
          { match: { toolResult: 'run_tests' }, reply: { text: 'rule: saw test results' }, times: 1 },
        ],
      },
    });
    const c = client(emu);
    const say = async (content: string) => {
      const m = await c.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content }] });
      return (m.content[0] as { text: string }).text;
    };
    emu.enqueue({ text: 'queued' });
    expect(await say('anything')).toBe('queued');
    expect(await say('first')).toBe('turn one');
    expect(await say('deploy now')).toBe('rule: deploy');
    const withResult = await c.messages.create({
      model: MODEL, max_tokens: 100,
      messages: [
        { role: 'user', content: 'test it' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'run_tests', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '3 passed' }] },
      ],
    });
    expect(withResult.content[0]).toMatchObject({ text: 'rule: saw test results' });
    expect(await say('second')).toBe('turn two');
    expect(emu.remainingTurns()).toBe(0);
    expect(await say('third')).toMatch(/^\[offline demo emulator\]/);
    expect(emu.requests.map((r) => r.source)).toEqual(['queue', 'scenario', 'rule', 'rule', 'scenario', 'default']);
  });

  it('plays the bundled demo scenario (rules with regex flags, tool_result match) and takes bare faults in enqueue', async () => {
    await emu.close();
    emu = await startEmulator({ scenario: fileURLToPath(new URL('./scenarios/demo.json', import.meta.url)) });
    const c = client(emu);
    const hi = await c.messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'HELLO there' }] });
    expect((hi.content[0] as { text: string }).text).toMatch(/^Hello! I am the offline demo emulator/);
    const call = await c.messages.stream({ model: MODEL, max_tokens: 500, messages: [{ role: 'user', content: 'please list files' }] }).finalMessage();
    expect(call.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    const use = call.content[2] as { id: string; name: string; input: unknown };
    expect(use).toMatchObject({ name: 'list_files', input: { path: '.' } });
    const after = await c.messages.create({
      model: MODEL, max_tokens: 200,
      messages: [
        { role: 'user', content: 'please list files' },
        { role: 'assistant', content: call.content.filter((b) => b.type !== 'thinking') as never },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'a.ts\nb.ts' }] },
      ],
    });
    expect((after.content[0] as { text: string }).text).toMatch(/^Those are the files I found/);
    emu.enqueue({ kind: 'api_error' });
    await expect(c.messages.create({ model: MODEL, max_tokens: 10, messages: hello })).rejects.toMatchObject({ status: 500 });
  });
});
