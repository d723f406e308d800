import './setup';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PendingDecision } from '../../webview/src/protocol';
import { hostDoes, renderApp } from './app';
import { assistantMessage, flush, userMessage } from './helpers';

const request: Extract<PendingDecision, { kind: 'plan' }>['request'] = {
  id: 'plan-1', nonce: 'a'.repeat(48), path: '.agent/plans/add-a-greeting.md', title: 'Add a greeting',
  summary: 'Add a greet function and use it.',
  steps: [
    { text: 'Write greet in src/greet.ts', files: ['src/greet.ts'], state: 'todo' },
    { text: 'Call it from src/main.ts', files: ['src/main.ts'], state: 'todo' },
    { text: 'Run the tests', files: [], state: 'todo' },
  ],
  risks: ['None worth noting'], verification: 'npm test',
};

const click = async (el: Element) => { await act(async () => { fireEvent.click(el); await flush(); }); };
const stepTexts = () => screen.getAllByTestId('plan-step-text').map((i) => (i as HTMLInputElement).value);

describe('plan review card', () => {
  it('shows the plan it approves: title, path, summary, steps with files, risks, verification, and the three answers first', async () => {
    const { host } = await renderApp();
    await hostDoes(() => host.emit('decision/requested', { decision: { kind: 'plan', request } }));
    const card = screen.getByTestId('plan-card');
    expect(within(card).getByTestId('plan-title').textContent).toBe('Add a greeting');
    expect(card.textContent).toContain('.agent/plans/add-a-greeting.md');
    expect(within(card).getByTestId('plan-summary').textContent).toBe('Add a greet function and use it.');
    expect(stepTexts()).toEqual(request.steps.map((s) => s.text));
    expect((screen.getByLabelText('Files of step 1') as HTMLInputElement).value).toBe('src/greet.ts');
    expect(card.textContent).toContain('None worth noting');
    expect(within(card).getByTestId('plan-verification').textContent).toBe('npm test');
    // The answers come before the plan body (visible without scrolling) and are real buttons.
    const toolbar = within(card).getByRole('toolbar', { name: 'Answer the plan' });
    expect(toolbar.compareDocumentPosition(within(card).getByTestId('plan-summary')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(toolbar).getAllByText(/Approve and auto-accept edits|Approve and review each edit|Keep planning/)).toHaveLength(3);
  });

  it('edit a step, delete one, reorder with the keyboard, add one, comment, then approve and review each edit: the answer carries the nonce and the edited steps', async () => {
    const { host } = await renderApp({ pendingDecisions: [{ kind: 'plan', request }] });
    await act(async () => { fireEvent.change(screen.getAllByTestId('plan-step-text')[0]!, { target: { value: 'Write hello in src/hello.ts' } }); });
    await act(async () => { fireEvent.change(screen.getByLabelText('Files of step 1'), { target: { value: 'src/hello.ts' } }); });
    await click(screen.getByLabelText('Delete step 2'));
    expect(stepTexts()).toEqual(['Write hello in src/hello.ts', 'Run the tests']);
    await act(async () => { fireEvent.keyDown(screen.getAllByTestId('plan-step')[1]!, { key: 'ArrowUp', altKey: true }); });
    expect(stepTexts()).toEqual(['Run the tests', 'Write hello in src/hello.ts']);
    await click(screen.getByLabelText('Move step 1 down'));
    expect(stepTexts()).toEqual(['Write hello in src/hello.ts', 'Run the tests']);
    await click(screen.getByTestId('plan-add-step'));
    await act(async () => { fireEvent.change(screen.getAllByTestId('plan-step-text')[2]!, { target: { value: 'Update the README' } }); });
    await act(async () => { fireEvent.change(screen.getByLabelText('Comment on step 1'), { target: { value: 'name it hello' } }); });
    await click(screen.getByTestId('plan-approve-review'));
    const sent = host.lastRequest('decision/answer').params;
    expect(sent).toEqual({
      id: 'plan-1',
      answer: {
        kind: 'plan', nonce: request.nonce, choice: 'approve-review',
        steps: [{ text: 'Write hello in src/hello.ts', files: ['src/hello.ts'] }, { text: 'Run the tests', files: [] }, { text: 'Update the README', files: [] }],
        comments: [{ step: 1, text: 'name it hello' }],
      },
    });
  });

  it('keep planning sends the feedback; an unchanged plan is approved without a steps list; the card leaves when resolved', async () => {
    const { host } = await renderApp({ pendingDecisions: [{ kind: 'plan', request }] });
    await act(async () => { fireEvent.change(screen.getByTestId('plan-feedback'), { target: { value: 'Use a template string' } }); });
    await click(screen.getByTestId('plan-keep-planning'));
    expect(host.lastRequest('decision/answer').params.answer).toEqual({ kind: 'plan', nonce: request.nonce, choice: 'keep-planning', feedback: 'Use a template string' });
    // The host refuses it (e.g. a stale card): the card stays and can be answered again.
    await hostDoes(() => host.reply(host.lastRequest('decision/answer'), { ok: false }));
    await act(async () => { fireEvent.change(screen.getByTestId('plan-feedback'), { target: { value: '' } }); });
    await click(screen.getByTestId('plan-approve-auto'));
    expect(host.lastRequest('decision/answer').params.answer).toEqual({ kind: 'plan', nonce: request.nonce, choice: 'approve-auto' });
    await hostDoes(() => host.emit('decision/resolved', { id: 'plan-1', outcome: 'approved' }));
    expect(screen.queryByTestId('plan-card')).toBeNull();
  });
});

describe('off-plan flag on a tool card', () => {
  it('an edit the approved plan does not name is flagged on its card (live, and from a snapshot); other cards are not', async () => {
    const { host } = await renderApp({
      seq: 1,
      messages: [userMessage('u1', 'go'), assistantMessage('a1', [
        { type: 'tool_use', id: 't1', name: 'write_file', kind: 'edit', inputJson: '{"path":"src/greet.ts"}', status: 'done', output: 'wrote' },
        { type: 'tool_use', id: 't2', name: 'write_file', kind: 'edit', inputJson: '{"path":"src/extra.ts"}', status: 'running' },
      ])],
    });
    const cards = () => screen.getAllByTestId('tool-card');
    expect(screen.queryByTestId('off-plan-flag')).toBeNull();
    await hostDoes(() => host.emit('tool/result', { messageId: 'a1', blockIndex: 1, toolUseId: 't2', status: 'done', output: 'wrote', durationMs: 5, offPlan: 'src/extra.ts is not named by the approved plan (.agent/plans/add-a-greeting.md)' }));
    expect(cards()[0]!.dataset.offPlan).toBeUndefined();
    expect(cards()[1]!.dataset.offPlan).toBe('true');
    const flag = within(cards()[1]!).getByTestId('off-plan-flag');
    expect(flag.textContent).toContain('off plan');
    expect(flag.getAttribute('title')).toBe('Off plan: src/extra.ts is not named by the approved plan (.agent/plans/add-a-greeting.md)');
    expect(cards()[1]!.getAttribute('aria-label')).toContain('off plan');
  });

  it('a snapshot with a flagged block shows the flag', async () => {
    await renderApp({
      seq: 1,
      messages: [assistantMessage('a1', [{ type: 'tool_use', id: 't1', name: 'edit_file', kind: 'edit', inputJson: '{"path":"x.ts"}', status: 'done', offPlan: 'x.ts is not named by the approved plan (p.md)' }])],
    });
    expect(screen.getByTestId('off-plan-flag').textContent).toContain('x.ts is not named');
  });
});

describe('plan file and plan list', () => {
  it('"Open in editor" on the card asks the host to open the plan file', async () => {
    const { host } = await renderApp({ pendingDecisions: [{ kind: 'plan', request }] });
    await click(screen.getByTestId('plan-open-file'));
    expect(host.lastRequest('plan/open').params).toEqual({ path: '.agent/plans/add-a-greeting.md' });
  });

  it('the plan file edited in an editor: the card shows its new steps (same nonce), says so, and approving sends no stale steps', async () => {
    const { host } = await renderApp({ pendingDecisions: [{ kind: 'plan', request }] });
    expect(screen.queryByTestId('plan-updated')).toBeNull();
    // A step edited on the card first; then the file changes on disk and the host re-announces the plan.
    await act(async () => { fireEvent.change(screen.getAllByTestId('plan-step-text')[0]!, { target: { value: 'typed on the card' } }); });
    const fromFile = { ...request, steps: [{ text: 'Write greet and its test', files: ['src/greet.ts', 'test/greet.test.ts'], state: 'todo' as const }, { text: 'Run the tests', files: [], state: 'todo' as const }] };
    await hostDoes(() => host.emit('decision/requested', { decision: { kind: 'plan', request: fromFile } }));
    expect(stepTexts()).toEqual(['Write greet and its test', 'Run the tests']);
    expect((screen.getByLabelText('Files of step 1') as HTMLInputElement).value).toBe('src/greet.ts, test/greet.test.ts');
    expect(screen.getByTestId('plan-updated').textContent).toContain('The plan file changed');
    expect(screen.getAllByTestId('plan-card')).toHaveLength(1);
    await click(screen.getByTestId('plan-approve-auto'));
    // Unchanged since the file's version: no steps list (the host executes the file as it is).
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'plan-1', answer: { kind: 'plan', nonce: request.nonce, choice: 'approve-auto' } });
  });

  const plans = [
    { path: '.agent/plans/new-one.md', title: 'New one', status: 'open' as const, created: '2026-12-02T10:00:00.000Z', progress: { done: 0, skipped: 0, total: 2 }, current: false },
    { path: '.agent/plans/half.md', title: 'Half way', status: 'approved' as const, created: '2026-12-01T10:00:00.000Z', progress: { done: 1, skipped: 1, total: 4 }, current: true },
    { path: '.agent/plans/old.md', title: 'Old one', status: 'done' as const, created: '2026-11-01T10:00:00.000Z', progress: { done: 3, skipped: 0, total: 3 }, outcome: 'Shipped; tests pass.', current: false },
    { path: '.agent/plans/dropped.md', title: 'Dropped', status: 'abandoned' as const, created: '2026-10-01T10:00:00.000Z', outcome: 'Abandoned by the user.', current: false },
    { path: '.agent/plans/broken.md', problem: 'broken.md: the front matter has no title', current: false },
  ];

  it('lists plans grouped open / done / abandoned with progress and outcome; open, resume and abandon (after a confirmation) go to the host', async () => {
    const { host } = await renderApp();
    await click(screen.getByTestId('plans-button'));
    await hostDoes(() => host.reply(host.lastRequest('plan/list'), { plans }));
    const list = screen.getByTestId('plan-history');
    const groups = within(list).getAllByRole('heading').map((h) => h.textContent);
    expect(groups).toEqual(['Open (3)', 'Done (1)', 'Abandoned (1)']);
    const row = (path: string) => screen.getAllByTestId('plan-history-item').find((r) => r.dataset.path === path)!;
    expect(row('.agent/plans/half.md').textContent).toContain('in progress · 2/4 steps');
    expect(row('.agent/plans/half.md').textContent).toContain('this session');
    expect(within(row('.agent/plans/old.md')).getByTestId('plan-history-outcome').textContent).toBe('Shipped; tests pass.');
    expect(row('.agent/plans/broken.md').textContent).toContain('the front matter has no title');
    // Resume is offered for unfinished plans of other sessions; abandon for unfinished ones; open for all.
    expect(within(row('.agent/plans/half.md')).queryByTestId('plan-history-resume')).toBeNull();
    expect(within(row('.agent/plans/old.md')).queryByTestId('plan-history-resume')).toBeNull();
    expect(within(row('.agent/plans/old.md')).queryByTestId('plan-history-abandon')).toBeNull();
    await click(within(row('.agent/plans/old.md')).getByTestId('plan-history-open'));
    expect(host.lastRequest('plan/open').params).toEqual({ path: '.agent/plans/old.md' });
    await click(within(row('.agent/plans/new-one.md')).getByTestId('plan-history-abandon'));
    expect(host.requests('plan/abandon')).toHaveLength(0);
    await click(screen.getByTestId('plan-abandon-confirm'));
    expect(host.lastRequest('plan/abandon').params).toEqual({ path: '.agent/plans/new-one.md' });
    await hostDoes(() => host.reply(host.lastRequest('plan/abandon'), { ok: true }));
    await click(within(row('.agent/plans/new-one.md')).getByTestId('plan-history-resume'));
    expect(host.lastRequest('plan/resume').params).toEqual({ path: '.agent/plans/new-one.md' });
    // A refusal is shown where the user acted.
    await hostDoes(() => host.reply(host.lastRequest('plan/resume'), { ok: false, error: 'Another plan is waiting for your answer in this session; answer it first.' }));
    expect(screen.getByTestId('plan-history-error').textContent).toContain('answer it first');
    expect(screen.getByTestId('plan-history')).toBeTruthy();
  });

  it('an empty workspace says how to get a plan', async () => {
    const { host } = await renderApp();
    await click(screen.getByTestId('plans-button'));
    await hostDoes(() => host.reply(host.lastRequest('plan/list'), { plans: [] }));
    expect(screen.getByTestId('plan-history-empty').textContent).toContain('/plan');
  });
});

describe('/plan in the composer (UltraPlan)', () => {
  const type = async (text: string) => {
    const input = screen.getByTestId('composer-input');
    await act(async () => { fireEvent.change(input, { target: { value: text } }); });
    await act(async () => { fireEvent.keyDown(input, { key: 'Enter' }); await flush(); });
  };

  it('"/plan <task>" starts a planning run instead of sending a message; a refusal is shown and the text kept', async () => {
    const { host } = await renderApp();
    await type('/plan add input validation to the signup form');
    expect(host.requests('chat/send')).toHaveLength(0);
    expect(host.lastRequest('plan/ultra').params).toEqual({ task: 'add input validation to the signup form' });
    await hostDoes(() => host.reply(host.lastRequest('plan/ultra'), { ok: false, error: 'A plan is waiting for your answer; approve it or send it back before starting another planning run.' }));
    expect(screen.getByTestId('action-error').textContent).toContain('A plan is waiting for your answer');
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('/plan add input validation to the signup form');
    await type('/plan add input validation to the signup form');
    await hostDoes(() => host.reply(host.lastRequest('plan/ultra'), { ok: true }));
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('');
  });

  it('"/plan" without a task says what to write and sends nothing', async () => {
    const { host } = await renderApp();
    await type('/plan   ');
    expect(host.requests('plan/ultra')).toHaveLength(0);
    expect(host.requests('chat/send')).toHaveLength(0);
    expect(screen.getByTestId('composer-note').textContent).toContain('Say what to plan after /plan');
  });
});
