import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './index';
import { client, MODEL, rawPost } from './helpers';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ invalidApiKey: 'sk-invalid' });
});
afterEach(async () => {
  await emu.close();
});

const ok = { model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };
async function reject(body: unknown): Promise<string> {
  const r = await rawPost(emu, '/v1/messages', body);
  expect(r.status).toBe(400);
  expect(r.json.type).toBe('error');
  expect(r.json.error?.type).toBe('invalid_request_error');
  return r.json.error!.message;
}

describe('request validation', () => {
  it('accepts a minimal valid request', async () => {
    expect((await rawPost(emu, '/v1/messages', ok)).status).toBe(200);
  });

  it('requires model, max_tokens and a non-empty messages list', async () => {
    expect(await reject({ max_tokens: 5, messages: ok.messages })).toBe('model: Field required');
    expect(await reject({ model: MODEL, messages: ok.messages })).toBe('max_tokens: Field required');
    expect(await reject({ model: MODEL, max_tokens: 5 })).toBe('messages: Field required');
    expect(await reject({ ...ok, messages: [] })).toBe('messages: at least one message is required');
    expect(await reject({ ...ok, max_tokens: 0 })).toBe('max_tokens: Input should be greater than or equal to 1');
    expect(await reject('{not json')).toMatch(/error parsing the body/);
  });

  it('rejects unknown top-level fields, also when sent by the SDK', async () => {
    expect(await reject({ ...ok, temprature: 1 })).toBe('temprature: Extra inputs are not permitted');
    const err = await client(emu).messages.create({ ...ok, frobnicate: true } as unknown as MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toContain('frobnicate: Extra inputs are not permitted');
  });

  it('requires the first message to be a user message and combines consecutive same-role messages', async () => {
    expect(await reject({ ...ok, messages: [{ role: 'assistant', content: 'hi' }, { role: 'user', content: 'x' }] })).toBe('messages: first message must use the "user" role');
    expect(await reject({ ...ok, messages: [{ role: 'system', content: 'hi' }] })).toBe("messages.0.role: Input should be 'user' or 'assistant'");
    // Like the real API, consecutive user turns are combined into one turn.
    const twoUsers = [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }];
    const r = await rawPost(emu, '/v1/messages', { ...ok, messages: twoUsers });
    expect(r.status).toBe(200);
    // The demo reply quotes what the user typed last (the last text block of the combined turn).
    expect(JSON.stringify(r.json.content)).toContain('You said: \\"two\\"');
  });

  it('rejects consecutive same-role messages with strictAlternation', async () => {
    await emu.close();
    emu = await startEmulator({ strictAlternation: true });
    const msg = await reject({ ...ok, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] });
    expect(msg).toBe('messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row');
  });

  it('requires every tool_result to answer a tool_use of the previous assistant turn, and every tool_use to be answered', async () => {
    const orphan = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'ls', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'ok' }, { type: 'tool_result', tool_use_id: 'toolu_zzz', content: 'x' }] },
    ];
    expect(await reject({ ...ok, messages: orphan })).toBe('messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_zzz. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.');
    const stale = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'ls', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'ok' }] },
      { role: 'assistant', content: 'done' },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'again' }] },
    ];
    expect(await reject({ ...ok, messages: stale })).toMatch(/^messages\.4\.content\.0: unexpected `tool_use_id`/);
    const unanswered = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_b', name: 'ls', input: {} }] },
      { role: 'user', content: 'never mind' },
    ];
    expect(await reject({ ...ok, messages: unanswered })).toMatch(/^messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b/);
    const sdkErr = await client(emu).messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'nope', content: 'x' }] }] }).catch((e: unknown) => e);
    expect(sdkErr).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('checks the thinking budget against max_tokens', async () => {
    expect(await reject({ ...ok, thinking: { type: 'enabled', budget_tokens: 500 } })).toMatch(/budget_tokens: Input should be greater than or equal to 1024/);
    expect(await reject({ ...ok, thinking: { type: 'enabled', budget_tokens: 2048 } })).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
  });

  it('answers 401 without an API key and for the configured invalid key; 404 elsewhere', async () => {
    const none = await rawPost(emu, '/v1/messages', ok, {});
    expect(none.status).toBe(401);
    expect(none.json.error).toEqual({ type: 'authentication_error', message: 'x-api-key header is required' });
    const err = await client(emu, { apiKey: 'sk-invalid' }).messages.create(ok as MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(401);
    const viaHeader = await rawPost(emu, '/v1/messages', ok, { 'x-api-key': 'sk-invalid' });
    expect(viaHeader.status).toBe(401);
    expect((await rawPost(emu, '/v1/messages', ok, { authorization: 'Bearer sk-good' })).status).toBe(200);
    expect((await rawPost(emu, '/v1/complete', ok)).status).toBe(404);
  });
});
