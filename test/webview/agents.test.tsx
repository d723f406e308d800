import './setup';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SubagentStatus } from '../../webview/src/protocol';
import { hostDoes, renderApp } from './app';
import { assistantMessage, userMessage } from './helpers';

const call = (id: string, type: string) => ({ type: 'tool_use' as const, id, name: 'agent', inputJson: JSON.stringify({ type, description: `${type} task`, prompt: 'x' }), status: 'running' as const, kind: 'agent' });
const status = (toolUseId: string, over: Partial<SubagentStatus> = {}): SubagentStatus => ({
  agentId: `explore-${toolUseId}`, toolUseId, type: 'explore', description: `Explore ${toolUseId}`, depth: 1, state: 'running', toolCount: 0,
  usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, transcript: `.agent/sessions/s/agents/explore-${toolUseId}.jsonl`, ...over,
});

describe('subagent cards', () => {
  it('two explore subagents show two live cards (type, current tool, tool count, tokens, cost, stop) that finish and collapse into their reports', async () => {
    const { host } = await renderApp({ seq: 1, turn: 'streaming', messages: [userMessage('u1', 'explore'), assistantMessage('a1', [call('t1', 'explore'), call('t2', 'explore')], 'complete')] });
    await hostDoes(() => {
      host.emit('subagent/status', status('t1'));
      host.emit('subagent/status', status('t2', { state: 'queued' }));
      host.emit('subagent/status', status('t1', { currentTool: 'Read src/a.ts', toolCount: 2, usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.0081 }));
    });
    const cards = screen.getAllByTestId('subagent-card');
    expect(cards.map((c) => c.dataset.state)).toEqual(['running', 'queued']);
    expect(within(cards[0]!).getByTestId('subagent-current').textContent).toBe('Read src/a.ts');
    expect(within(cards[0]!).getByTestId('subagent-figures').textContent).toBe('2 tools · 1.5k tokens · $0.008');
    expect(within(cards[1]!).getByTestId('subagent-current').textContent).toMatch(/Waiting/);
    // The stop button stops that subagent only.
    fireEvent.click(within(cards[0]!).getByTestId('subagent-stop'));
    expect(host.lastRequest('subagent/stop').params).toEqual({ agentId: 'explore-t1' });
    await hostDoes(() => {
      host.emit('subagent/status', status('t1', { state: 'completed', toolCount: 3, report: 'The entry point is src/main.ts:1.' }));
      host.emit('subagent/status', status('t2', { state: 'completed', toolCount: 1, report: 'Nothing calls it.' }));
    });
    const done = screen.getAllByTestId('subagent-card');
    expect(done.map((c) => c.dataset.state)).toEqual(['completed', 'completed']);
    expect(screen.queryAllByTestId('subagent-stop')).toHaveLength(0);
    // Collapsed into its report: one click opens it.
    const details = done[0]!.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    fireEvent.click(done[0]!.querySelector('summary')!);
    expect(details.open).toBe(true);
    expect(within(done[0]!).getByTestId('subagent-report').textContent).toContain('The entry point is src/main.ts:1.');
  });

  it('an agent call without live status (after a reload) is a plain tool card with its output', async () => {
    await renderApp({ messages: [assistantMessage('a1', [{ ...call('t9', 'plan'), status: 'done', output: 'The plan subagent finished.' }], 'complete')] });
    expect(screen.queryByTestId('subagent-card')).toBeNull();
    expect(screen.getByTestId('tool-card').dataset.tool).toBe('agent');
  });
});
