import './setup';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

const request = { id: 'p1', tool: 'run_command', summary: 'npm test', reason: 'Commands ask before they run', detail: 'cwd: /work' };

describe('approvals', () => {
  it('shows a pending approval; Approve answers it for this call and the card leaves when resolved', async () => {
    const { host } = await renderApp({ seq: 1 });
    await hostDoes(() => host.emit('decision/requested', { decision: { kind: 'approval', request } }));
    const card = screen.getByTestId('approval');
    expect(card.textContent).toContain('run_command');
    expect(card.textContent).toContain('npm test');
    expect(card.textContent).toContain('cwd: /work');
    fireEvent.click(within(card).getByTestId('approve-button'));
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'p1', answer: { kind: 'approval', decision: 'approve', scope: 'once' } });
    await hostDoes(() => {
      host.reply(host.lastRequest('decision/answer'), { ok: true });
      host.emit('decision/resolved', { id: 'p1', outcome: 'approved' });
    });
    expect(screen.queryByTestId('approval')).toBeNull();
  });

  it('Reject sends a reject decision; approvals from the snapshot are shown', async () => {
    const { host } = await renderApp({ pendingDecisions: [request].map((request) => ({ kind: 'approval' as const, request })) });
    fireEvent.click(screen.getByTestId('reject-button'));
    fireEvent.change(screen.getByTestId('reject-reason'), { target: { value: 'not that file' } });
    fireEvent.click(screen.getByTestId('reject-confirm'));
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'p1', answer: { kind: 'approval', decision: 'reject', reason: 'not that file' } });
  });
});

describe('turn status line and tool output', () => {
  it('shows a pending retry while streaming and a stop note after the turn', async () => {
    const { host } = await renderApp({ seq: 1, turn: 'streaming' });
    await hostDoes(() => host.emit('turn/retrying', { attempt: 2, maxAttempts: 4, delayMs: 2500, error: { kind: 'overloaded', message: '529', retryable: true } }));
    const line = screen.getByTestId('streaming-indicator');
    expect(line.dataset.retrying).toBe('true');
    expect(line.textContent).toContain('The API is overloaded: retrying in 3 s (attempt 2 of 4)');
    await hostDoes(() => host.emit('turn/status', { turn: 'idle', error: null, stopReason: 'max_turns' }));
    expect(screen.queryByTestId('streaming-indicator')).toBeNull();
    expect(screen.getByTestId('stop-note').textContent).toContain('limit of steps');
  });

  it('shows a finished tool\'s output and the session cost', async () => {
    const { host } = await renderApp({
      seq: 1,
      messages: [userMessage('u1', 'run it'), assistantMessage('a1', [{ type: 'tool_use', id: 't1', name: 'run_command', inputJson: '{"cmd":"ls"}', status: 'running' }])],
    });
    await hostDoes(() => {
      host.emit('tool/result', { messageId: 'a1', blockIndex: 0, toolUseId: 't1', status: 'done', output: 'a.ts\nb.ts', durationMs: 1234 });
      host.emit('usage/updated', { usage: { inputTokens: 5, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.5 });
    });
    const card = screen.getByTestId('tool-card');
    expect(card.dataset.status).toBe('done');
    expect(card.textContent).toContain('1.2 s');
    expect(within(card).getByTestId('tool-output').textContent).toContain('a.ts\nb.ts');
    expect(screen.getByTestId('usage-cost').textContent).toBe('$0.50');
  });
});

describe('session notices and continue', () => {
  it('shows host notices by level and dismisses them locally', async () => {
    const { host, chat } = await renderApp({ seq: 1 });
    await hostDoes(() => {
      host.emit('session/notice', { level: 'warning', message: 'Skipped a damaged transcript line (line 42)' });
      host.emit('session/notice', { level: 'error', message: 'Could not save the session' });
    });
    const notices = screen.getAllByTestId('notice');
    expect(notices.map((n) => [n.dataset.level, n.getAttribute('role')])).toEqual([['warning', 'status'], ['error', 'alert']]);
    expect(notices[0]?.textContent).toContain('line 42');
    fireEvent.click(within(notices[0] as HTMLElement).getByTestId('dismiss-notice'));
    expect(screen.getAllByTestId('notice')).toHaveLength(1);
    expect(chat.store.getState().notices.map((n) => n.message)).toEqual(['Could not save the session']);
  });

  it('offers Continue after a step limit, which requests chat/continue', async () => {
    const { host } = await renderApp({ seq: 1, turn: 'streaming' });
    await hostDoes(() => host.emit('turn/status', { turn: 'idle', error: null, stopReason: 'max_turns' }));
    fireEvent.click(screen.getByTestId('continue-button'));
    expect(host.requests('chat/continue')).toHaveLength(1);
    await hostDoes(() => host.emit('turn/status', { turn: 'idle', error: null, stopReason: 'completed' }));
    expect(screen.queryByTestId('continue-button')).toBeNull();
    expect(screen.queryByTestId('stop-note')).toBeNull();
  });
});
