// The request layout keeps the provider's cache warm: stable tools and system, <= 4 breakpoints,
// nothing volatile, and a cache read on the next request.
import { afterEach, describe, expect, it } from 'vitest';
import { buildModelRequest, countBreakpoints } from '../../../extension/core/agent/request';
import type { ApiMessage } from '../../../extension/core/providers/types';
import { harness, probeTool, toolSet, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

describe('request layout', () => {
  it('never uses more than 4 breakpoints, whatever the history', () => {
    for (let n = 1; n <= 12; n++) {
      const history: ApiMessage[] = Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [{ type: 'text', text: `m${i}` }] }) as ApiMessage);
      const req = buildModelRequest({ staticSystem: 's', dynamicSystem: 'd', prelude: 'p', tools: [] }, history, 'm', 100);
      expect(countBreakpoints(req)).toBeLessThanOrEqual(4);
    }
  });

  it('does not put breakpoints into the stored history', () => {
    const history: ApiMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }];
    buildModelRequest({ staticSystem: 's', tools: [] }, history, 'm', 100);
    expect(JSON.stringify(history)).not.toContain('cache_control');
  });

  it('sends tools sorted and a byte-identical tools+system prefix on every turn, and reads the cache', async () => {
    const tools = toolSet([probeTool('zeta').tool, probeTool('alpha').tool, probeTool('mid').tool]);
    h = await harness({ rules: [{ match: { lastUserText: '' }, reply: { text: 'ok' } }] });
    const rt = h.runtime({ tools, prelude: () => `# Rules\n${'Keep the house style. '.repeat(400)}` });
    for (let i = 0; i < 4; i++) { rt.submit(`question ${i}`); await rt.idle(); }
    const bodies = h.emu.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as { tools: Array<{ name: string }>; system: unknown });
    expect(bodies[0]!.tools.map((t) => t.name)).toEqual(['alpha', 'mid', 'zeta']);
    const prefixes = new Set(bodies.map((b) => JSON.stringify([b.tools, b.system])));
    expect(prefixes.size).toBe(1);
    const usage = h.emu.requests.filter((r) => r.path === '/v1/messages').map((r) => r.usage!);
    expect(usage[0]!.cache_creation_input_tokens).toBeGreaterThan(0);
    for (const u of usage.slice(1)) expect(u.cache_read_input_tokens).toBeGreaterThan(0);
    const snap = rt.snapshot();
    expect(snap.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(snap.costUsd).toBeGreaterThan(0);
  });
});
