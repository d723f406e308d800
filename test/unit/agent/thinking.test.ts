// Extended thinking comes from settings and fits each model: adaptive models get {type:'adaptive'},
// budget models a budget below max_tokens, 'off' disables it, 'default' leaves the field out.
import { afterEach, describe, expect, it } from 'vitest';
import { thinkingParam } from '../../../extension/core/providers/models';
import { harness, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

describe('thinking', () => {
  it('maps the setting to the request field per model', () => {
    expect(thinkingParam('default', 'claude-sonnet-5-5', 8192, 8000)).toBeUndefined();
    expect(thinkingParam('off', 'claude-sonnet-5-5', 8192, 8000)).toEqual({ type: 'disabled' });
    expect(thinkingParam('adaptive', 'claude-sonnet-5-5', 8192, 8000)).toEqual({ type: 'adaptive' });
    expect(thinkingParam('adaptive', 'claude-haiku-4-5', 8192, 8000)).toEqual({ type: 'enabled', budget_tokens: 8000 });
    expect(thinkingParam('adaptive', 'claude-haiku-4-5', 4096, 8000)).toEqual({ type: 'enabled', budget_tokens: 4095 });
    expect(thinkingParam('adaptive', 'claude-haiku-4-5', 1024, 8000)).toBeUndefined();
  });

  it('is sent to the API, which accepts it, and thinking deltas reach the UI', async () => {
    h = await harness({ scenario: [{ content: [{ type: 'thinking', thinking: 'pondering the question' }, { type: 'text', text: 'answer' }] }] });
    const rt = h.runtime({ model: () => ({ id: 'claude-haiku-4-5', maxTokens: 4096, thinking: 'adaptive', thinkingBudget: 2048 }) });
    rt.submit('think first');
    expect(await rt.idle()).toBe('completed');
    expect((h.emu.requests[0]!.body as { thinking: unknown }).thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(rt.snapshot().messages.at(-1)!.blocks).toEqual([{ type: 'thinking', text: 'pondering the question' }, { type: 'text', text: 'answer' }]);
  });
});
