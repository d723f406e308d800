import './setup';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReviewRequest } from '../../webview/src/protocol';
import { describeInput } from '../../webview/src/features/approvals/ApprovalList';
import { inputSummary } from '../../webview/src/features/chat/ToolCard';
import { diffCounts } from '../../webview/src/features/review/ReviewList';
import { assistantMessage, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

const running = { type: 'tool_use' as const, id: 't1', name: 'run_command', inputJson: '{"command":"touch marker.txt"}', status: 'running' as const };
const approval = { id: 'p1', tool: 'run_command', summary: '{"command":"touch marker.txt","timeout_ms":5000}', reason: 'touch needs approval' };
const review: ReviewRequest = {
  id: 'r1', path: 'src/deep/a.ts', tool: 'edit_file', isNew: false,
  hunks: [{ index: 0, header: '@@ -1,2 +1,3 @@', lines: [' a', '-b', '+B', '+C'] }],
};
const spinning = () => document.querySelectorAll('.codicon-modifier-spin').length;

describe('status while the turn waits for the user', () => {
  it('says "Waiting for your approval" and nothing spins; back to "responding" once answered', async () => {
    const { host } = await renderApp({ seq: 1, turn: 'streaming', messages: [userMessage('u1', 'go'), assistantMessage('a1', [running])] });
    expect(screen.getByTestId('streaming-indicator').textContent).toContain('Claude is responding');
    expect(spinning()).toBeGreaterThan(0);
    await hostDoes(() => host.emit('decision/requested', { decision: { kind: 'approval', request: approval } }));
    const line = screen.getByTestId('streaming-indicator');
    expect(line.textContent).toBe('Waiting for your approval');
    expect(line.dataset.waiting).toBe('approval');
    expect(spinning()).toBe(0);
    await hostDoes(() => host.emit('decision/resolved', { id: 'p1', outcome: 'approved' }));
    expect(screen.getByTestId('streaming-indicator').textContent).toContain('Claude is responding');
  });

  it('says "Waiting for your review" while a diff review is pending', async () => {
    await renderApp({ turn: 'streaming', pendingDecisions: [review].map((request) => ({ kind: 'review' as const, request })) });
    expect(screen.getByTestId('streaming-indicator').textContent).toBe('Waiting for your review');
    expect(spinning()).toBe(0);
  });
});

describe('approval card', () => {
  it('shows a command as a shell line and the other fields as key: value, not raw JSON', async () => {
    await renderApp({ pendingDecisions: [approval].map((request) => ({ kind: 'approval' as const, request })) });
    const card = screen.getByTestId('approval');
    expect(card.querySelector('.approval-command')?.textContent).toBe('$ touch marker.txt');
    expect(card.textContent).not.toContain('{"command"');
    expect(card.querySelector('.approval-fields')?.textContent).toBe('timeout_ms5000');
    expect(card.textContent).toContain('touch needs approval');
  });

  it('reads inputs: command, path and fields; anything else stays as text', () => {
    expect(describeInput('{"path":"src/a.ts","content":"x"}')).toEqual({ command: undefined, path: 'src/a.ts', fields: [['content', 'x']] });
    expect(describeInput('{"command":"ls')).toBeNull();
    expect(describeInput('npm test')).toBeNull();
  });
});

describe('tool card, review card, header, empty state', () => {
  it('tool card: one head line with the name, the summary and a status for assistive tech', async () => {
    await renderApp({ messages: [assistantMessage('a1', [{ ...running, status: 'error', output: 'boom', durationMs: 1500 }], 'complete')] });
    const card = screen.getByTestId('tool-card');
    expect(card.getAttribute('aria-label')).toBe('Tool run_command: failed');
    expect(card.querySelector('.tool-card-head .tool-summary')?.textContent).toBe('touch marker.txt');
    expect(card.querySelector('.tool-icon')?.classList.contains('codicon-error')).toBe(true);
    expect(within(card).getByTestId('tool-output').textContent).toContain('boom');
    expect(inputSummary('{"pattern":"TODO","path":"src"}')).toBe('TODO in src');
  });

  it('review card: the path with +added/−removed counts', async () => {
    await renderApp({ pendingDecisions: [review].map((request) => ({ kind: 'review' as const, request })) });
    const card = screen.getByTestId('review-card');
    expect(card.textContent).toContain('src/deep/a.ts');
    expect(card.querySelector('.review-counts')?.textContent).toBe('+2−1');
    expect(diffCounts(review.hunks)).toEqual({ added: 2, removed: 1 });
    const accept = within(card).getByTestId('hunk-accept');
    expect(accept.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(card).getByTestId('hunk-reject'));
    expect(within(card).getByTestId('hunk-reject').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('review-hunk').dataset.accepted).toBe('false');
  });

  it('header: icon buttons with names and tooltips; the history toggle is pressed while open', async () => {
    const { host } = await renderApp({ seq: 0 });
    for (const id of ['undo-button', 'history-button', 'new-session-button']) {
      const b = screen.getByTestId(id);
      expect(b.getAttribute('aria-label')).toBeTruthy();
      expect(b.getAttribute('title')).toBeTruthy();
    }
    fireEvent.click(screen.getByTestId('history-button'));
    expect(screen.getByTestId('history-button').getAttribute('aria-pressed')).toBe('true');
    await hostDoes(() => host.reply(host.lastRequest('session/list'), { sessions: [] }));
  });

  it('empty state: an example prompt fills the composer', async () => {
    await renderApp();
    const examples = screen.getAllByTestId('example-prompt');
    expect(examples).toHaveLength(3);
    fireEvent.click(examples[1] as HTMLElement);
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe(examples[1]?.textContent);
  });
});
