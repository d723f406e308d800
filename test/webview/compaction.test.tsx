import './setup';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../webview/src/protocol';
import { hostDoes, renderApp } from './app';
import { assistantMessage, userMessage } from './helpers';

const divider = (id: string): ChatMessage => ({
  id, role: 'system', status: 'complete',
  blocks: [{ type: 'compaction', strategy: 'autocompact', trigger: 'threshold', before: 171_000, after: 12_400, dropped: ['3 messages of yours, 5 replies summarised (still here and in the transcript)'], summary: 'The user is fixing the parser.', source: 'summary' }],
});

describe('compaction in the panel', () => {
  it('a divider marks the compaction; the messages above stay; the summary and what was dropped fold out', async () => {
    await renderApp({
      messages: [userMessage('u1', 'fix the parser'), assistantMessage('a1', [{ type: 'text', text: 'done' }], 'complete'), divider('c1'), userMessage('u2', 'and the tests')],
      compaction: { state: 'idle', auto: true, last: { id: 'c1', strategy: 'autocompact', before: 171_000, after: 12_400, at: 1, dropped: [] } },
    });
    expect(screen.getAllByTestId('message').map((m) => m.dataset.role)).toEqual(['user', 'assistant', 'system', 'user']);
    const d = screen.getByTestId('compaction-divider');
    expect(d.getAttribute('role')).toBe('separator');
    expect(within(d).getByTestId('compaction-figures').textContent).toBe('171,000 → 12,400 tokens (−158,600)');
    const summary = d.querySelector('summary')!;
    fireEvent.click(summary);
    expect((d.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    expect(within(d).getByTestId('compaction-summary').textContent).toBe('The user is fixing the parser.');
    expect(d.textContent).toContain('3 messages of yours, 5 replies summarised');
  });

  it('the meter says whether it compacts automatically, shows the last compaction, a warning, a failure and the circuit breaker', async () => {
    const { host } = await renderApp({ seq: 1, compaction: { state: 'idle', auto: true }, context: { tokens: 50_000, window: 200_000, compactAt: 166_000 } });
    expect(screen.getByTestId('compaction-line').textContent).toContain('Compacts automatically');
    expect(screen.getByTestId('compacts-at').textContent).toMatch(/Compacts at 83%/);
    await hostDoes(() => host.emit('compaction/status', { state: 'warning', auto: true, message: 'The context is 92% of the way to automatic compaction.' }));
    expect(screen.getByTestId('compaction-warning').textContent).toContain('92%');
    await hostDoes(() => host.emit('compaction/status', { state: 'running', auto: true, strategy: 'autocompact' }));
    expect(screen.getByTestId('compaction-line').dataset.state).toBe('running');
    await hostDoes(() => host.emit('compaction/status', { state: 'idle', auto: true, last: { id: 'c', strategy: 'autocompact', before: 170_000, after: 9_000, at: 2, dropped: [] } }));
    expect(screen.getByTestId('compaction-last').textContent).toContain('170,000 → 9,000');
    await hostDoes(() => host.emit('compaction/status', { state: 'disabled', auto: false, message: 'Automatic compaction failed 3 times in a row and is off for this session.' }));
    expect(screen.getByTestId('compaction-error').textContent).toContain('off for this session');
    // Nothing is promised that will not happen.
    expect(screen.getByTestId('compacts-at').textContent).toBe('Automatic compaction off');
  });

  it('"Compact now" and "/compact <instructions>" in the composer ask the host to compact; Notes shows the session notes', async () => {
    const { host } = await renderApp({ messages: [userMessage('u1', 'hi'), assistantMessage('a1', [{ type: 'text', text: 'hello' }], 'complete')], compaction: { state: 'idle', auto: true } });
    fireEvent.click(screen.getByTestId('compact-now'));
    expect(host.lastRequest('chat/compact').params).toEqual({});
    await hostDoes(() => host.reply(host.lastRequest('chat/compact'), { compacted: true }));
    const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: '/compact keep the API decisions' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(host.lastRequest('chat/compact').params).toEqual({ instructions: 'keep the API decisions' });
    expect(host.requests('chat/send')).toEqual([]);
    fireEvent.click(screen.getByTestId('session-notes'));
    await hostDoes(() => host.reply(host.lastRequest('session/notes'), { text: '## Current task\nFix the parser.', updated: 1 }));
    expect(screen.getByTestId('session-notes-text').textContent).toContain('Fix the parser.');
  });
});
