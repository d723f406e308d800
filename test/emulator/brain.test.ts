// Brains: scripted models chosen by the request's model id (the offline demo's tour answers `cairn-offline-demo`),
// after the queue, rules and scenario turns, and never for any other model.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MODEL } from '../../extension/core/providers/models';
import { client, MODEL } from './helpers';
import { DEMO_MODEL_ID, startEmulator, type Emulator } from './index';

let emu: Emulator;
afterEach(async () => { await emu?.close(); });

const textOf = (m: { content: Array<{ type: string; text?: string }> }) => m.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
const ask = (model: string, text: string, tools: Array<{ name: string }> = []) =>
  client(emu).messages.stream({ model, max_tokens: 4096, messages: [{ role: 'user', content: text }], ...(tools.length ? { tools: tools.map((t) => ({ ...t, input_schema: { type: 'object' as const } })) } : {}) }).finalMessage();

describe('brains', () => {
  it('the demo model id is the one Cairn prices at $0; its requests are answered by the tour, streamed like any turn', async () => {
    expect(DEMO_MODEL_ID).toBe(DEMO_MODEL.id);
    expect(DEMO_MODEL.price).toEqual({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 });
    emu = await startEmulator();
    const m = await ask(DEMO_MODEL_ID, 'Run the tests and fix whatever fails.', [{ name: 'run_command' }, { name: 'read_file' }, { name: 'edit_file' }]);
    expect(m.stop_reason).toBe('tool_use');
    expect(m.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(m.content[1]).toMatchObject({ name: 'run_command', input: { command: 'npm test' } });
    expect(emu.requests.map((r) => r.source)).toEqual(['brain']);
  });

  it('other models keep the deterministic echo; the queue and rules still come first for the demo model', async () => {
    emu = await startEmulator({ rules: [{ match: { lastUserText: 'ruled' }, reply: { text: 'by rule' } }] });
    expect(textOf(await ask(MODEL, 'Run the tests'))).toMatch(/^\[offline demo emulator\] You said: "Run the tests"/);
    emu.enqueue({ text: 'queued' });
    expect(textOf(await ask(DEMO_MODEL_ID, 'Run the tests'))).toBe('queued');
    expect(textOf(await ask(DEMO_MODEL_ID, 'ruled'))).toBe('by rule');
    expect(emu.requests.map((r) => r.source)).toEqual(['default', 'queue', 'rule']);
  });

  it('a request without the tools an intent needs gets an answer saying so, not a call to a tool it does not offer', async () => {
    emu = await startEmulator();
    const m = await ask(DEMO_MODEL_ID, 'Run the tests and fix whatever fails.');
    expect(m.content.some((b) => b.type === 'tool_use')).toBe(false);
    expect(textOf(m)).toMatch(/needs the `run_command`, `read_file`, `edit_file` tools, which this request does not offer/);
  });

  it('brains: {} turns the tour off; a custom brain answers its own model id', async () => {
    emu = await startEmulator({ brains: {} });
    expect(textOf(await ask(DEMO_MODEL_ID, 'hello'))).toMatch(/^\[offline demo emulator\] You said/);
    await emu.close();
    emu = await startEmulator({ brains: { 'my-model': (body) => ({ text: `saw ${(body.messages as unknown[]).length} message(s)` }) } });
    expect(textOf(await ask('my-model', 'hello'))).toBe('saw 1 message(s)');
    expect(textOf(await ask('other-model', 'hello'))).toMatch(/^\[offline demo emulator\]/);
  });
});
