// UltraPlan through the emulator: the planning run's requests carry the plan model and thinking, in plan mode
// (writes and commands are denied, the tool list is the session's own, byte for byte), the plan it proposes goes to
// the normal review, and after approval the session's own model executes it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionService } from '../../../extension/host/decisions/service';
import { PlanFlow } from '../../../extension/core/planner/flow';
import { DEFAULT_PLAN_MODEL, ULTRAPLAN_CONTEXT } from '../../../extension/core/planner/ultra';
import type { PendingDecision } from '../../../extension/protocol/model';
import { harness, type Harness } from '../agent/harness';
import { planSession, propose, results, run, workspace, write } from './helpers';

let h: Harness;
afterEach(async () => { await h?.close(); });

type Card = Extract<PendingDecision, { kind: 'plan' }>;
type Body = { model: string; max_tokens: number; thinking?: { type: string; budget_tokens?: number }; tools: Array<{ name: string }>; messages: Array<{ content: unknown }> };
const body = (i: number) => h.emu.requests[i]!.body as Body;
const read = (path: string) => ({ type: 'tool_use' as const, name: 'read_file', input: { path } });

describe('UltraPlan', () => {
  it('the planning run uses the plan model with thinking in plan mode; its plan goes to review; execution uses the session model', async () => {
    h = await harness({ scenario: [
      { content: [read('src/main.ts'), write('src/main.ts', 'hacked\n'), run('touch x')] },
      { content: [propose()] },
      { text: 'executing with the session model' },
    ] });
    workspace(h);
    const s = planSession(h, 'accept-edits');
    const decisions = new DecisionService(() => undefined);
    const flow = new PlanFlow(s.plans, decisions.planPort(), () => s.rt);
    expect(DEFAULT_PLAN_MODEL).toBe('claude-opus-5-5');

    const r = await s.ultra.start({ task: 'Add a greeting', model: DEFAULT_PLAN_MODEL, session: s.rt, plans: s.plans, setMode: (m) => s.permissions.setMode(m) });
    expect(r.plan).toMatchObject({ rel: '.agent/plans/add-a-greeting.md', title: 'Add a greeting' });
    expect(s.ultra.running).toBe(false);
    expect(h.emu.requests).toHaveLength(2);
    for (const i of [0, 1]) {
      expect(body(i).model).toBe('claude-opus-5-5');
      expect(body(i).thinking).toEqual({ type: 'adaptive' });
    }
    expect(JSON.stringify(body(0).messages.at(-1))).toContain(ULTRAPLAN_CONTEXT.slice(0, 60));
    // Plan mode: the read ran, the write and the command were denied; nothing changed.
    expect(results(s.rt).map((x) => `${x.name} ${x.status}`)).toEqual(['read_file done', 'write_file error', 'run_command error', 'propose_plan done']);
    expect(s.ran).toEqual([]);
    expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
    expect(existsSync(join(h.dir, 'x'))).toBe(false);

    // The normal review: the card, approved by the user; execution uses the session's own model, no thinking override.
    let card: Card | undefined;
    for (let i = 0; i < 300 && !card; i++) { card = decisions.list().find((d): d is Card => d.kind === 'plan'); if (!card) await new Promise((res) => setTimeout(res, 10)); }
    expect(card!.request.title).toBe('Add a greeting');
    decisions.answer(card!.request.id, { kind: 'plan', nonce: card!.request.nonce, choice: 'approve-review' });
    for (let i = 0; i < 500 && h.emu.requests.length < 3; i++) await new Promise((res) => setTimeout(res, 10));
    await s.rt.idle();
    expect(body(2).model).toBe('claude-sonnet-5-5');
    expect(body(2).thinking).toBeUndefined();
    // Same tools, same order, in every request (the prompt cache's prefix).
    expect(body(2).tools.map((t) => t.name)).toEqual(body(0).tools.map((t) => t.name));
    expect(JSON.stringify(body(2).tools)).toBe(JSON.stringify(body(0).tools));
    expect(s.permissions.mode()).toBe('ask');
    flow.dispose();
  });

  it('a model with a thinking budget gets one; bad input and a waiting plan are refused with what to do', async () => {
    h = await harness({ scenario: [{ content: [propose()] }] });
    workspace(h);
    const s = planSession(h, 'ask');
    const go = (task: string, model = 'claude-sonnet-4-5') => s.ultra.start({ task, model, thinkingBudget: 20_000, session: s.rt, plans: s.plans, setMode: (m) => s.permissions.setMode(m) });
    expect(() => go('   ')).toThrow(/Say what to plan: \/plan <task>/);
    expect(() => go('x', ' ')).toThrow(/cairn.planModel is empty/);
    expect(h.emu.requests).toHaveLength(0);
    await go('Add a greeting');
    expect(body(0).model).toBe('claude-sonnet-4-5');
    expect(body(0).thinking).toEqual({ type: 'enabled', budget_tokens: 20_000 });
    expect((h.emu.requests[0]!.body as { max_tokens: number }).max_tokens).toBe(36_000);
    expect(s.plans.pending).toBeDefined();
    expect(() => go('Another one')).toThrow(/A plan is waiting for your answer/);
    expect(s.ultra.running).toBe(false);
  });
});
