// Per-task caps on model requests and on dollars stop the task with a clear, named reason.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, probeTool, toolSet, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const loopingTool = () => ({ content: [{ type: 'tool_use' as const, name: 'probe', input: { value: 'again' } }] });

describe('task limits', () => {
  it('stops after maxTurns model requests with stop reason max_turns', async () => {
    const probe = probeTool('probe');
    h = await harness({ rules: [{ match: { lastUserText: '' }, reply: loopingTool() }] });
    const rt = h.runtime({ tools: toolSet([probe.tool]), limits: () => ({ maxTurns: 3, maxCostUsd: 0 }) });
    rt.submit('loop forever');
    expect(await rt.idle()).toBe('max_turns');
    expect(h.emu.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(3);
    const status = h.events.filter((e) => e.name === 'turn/status').at(-1)!.data as { stopReason?: string; error: { message: string } | null };
    expect(status.stopReason).toBe('max_turns');
    expect(status.error!.message).toMatch(/Stopped after 3 model requests/);
  });

  it('stops once the task has cost more than maxCostUsd, with stop reason budget_reached', async () => {
    const probe = probeTool('probe');
    h = await harness({ rules: [{ match: { lastUserText: '' }, reply: loopingTool() }] });
    // Each request costs a little; a cap of a hundredth of a cent is crossed after the first request.
    const rt = h.runtime({ tools: toolSet([probe.tool]), limits: () => ({ maxTurns: 50, maxCostUsd: 0.0001 }) });
    rt.submit('spend');
    expect(await rt.idle()).toBe('budget_reached');
    const n = h.emu.requests.filter((r) => r.path === '/v1/messages').length;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(5);
    expect(rt.snapshot().lastError!.message).toMatch(/per-task cap/);
  });

  it('a new message after a cap starts a fresh budget', async () => {
    h = await harness({ scenario: [{ text: 'one' }, { text: 'two' }] });
    const rt = h.runtime({ limits: () => ({ maxTurns: 1, maxCostUsd: 0 }) });
    rt.submit('first');
    expect(await rt.idle()).toBe('completed');
    rt.submit('second');
    expect(await rt.idle()).toBe('completed');
  });
});
