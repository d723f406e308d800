import './setup';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SubagentStatus, WorkerStatus } from '../../webview/src/protocol';
import { hostDoes, renderApp } from './app';
import { assistantMessage, userMessage } from './helpers';

const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
const start = (id: string, description: string) => ({ type: 'tool_use' as const, id, name: 'start_worker', inputJson: JSON.stringify({ description, task: 'x' }), status: 'done' as const, kind: 'agent', output: `Started worker ${id}.` });
const worker = (toolUseId: string, over: Partial<WorkerStatus> = {}): WorkerStatus => ({
  workerId: `w-${toolUseId}`, toolUseId, description: `Task ${toolUseId}`, state: 'running', toolCount: 0, usage,
  isolation: 'worktree', worktree: `/tmp/cairn-worker-${toolUseId}`, ...over,
});
const sub = (toolUseId: string, over: Partial<SubagentStatus> = {}): SubagentStatus => ({
  agentId: `explore-${toolUseId}`, toolUseId, type: 'explore', description: `Explore ${toolUseId}`, depth: 1, state: 'completed', toolCount: 2,
  usage, report: 'Found it in src/a.ts:3.', transcript: `.agent/sessions/s/agents/explore-${toolUseId}.jsonl`, ...over,
});

describe('coordinator workers in the panel', () => {
  it('two workers show live cards with stop, then collapse into their reports and changed files with a review button', async () => {
    const { host } = await renderApp({ seq: 1, turn: 'streaming', messages: [userMessage('u1', 'two variants'), assistantMessage('a1', [start('t1', 'Variant A'), start('t2', 'Variant B')], 'complete')] });
    await hostDoes(() => {
      host.emit('worker/status', worker('t1', { description: 'Variant A', state: 'starting' }));
      host.emit('worker/status', worker('t2', { description: 'Variant B', currentTool: 'Edit shared.txt', toolCount: 1, usage: { ...usage, inputTokens: 2000, outputTokens: 500 }, costUsd: 0.012 }));
    });
    const cards = screen.getAllByTestId('worker-card');
    expect(cards.map((c) => c.dataset.state)).toEqual(['starting', 'running']);
    expect(within(cards[0]!).getByTestId('worker-current').textContent).toMatch(/Starting in its own worktree/);
    expect(within(cards[1]!).getByTestId('worker-current').textContent).toBe('Edit shared.txt');
    expect(within(cards[1]!).getByTestId('worker-figures').textContent).toBe('1 tool · 2.5k tokens · $0.012');
    fireEvent.click(within(cards[1]!).getByTestId('worker-stop'));
    expect(host.lastRequest('worker/stop').params).toEqual({ workerId: 'w-t2' });
    await hostDoes(() => {
      host.emit('worker/status', worker('t1', { description: 'Variant A', state: 'done', toolCount: 2, report: 'Rewrote shared.txt as A.', transcript: '/tmp/w1/.agent/sessions/x.jsonl',
        files: [{ path: 'shared.txt', status: 'modified', additions: 1, deletions: 1, binary: false }], diffPath: '.agent/sessions/s/workers/w-t1.diff' }));
      host.emit('worker/status', worker('t2', { description: 'Variant B', state: 'crashed', toolCount: 1, error: 'the worker process was killed (SIGKILL)',
        files: [{ path: 'partial.txt', status: 'added', additions: 1, deletions: 0, binary: false }], diffPath: '.agent/sessions/s/workers/w-t2.diff' }));
    });
    const done = screen.getAllByTestId('worker-card');
    expect(done.map((c) => c.dataset.state)).toEqual(['done', 'crashed']);
    expect(screen.queryAllByTestId('worker-stop')).toHaveLength(0);
    const details = done[0]!.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(within(done[0]!).getByTestId('worker-figures').textContent).toContain('1 file');
    fireEvent.click(done[0]!.querySelector('summary')!);
    expect(details.open).toBe(true);
    expect(within(done[0]!).getByTestId('worker-report').textContent).toContain('Rewrote shared.txt as A.');
    expect(within(done[0]!).getByTestId('worker-files').textContent).toContain('shared.txt modified +1 −1');
    fireEvent.click(within(done[0]!).getByTestId('worker-review'));
    expect(host.lastRequest('worker/review').params).toEqual({ workerId: 'w-t1' });
    fireEvent.click(within(done[0]!).getByTestId('worker-transcript'));
    expect(host.lastRequest('agent/openTranscript').params).toEqual({ agentId: 'w-t1' });
    // A crash is open at once, says what happened, and where its folder is kept.
    expect((done[1]!.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    expect(within(done[1]!).getByTestId('worker-error').textContent).toBe('crashed: the worker process was killed (SIGKILL)');
    expect(done[1]!.textContent).toContain('Its folder is kept: /tmp/cairn-worker-t2');
  });

  it('subagent and worker cards survive a reload (the snapshot carries their last status); a transcript opens from the card', async () => {
    const { host } = await renderApp({
      messages: [assistantMessage('a1', [
        { type: 'tool_use', id: 't9', name: 'agent', inputJson: '{}', status: 'done', kind: 'agent', output: 'The explore subagent finished.' },
        start('t3', 'Variant C'),
      ], 'complete')],
      subagents: [sub('t9')],
      workers: [worker('t3', { description: 'Variant C', state: 'done', report: 'C done', files: [] })],
    });
    const card = screen.getByTestId('subagent-card');
    expect(card.dataset.state).toBe('completed');
    fireEvent.click(card.querySelector('summary')!);
    fireEvent.click(within(card).getByTestId('subagent-transcript'));
    expect(host.lastRequest('agent/openTranscript').params).toEqual({ agentId: 'explore-t9' });
    expect(screen.getByTestId('worker-card').dataset.state).toBe('done');
  });

  it('the coordinator switch sits with the mode picker, asks the host, and follows what the host says', async () => {
    const { host } = await renderApp({ coordinator: false });
    const box = screen.getByTestId('coordinator-toggle') as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(host.lastRequest('coordinator/set').params).toEqual({ on: true });
    await hostDoes(() => host.emit('coordinator/changed', { on: true }));
    expect((screen.getByTestId('coordinator-toggle') as HTMLInputElement).checked).toBe(true);
  });
});
