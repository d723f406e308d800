import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './index';
import { client, filler, MODEL } from './helpers';

let emu: Emulator;
let t = 1_000_000;
beforeEach(async () => {
  t = 1_000_000;
  emu = await startEmulator({ now: () => t });
});
afterEach(async () => {
  await emu.close();
});

const ephemeral = { type: 'ephemeral' as const };
const system = (tokens: number, seed = 's'): TextBlockParam[] => [{ type: 'text', text: filler(tokens, seed), cache_control: ephemeral }];

async function usage(params: { system?: TextBlockParam[]; messages?: MessageParam[]; tools?: Tool[]; model?: string; cache_control?: { type: 'ephemeral' } }) {
  const msg = await client(emu).messages.create({ model: params.model ?? MODEL, max_tokens: 50, messages: params.messages ?? [{ role: 'user', content: 'hello' }], ...(params.system ? { system: params.system } : {}), ...(params.tools ? { tools: params.tools } : {}), ...(params.cache_control ? { cache_control: params.cache_control } : {}) });
  return msg.usage;
}

describe('prompt cache accounting', () => {
  it('writes on the first request and reads on a second with an identical prefix', async () => {
    // system: 1200 tokens (cached); message 'hello' 2 + 3 overhead; request overhead 4.
    const first = await usage({ system: system(1200) });
    expect(first).toMatchObject({ cache_creation_input_tokens: 1200, cache_read_input_tokens: 0, input_tokens: 9 });
    expect(first.cache_creation).toEqual({ ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 0 });
    const second = await usage({ system: system(1200), messages: [{ role: 'user', content: 'a different question' }] });
    expect(second).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 1200, input_tokens: 5 + 3 + 4 });
    expect(emu.cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1, writes: 1, readTokens: 1200, writeTokens: 1200 });
  });

  it('does not cache a prefix below the model minimum (1024 Sonnet, 2048 Haiku)', async () => {
    expect(await usage({ system: system(1000) })).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0, input_tokens: 1009 });
    expect(await usage({ system: system(1000) })).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(await usage({ system: system(1500), model: 'claude-haiku-4-5' })).toMatchObject({ cache_creation_input_tokens: 0 });
    expect(await usage({ system: system(1500) })).toMatchObject({ cache_creation_input_tokens: 1500 });
  });

  it('expires entries after the 5-minute TTL, refreshed by each read; 1h entries live longer', async () => {
    await usage({ system: system(1200) });
    t += 4 * 60_000;
    expect((await usage({ system: system(1200) })).cache_read_input_tokens).toBe(1200);
    t += 4 * 60_000; // 8 minutes after the write, 4 after the refreshing read
    expect((await usage({ system: system(1200) })).cache_read_input_tokens).toBe(1200);
    t += 5 * 60_000 + 1;
    const expired = await usage({ system: system(1200) });
    expect(expired).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 1200 });

    const long: TextBlockParam[] = [{ type: 'text', text: filler(1100, 'h'), cache_control: { type: 'ephemeral', ttl: '1h' } }];
    expect((await usage({ system: long })).cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1100 });
    t += 30 * 60_000;
    expect((await usage({ system: long })).cache_read_input_tokens).toBe(1100);
    expect((await usage({ system: system(1200) })).cache_read_input_tokens).toBe(0);
  });

  it('reads the longest cached prefix when the breakpoint moves forward (lookback)', async () => {
    const sys = system(1200);
    const u1: MessageParam = { role: 'user', content: [{ type: 'text', text: filler(100, 'u'), cache_control: ephemeral }] };
    const first = await usage({ system: sys, messages: [u1] });
    expect(first).toMatchObject({ cache_creation_input_tokens: 1200 + 103, input_tokens: 4 });
    const turn2: MessageParam[] = [
      { role: 'user', content: [{ type: 'text', text: filler(100, 'u') }] },
      { role: 'assistant', content: 'sure' },
      { role: 'user', content: [{ type: 'text', text: filler(20, 'v'), cache_control: ephemeral }] },
    ];
    const second = await usage({ system: sys, messages: turn2 });
    // read: system + first user message; written: assistant (1 + 3) + new user message (20 + 3).
    expect(second).toMatchObject({ cache_read_input_tokens: 1303, cache_creation_input_tokens: 4 + 23, input_tokens: 4 });
  });

  it('keys the prefix in order tools -> system -> messages: a changed tool invalidates what follows', async () => {
    const tool = (description: string): Tool => ({ name: 'read_file', description, input_schema: { type: 'object' } });
    const first = await usage({ tools: [tool('reads a file')], system: system(1200) });
    expect(first.cache_creation_input_tokens).toBeGreaterThan(1200);
    expect((await usage({ tools: [tool('reads a file')], system: system(1200) })).cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect((await usage({ tools: [tool('reads one file')], system: system(1200) })).cache_read_input_tokens).toBe(0);
  });

  it('supports top-level automatic caching on the last block', async () => {
    const messages: MessageParam[] = [{ role: 'user', content: filler(1100) }];
    expect((await usage({ messages, cache_control: ephemeral })).cache_creation_input_tokens).toBe(1103);
    expect((await usage({ messages, cache_control: ephemeral })).cache_read_input_tokens).toBe(1103);
  });

  it('rejects a 5th cache_control breakpoint with a 400 like the real API', async () => {
    const blocks: TextBlockParam[] = Array.from({ length: 5 }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: ephemeral }));
    const err = await client(emu).messages.create({ model: MODEL, max_tokens: 10, system: blocks, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).status).toBe(400);
    expect((err as Error).message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 5.');
    expect(await usage({ system: blocks.slice(0, 4) })).toBeDefined();
  });

  it('clock.advance moves the TTL clock too', async () => {
    await usage({ system: system(1200) });
    emu.clock.advance(6 * 60_000);
    expect((await usage({ system: system(1200) })).cache_read_input_tokens).toBe(0);
  });
});
