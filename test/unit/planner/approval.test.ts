// Approval is the user's act alone, through the host's DecisionService with its nonce; the mode after approval
// is exactly the one chosen; a chat message is feedback, never approval; the approved plan (with the user's edits)
// is pinned and survives a reload; edits outside the plan are flagged; steps are tracked in the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionService } from '../../../extension/host/decisions/service';
import { PlanFlow, HOW_TO_APPROVE } from '../../../extension/core/planner/flow';
import { parsePlan, serializePlan } from '../../../extension/core/planner/format';
import type { PermissionMode } from '../../../extension/core/permissions/types';
import type { PendingDecision } from '../../../extension/protocol/model';
import { requestSchemas } from '../../../extension/protocol/requests';
import { harness, type Harness } from '../agent/harness';
import { planSession, propose, results, run, step, workspace, write } from './helpers';

let h: Harness;
afterEach(async () => { await h?.close(); });

type Plan = Extract<PendingDecision, { kind: 'plan' }>;

/** A session with the host's DecisionService in front of the plan, as the panel wires it. */
function withDecisions(mode: PermissionMode, sessionId?: string) {
  const s = planSession(h, mode, sessionId ? { sessionId } : {});
  const events: Array<{ name: string; data: unknown }> = [];
  const decisions = new DecisionService((name, data) => { events.push({ name, data }); });
  const notices: string[] = [];
  const flow = new PlanFlow(s.plans, decisions.planPort(), () => s.rt, (_l, m) => notices.push(m));
  const card = () => decisions.list().find((d): d is Plan => d.kind === 'plan');
  const waitCard = async () => { for (let i = 0; i < 200 && !card(); i++) await new Promise((r) => setTimeout(r, 10)); return card()!; };
  const settle = async () => { for (let i = 0; i < 300; i++) { await new Promise((r) => setTimeout(r, 10)); if (!s.rt.busy) { await new Promise((r) => setTimeout(r, 30)); if (!s.rt.busy) return; } } };
  return { ...s, decisions, flow, card, waitCard, settle, notices, events };
}

describe('plan approval', () => {
  it('a forged answer without the host\'s nonce is refused (and fails the protocol schema); the plan keeps waiting', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'never' }] });
    workspace(h);
    const s = withDecisions('accept-edits');
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    expect(c.request.nonce).toMatch(/^[0-9a-f]{48}$/);
    const forged = { kind: 'plan' as const, choice: 'approve-auto' as const };
    expect(requestSchemas['decision/answer'].params.safeParse({ id: c.request.id, answer: forged }).success).toBe(false);
    expect(s.decisions.answer(c.request.id, { ...forged, nonce: 'f'.repeat(48) })).toBe(false);
    // One hex digit off (a different digit whatever the last one is: the nonce is random).
    const offByOne = c.request.nonce.slice(0, 47) + (c.request.nonce.endsWith('0') ? '1' : '0');
    expect(s.decisions.answer(c.request.id, { ...forged, nonce: offByOne })).toBe(false);
    expect(s.decisions.answer(c.request.id, { kind: 'approval', decision: 'approve' })).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.card()).toBeDefined();
    expect(s.plans.held()).toBe(true);
    expect(s.permissions.mode()).toBe('plan');
    expect(h.emu.requests.length).toBe(1);
    s.flow.dispose();
  });

  for (const [before, choice, after] of [['auto', 'approve-review', 'ask'], ['accept-edits', 'approve-review', 'ask'], ['ask', 'approve-auto', 'accept-edits'], ['auto', 'approve-auto', 'accept-edits']] as const) {
    it(`proposed in ${before} mode, answered ${choice}: the mode is exactly ${after}`, async () => {
      h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
      workspace(h);
      const s = withDecisions(before);
      s.rt.submit('plan');
      await s.rt.idle();
      // Nothing approves it by itself, whatever the mode before was.
      await new Promise((r) => setTimeout(r, 150));
      expect(s.permissions.mode()).toBe('plan');
      expect(h.emu.requests.length).toBe(1);
      const c = await s.waitCard();
      expect(s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice })).toBe(true);
      await s.settle();
      expect(s.permissions.mode()).toBe(after);
      expect(s.modes.at(-1)).toBe(after);
      const plan = parsePlan(readFileSync(join(h.dir, '.agent/plans/add-a-greeting.md'), 'utf8'));
      expect(plan).toMatchObject({ status: 'approved', mode: after });
      s.flow.dispose();
    });
  }

  it('"go ahead" typed after the plan was sent back is feedback: plan mode stays, edits are denied, the panel says how to approve', async () => {
    h = await harness({ scenario: [
      { content: [propose()] },
      { text: 'I will revise it.' },
      { content: [{ type: 'text', text: 'Approved, editing now.' }, write('src/main.ts'), run('touch x')] },
      { text: 'ok' },
    ] });
    workspace(h);
    const s = withDecisions('accept-edits');
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    expect(s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'keep-planning', feedback: 'Use a template string.' })).toBe(true);
    await s.settle();
    expect(s.permissions.mode()).toBe('plan');
    const lastUser = () => JSON.stringify((h.emu.requests.at(-1)!.body as { messages: unknown[] }).messages.at(-1));
    expect(lastUser()).toContain('Use a template string.');
    const context = s.flow.beforeUserMessage();
    s.rt.submit('go ahead', context ? { context: [context] } : {});
    await s.rt.idle();
    expect(s.notices).toContain(HOW_TO_APPROVE);
    expect(JSON.stringify((h.emu.requests[2]!.body as { messages: unknown[] }).messages.at(-1))).toMatch(/go ahead.*feedback on it, not approval|feedback on it, not approval.*go ahead/);
    expect(results(s.rt).slice(-2).map((r) => `${r.name} ${r.status}`)).toEqual(['write_file error', 'run_command error']);
    expect(s.ran).toEqual([]);
    expect(s.permissions.mode()).toBe('plan');
    expect(parsePlan(readFileSync(join(h.dir, '.agent/plans/add-a-greeting.md'), 'utf8')).status).toBe('open');
    expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
  });

  it('"go ahead" typed while the card waits withdraws the card, keeps plan mode, and the next proposal revises the same file', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { content: [write('src/main.ts'), propose({ title: 'Renamed', summary: 's', steps: [{ text: 'one step', files: [] }], risks: [], verification: 'v' })] }, { text: 'never' }] });
    workspace(h);
    const s = withDecisions('auto');
    s.rt.submit('plan');
    await s.rt.idle();
    await s.waitCard();
    const context = s.flow.beforeUserMessage();
    expect(s.card()).toBeUndefined();
    s.rt.submit('go ahead', { context: [context!] });
    await s.rt.idle();
    expect(results(s.rt).map((r) => `${r.name} ${r.status}`)).toEqual(['propose_plan done', 'write_file error', 'propose_plan done']);
    expect(s.permissions.mode()).toBe('plan');
    const c = await s.waitCard();
    expect(c.request.title).toBe('Renamed');
    expect(c.request.path).toBe('.agent/plans/add-a-greeting.md');
    s.flow.dispose();
  });

  it('the plan file edited while the card waits: refreshPlan re-announces the card with the file\'s steps and the same nonce; approving executes the file', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
    workspace(h);
    const s = withDecisions('ask');
    s.rt.submit('plan');
    await s.rt.idle();
    const c0 = await s.waitCard();
    const file = join(h.dir, '.agent/plans/add-a-greeting.md');
    const edited = parsePlan(readFileSync(file, 'utf8'));
    edited.steps = [edited.steps[0]!, { ...edited.steps[2]!, text: 'Run the tests and the linter' }];
    writeFileSync(file, serializePlan(edited));
    const before = s.events.length;
    // Another path, or the same content again: nothing to announce.
    expect(s.decisions.refreshPlan('.agent/plans/other.md', edited)).toBe(false);
    expect(s.decisions.refreshPlan(c0.request.path, parsePlan(readFileSync(file, 'utf8')))).toBe(true);
    expect(s.decisions.refreshPlan(c0.request.path, parsePlan(readFileSync(file, 'utf8')))).toBe(false);
    expect(s.events.slice(before).map((e) => e.name)).toEqual(['decision/requested']);
    const c1 = s.card()!;
    expect(c1.request).toMatchObject({ id: c0.request.id, nonce: c0.request.nonce, title: 'Add a greeting' });
    expect(c1.request.steps.map((x) => x.text)).toEqual(['Write greet in src/greet.ts', 'Run the tests and the linter']);
    expect(s.decisions.answer(c1.request.id, { kind: 'plan', nonce: c0.request.nonce, choice: 'approve-review' })).toBe(true);
    await s.settle();
    // What the model was given to execute is the file's plan.
    expect(JSON.stringify(h.emu.requests.at(-1)!.body)).toContain('Run the tests and the linter');
    s.flow.dispose();
  });

  it('approve and review each edit: the card shows the plan on disk (edited in an editor), the panel\'s step edits are executed, edits off the plan are flagged, steps are checked off, and a reload keeps plan and progress', async () => {
    h = await harness({ scenario: [
      { content: [propose()] },
      { content: [step(1, 'in_progress'), write('src/hello.ts', 'export const hello = () => "hello";\n'), step(1, 'done'), write('src/extra.ts', 'export const x = 2;\n')] },
      { text: 'step 1 done' },
    ] });
    workspace(h);
    const s = withDecisions('ask');
    s.rt.submit('add a greeting');
    await s.rt.idle();
    // The user edits the file in an editor before the card is answered: a step is reworded.
    const file = join(h.dir, '.agent/plans/add-a-greeting.md');
    const c0 = await s.waitCard();
    expect(c0.request.steps.map((x) => x.text)).toEqual(['Write greet in src/greet.ts', 'Call it from src/main.ts', 'Run the tests']);
    expect(c0.request).toMatchObject({ title: 'Add a greeting', summary: 'Add a greet function and use it.', risks: ['None worth noting'], verification: 'npm test', path: '.agent/plans/add-a-greeting.md' });
    // On the card: step 1 edited, step 2 deleted, a comment on step 1; approve and review each edit.
    expect(s.decisions.answer(c0.request.id, {
      kind: 'plan', nonce: c0.request.nonce, choice: 'approve-review',
      steps: [{ text: 'Write hello in src/hello.ts', files: ['src/hello.ts'] }, { text: 'Run the tests', files: [] }],
      comments: [{ step: 1, text: 'name it hello, not greet' }],
    })).toBe(true);
    await s.settle();
    expect(s.permissions.mode()).toBe('ask');
    const approvedReq = JSON.stringify((h.emu.requests[1]!.body as { messages: unknown[] }).messages.at(-1));
    expect(approvedReq).toContain('Write hello in src/hello.ts');
    expect(approvedReq).not.toContain('Call it from src/main.ts');
    expect(approvedReq).toContain('name it hello, not greet');
    // Each edit was put to the user (review each edit): both asked and approved by the test's port.
    expect(s.asked).toEqual(['write_file', 'write_file']);
    const r = results(s.rt);
    expect(r.find((x) => x.name === 'write_file' && x.display?.offPlan)?.display?.offPlan).toMatch(/src\/extra\.ts is not named by the approved plan/);
    expect(r.filter((x) => x.name === 'write_file' && !x.display?.offPlan)).toHaveLength(1);
    const onDisk = parsePlan(readFileSync(file, 'utf8'));
    expect(onDisk.steps.map((x) => [x.text, x.state])).toEqual([['Write hello in src/hello.ts', 'done'], ['Run the tests', 'todo']]);
    // Pinned context: the approved text, fresh from disk.
    expect(s.plans.pinnedText()).toContain('- [x] Write hello in src/hello.ts');
    // Reload: a new runtime for the same session finds the plan and its progress.
    s.flow.dispose();
    s.rt.close();
    const again = planSession(h, 'ask', { sessionId: s.sessionId });
    expect(again.plans.active).toBe(file);
    expect(again.plans.pinnedText()).toContain('- [x] Write hello in src/hello.ts');
    expect(again.plans.pinnedText()).toContain('- [ ] Run the tests');
  });

  it('a user edit of the plan file after approval is what the pinned context carries; a finished plan records its outcome', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'go' }, { content: [step(1, 'done'), step(2, 'skipped', { note: 'not needed' }), step(3, 'done', { outcome: 'Greeting added; tests pass.' })] }, { text: 'finished' }] });
    workspace(h);
    const s = withDecisions('ask');
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'approve-auto' });
    await s.settle();
    const file = join(h.dir, '.agent/plans/add-a-greeting.md');
    const p = parsePlan(readFileSync(file, 'utf8'));
    writeFileSync(file, serializePlan({ ...p, verification: 'npm test and a manual check' }));
    expect(s.plans.pinnedText()).toContain('npm test and a manual check');
    s.rt.submit('continue');
    await s.rt.idle();
    const done = parsePlan(readFileSync(file, 'utf8'));
    expect(done).toMatchObject({ status: 'done', outcome: 'Greeting added; tests pass.' });
    expect(done.steps.map((x) => x.state)).toEqual(['done', 'skipped', 'done']);
    expect(done.steps[1]!.details).toBe('Note: not needed');
    // The panel's task card shows the plan's progress.
    expect(s.rt.snapshot().todo).toEqual([
      { content: 'Write greet in src/greet.ts', status: 'completed' },
      { content: 'Call it from src/main.ts (skipped)', status: 'completed' },
      { content: 'Run the tests', status: 'completed' },
    ]);
    expect(s.plans.active).toBeUndefined();
    s.flow.dispose();
  });
});
