// The plan file is the source of truth: edits made in an editor (saved, or still unsaved and saved by the host when
// the user answers) are what gets executed. Plans are kept: an open plan of another session, or an approved one
// that stopped half-way, can be resumed (it goes back to review, steps keep their states); a plan can be abandoned
// (the file records it); a finished plan records its outcome.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionService } from '../../../extension/host/decisions/service';
import { PlanFlow } from '../../../extension/core/planner/flow';
import { parsePlan } from '../../../extension/core/planner/format';
import { listPlans } from '../../../extension/core/planner/store';
import type { PermissionMode } from '../../../extension/core/permissions/types';
import type { PendingDecision } from '../../../extension/protocol/model';
import { harness, type Harness } from '../agent/harness';
import { planSession, propose, step, workspace } from './helpers';

let h: Harness;
afterEach(async () => { await h?.close(); });

type Card = Extract<PendingDecision, { kind: 'plan' }>;
const FILE = '.agent/plans/add-a-greeting.md';

function withDecisions(mode: PermissionMode, opts: { sessionId?: string; flush?: (p: string) => Promise<void> } = {}) {
  const s = planSession(h, mode, opts.sessionId ? { sessionId: opts.sessionId } : {});
  const decisions = new DecisionService(() => undefined);
  const notices: string[] = [];
  const flow = new PlanFlow(s.plans, decisions.planPort(), () => s.rt, (_l, m) => notices.push(m), undefined, opts.flush);
  const card = () => decisions.list().find((d): d is Card => d.kind === 'plan');
  const waitCard = async () => { for (let i = 0; i < 300 && !card(); i++) await new Promise((r) => setTimeout(r, 10)); return card()!; };
  const waitRequests = async (n: number) => { for (let i = 0; i < 500 && h.emu.requests.length < n; i++) await new Promise((r) => setTimeout(r, 10)); await s.rt.idle(); };
  return { ...s, decisions, flow, card, waitCard, waitRequests, notices };
}
const lastUser = (i: number) => JSON.stringify((h.emu.requests[i]!.body as { messages: unknown[] }).messages.at(-1));

describe('editor edits of the plan file', () => {
  it('a step reworded in the file (saved) after the card was shown is what the model is told to execute', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
    workspace(h);
    const s = withDecisions('ask');
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    expect(c.request.steps[1]!.text).toBe('Call it from src/main.ts');
    const file = join(h.dir, FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Call it from src/main.ts', 'Call it from src/app.ts instead'));
    expect(s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'approve-review' })).toBe(true);
    await s.waitRequests(2);
    expect(lastUser(1)).toContain('Call it from src/app.ts instead');
    expect(lastUser(1)).not.toContain('Call it from src/main.ts');
    expect(s.plans.pinnedText()).toContain('- [ ] Call it from src/app.ts instead');
    s.flow.dispose();
  });

  it('unsaved editor edits are saved by the host when the user answers (flush), then executed', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
    workspace(h);
    const file = join(h.dir, FILE);
    const flushed: string[] = [];
    // The host's flush saves the editor's buffer: here, the buffer's text is written as the save would.
    const s = withDecisions('ask', { flush: async (p) => { flushed.push(p); writeFileSync(p, readFileSync(p, 'utf8').replace('- [ ] Run the tests', '- [ ] Run the tests\n- [ ] Update the README')); } });
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    expect(flushed).toEqual([]);
    expect(s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'approve-auto' })).toBe(true);
    await s.waitRequests(2);
    expect(flushed).toHaveLength(1);
    expect(flushed[0]!.endsWith(join('.agent', 'plans', 'add-a-greeting.md'))).toBe(true);
    expect(lastUser(1)).toContain('Update the README');
    expect(parsePlan(readFileSync(file, 'utf8')).steps.map((x) => x.text)).toEqual(['Write greet in src/greet.ts', 'Call it from src/main.ts', 'Run the tests', 'Update the README']);
    s.flow.dispose();
  });

  it('a flush that fails is reported and the file on disk is used', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
    workspace(h);
    const s = withDecisions('ask', { flush: async () => { throw new Error('disk full'); } });
    s.rt.submit('plan');
    await s.rt.idle();
    const c = await s.waitCard();
    s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'approve-review' });
    await s.waitRequests(2);
    expect(s.notices.some((n) => n.includes('disk full') && n.includes('the file as it is on disk is used'))).toBe(true);
    expect(s.permissions.mode()).toBe('ask');
    expect(lastUser(1)).toContain('Write greet in src/greet.ts');
    s.flow.dispose();
  });
});

describe('plan list: resume and abandon', () => {
  it('an open plan of another session is resumed: plan mode, the card shows it, approval makes it this session\'s plan', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'starting' }] });
    workspace(h);
    const first = withDecisions('accept-edits');
    first.rt.submit('plan');
    await first.rt.idle();
    await first.waitCard();
    first.flow.dispose();
    first.rt.close();

    const s = withDecisions('auto');
    expect(s.plans.pending).toBeUndefined();
    expect(listPlans(h.dir).map((p) => [p.rel, p.status, p.session])).toEqual([[FILE, 'open', first.sessionId]]);
    s.plans.resume(FILE);
    expect(s.permissions.mode()).toBe('plan');
    expect(s.plans.held()).toBe(true);
    const c = await s.waitCard();
    expect(c.request.title).toBe('Add a greeting');
    s.decisions.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'approve-review' });
    await s.waitRequests(2);
    const onDisk = parsePlan(readFileSync(join(h.dir, FILE), 'utf8'));
    expect(onDisk).toMatchObject({ status: 'approved', mode: 'ask', session: s.sessionId });
    expect(s.permissions.mode()).toBe('ask');
    s.flow.dispose();
  });

  it('an approved plan that stopped half-way resumes with its steps\' states; abandon records it; done and abandoned plans are refused', async () => {
    h = await harness({ scenario: [{ content: [propose()] }, { text: 'go' }, { content: [step(1, 'done')] }, { text: 'paused' }, { text: 'again' }] });
    workspace(h);
    const first = withDecisions('ask');
    first.rt.submit('plan');
    await first.rt.idle();
    const c0 = await first.waitCard();
    first.decisions.answer(c0.request.id, { kind: 'plan', nonce: c0.request.nonce, choice: 'approve-auto' });
    await first.waitRequests(2);
    first.rt.submit('do step 1');
    await first.rt.idle();
    first.flow.dispose();
    first.rt.close();

    const s = withDecisions('ask');
    s.plans.resume(FILE);
    const c = await s.waitCard();
    expect(c.request.steps.map((x) => x.state)).toEqual(['done', 'todo', 'todo']);
    expect(() => s.plans.resume('.agent/plans/../../src/main.ts')).toThrow(/not a plan file/);
    // Abandoned while it waits: the card is withdrawn, the file says so and why.
    s.plans.abandon(FILE);
    for (let i = 0; i < 100 && s.card(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.card()).toBeUndefined();
    expect(s.plans.held()).toBe(false);
    const onDisk = parsePlan(readFileSync(join(h.dir, FILE), 'utf8'));
    expect(onDisk).toMatchObject({ status: 'abandoned', outcome: 'Abandoned by the user.' });
    expect(onDisk.steps.map((x) => x.state)).toEqual(['done', 'todo', 'todo']);
    expect(listPlans(h.dir)[0]!.status).toBe('abandoned');
    expect(() => s.plans.resume(FILE)).toThrow(/is abandoned; set its status to open/);
    expect(() => s.plans.abandon(FILE)).toThrow(/already abandoned/);
    s.flow.dispose();
  });
});
