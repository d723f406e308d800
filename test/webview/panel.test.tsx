import './setup';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReviewRequest } from '../../webview/src/protocol';
import { applyEvents, initialChatState, loadSnapshot, logToArray, messageAt } from '../../webview/src/store';
import { appendMessage, EMPTY_LOG, logFrom, replaceMessage } from '../../webview/src/store/messages';
import { insertMention, mentionAt } from '../../webview/src/features/composer/mentions';
import { checkImage } from '../../webview/src/features/composer/images';
import { cacheHitRate } from '../../webview/src/features/context/ContextMeter';
import { formatTokens } from '../../webview/src/features/chat/labels';
import { visibleRange, computeOffsets } from '../../webview/src/features/virtual/layout';
import { assistantMessage, makeSnapshot, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

const review: ReviewRequest = {
  id: 'r1', path: 'src/a.ts', tool: 'edit_file', isNew: false,
  hunks: [
    { index: 0, header: '@@ -1,2 +1,2 @@', lines: [' a', '-b', '+B'] },
    { index: 1, header: '@@ -9,1 +9,2 @@', lines: [' x', '+y'] },
  ],
};

describe('message log (structural sharing)', () => {
  it('appends and replaces by copying one chunk; old versions stay intact', () => {
    const many = Array.from({ length: 300 }, (_, i) => userMessage(`u${i}`, `m${i}`));
    const a = logFrom(many);
    const b = replaceMessage(a, 250, userMessage('u250', 'changed'));
    expect(messageAt(a, 250)?.blocks[0]).toEqual({ type: 'text', text: 'm250' });
    expect(messageAt(b, 250)?.blocks[0]).toEqual({ type: 'text', text: 'changed' });
    expect(b.chunks[0]).toBe(a.chunks[0]);
    const c = appendMessage(b, userMessage('u300', 'new'));
    expect(c.length).toBe(301);
    expect(logToArray(c).map((m) => m.id).slice(-2)).toEqual(['u299', 'u300']);
    expect(appendMessage(EMPTY_LOG, userMessage('x', 'y')).length).toBe(1);
  });

  it('the task list comes from the host (todo/changed), not from streamed tool input; usage carries context and last request', () => {
    const s0 = loadSnapshot(initialChatState(), makeSnapshot({ seq: 1, messages: [assistantMessage('a1')] }));
    const ev = (seq: number, name: string, data: unknown) => ({ kind: 'event', seq, name, data }) as never;
    const s = applyEvents(s0, [
      ev(2, 'message/toolDelta', { messageId: 'a1', blockIndex: 0, id: 't1', name: 'todo', inputJsonDelta: '{"todos":[{"content":"A","status":"completed"}', status: 'streaming' }),
      ev(3, 'message/toolDelta', { messageId: 'a1', blockIndex: 0, id: 't1', name: 'todo', inputJsonDelta: ',{"content":"B","status":"pending"}]}', status: 'done' }),
      ev(4, 'todo/changed', { items: [{ content: 'A', status: 'completed' }, { content: 'B', status: 'pending' }] }),
      ev(5, 'usage/updated', { usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 90, cacheWriteTokens: 0 }, lastRequest: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 90, cacheWriteTokens: 0 }, context: { tokens: 100, window: 1000, compactAt: 800 } }),
    ]);
    expect(s.sync).toBe('live');
    expect(s.todo).toEqual([{ content: 'A', status: 'completed' }, { content: 'B', status: 'pending' }]);
    expect(s.context).toEqual({ tokens: 100, window: 1000, compactAt: 800 });
    expect(cacheHitRate(s.lastRequest)).toBeCloseTo(0.9);
  });
});

describe('composer helpers and windowing', () => {
  it('finds the @query at the caret and replaces it with the label', () => {
    expect(mentionAt('look at @src/pa', 15)).toEqual({ start: 8, query: 'src/pa' });
    expect(mentionAt('mail me@x', 9)).toBeNull();
    expect(insertMention('see @pa now', { start: 4, query: 'pa' }, 'parser.ts')).toEqual({ text: 'see @parser.ts  now', caret: 15 });
  });
  it('refuses unsupported or oversized images with a clear message', () => {
    expect(checkImage('image/png', 1000, 0)).toBeNull();
    expect(checkImage('image/bmp', 1000, 0)).toMatch(/PNG, JPEG, GIF or WebP/);
    expect(checkImage('image/png', 6 * 1024 * 1024, 0)).toMatch(/limit is 5 MB/);
    expect(checkImage('image/png', 10, 10)).toMatch(/At most 10/);
  });
  it('renders only the items near the viewport', () => {
    const offsets = computeOffsets(5000, () => 100);
    expect(visibleRange(offsets, 250_000, 800, 200, 20)).toEqual({ start: 2498, end: 2511 });
    expect(visibleRange(offsets, 0, 0, 200, 20)).toEqual({ start: 4980, end: 5000 });
  });
  it('paints a long session with only the messages that fill the window (before the list is measured)', async () => {
    const messages = Array.from({ length: 5000 }, (_, i) => (i % 2 ? assistantMessage(`a${i}`, [{ type: 'text', text: `answer ${i}` }], 'complete') : userMessage(`u${i}`, `question ${i}`)));
    await renderApp({ messages });
    const shown = screen.getAllByTestId('message');
    // jsdom's window is 768 px high; the estimate is 120 px a message: 7 fill it, plus one.
    expect(shown.length).toBe(Math.ceil(window.innerHeight / 120) + 1);
    expect(shown.at(-1)?.textContent).toContain('answer 4999');
  });
  it('formats token counts like en-US Intl', () => {
    for (const n of [0, 7, 999, 1000, 65_536, 1_234_567, 200_000_000]) expect(formatTokens(n)).toBe(new Intl.NumberFormat('en-US').format(n));
    expect(formatTokens(1234.5)).toBe('1,234.5');
  });
});

describe('panel UI', () => {
  it('review card: per-hunk toggle, Apply sends the accepted hunks; Open in diff editor; Reject all', async () => {
    const { host } = await renderApp({ pendingDecisions: [review].map((request) => ({ kind: 'review' as const, request })) });
    expect(screen.getAllByTestId('review-hunk').map((h) => h.dataset.index)).toEqual(['0', '1']);
    fireEvent.click(screen.getAllByTestId('hunk-reject')[1] as HTMLElement);
    expect(screen.getAllByTestId('review-hunk')[1]?.dataset.accepted).toBe('false');
    fireEvent.click(screen.getByTestId('review-apply'));
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'r1', answer: { kind: 'review', decision: 'apply', acceptedHunks: [0] } });
    await hostDoes(() => host.reply(host.lastRequest('decision/answer'), { ok: true }));
    fireEvent.click(screen.getByTestId('review-open-diff'));
    expect(host.lastRequest('review/openDiff').params).toEqual({ id: 'r1' });
    fireEvent.click(screen.getByTestId('review-reject-all'));
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'r1', answer: { kind: 'review', decision: 'reject' } });
    await hostDoes(() => host.emit('decision/resolved', { id: 'r1', outcome: 'rejected' }));
    expect(screen.queryByTestId('review-card')).toBeNull();
  });

  it('approval: always allow with a scope', async () => {
    const { host } = await renderApp({ pendingDecisions: [{ id: 'p1', tool: 'run_command', summary: 'run npm test', reason: 'commands need approval' }].map((request) => ({ kind: 'approval' as const, request })) });
    fireEvent.change(screen.getByTestId('always-allow-scope'), { target: { value: 'workspace' } });
    fireEvent.click(screen.getByTestId('always-allow-button'));
    expect(host.lastRequest('decision/answer').params).toEqual({ id: 'p1', answer: { kind: 'approval', decision: 'approve', scope: 'workspace' } });
  });

  it('renders Markdown with highlighted code and a copy button; todo checklist; context meter', async () => {
    const text = 'Some **bold** and `code`.\n\n```ts\nconst x: number = 1;\n```\n';
    const todo = { type: 'tool_use' as const, id: 't', name: 'todo', inputJson: '{"todos":[{"content":"Write it","status":"in_progress"},{"content":"Test it","status":"pending"}]}', status: 'done' as const };
    await renderApp({ messages: [assistantMessage('a1', [{ type: 'text', text }, todo], 'complete')], todo: [{ content: 'Write it', status: 'in_progress' }, { content: 'Test it', status: 'pending' }], context: { tokens: 50_000, window: 200_000, compactAt: 160_000 } });
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    const block = screen.getByTestId('code-block');
    expect(block.dataset.language).toBe('ts');
    // A block that mounts shows its code plain at once and is highlighted when the page is idle (first paint
    // of a long session does not wait for highlight.js); then from the cache on every later mount.
    expect(block.querySelector('.hljs-keyword')).toBeNull();
    expect(block.querySelector('code')?.textContent).toBe('const x: number = 1;');
    await waitFor(() => expect(block.querySelector('.hljs-keyword')?.textContent).toBe('const'));
    expect(screen.getByTestId('copy-code')).toBeTruthy();
    expect(screen.getAllByTestId('todo-item').map((i) => i.dataset.status)).toEqual(['in_progress', 'pending']);
    expect(screen.getByTestId('context-text').textContent).toContain('50K / 200K (25%)');
  });

  it('composer: @ completion from the host becomes an attachment of chat/send; Up recalls the last message', async () => {
    const { host } = await renderApp({ seq: 0 });
    const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: 'fix @par', selectionStart: 8, selectionEnd: 8 } });
    await hostDoes(() => undefined);
    await new Promise((r) => setTimeout(r, 120));
    await hostDoes(() => host.reply(host.lastRequest('panel/mentionCandidates'), { candidates: [{ kind: 'file', path: 'src/parser.ts', label: 'parser.ts' }] }));
    expect(host.lastRequest('panel/mentionCandidates').params).toEqual({ query: 'par' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('fix @parser.ts ');
    expect(screen.getAllByTestId('composer-attachment')).toHaveLength(1);
    fireEvent.keyDown(input, { key: 'Enter' });
    const sent = host.lastRequest('chat/send');
    expect(sent.params).toEqual({ text: 'fix @parser.ts ', attachments: [{ kind: 'file', path: 'src/parser.ts', label: 'parser.ts' }] });
    await hostDoes(() => host.reply(sent, { messageId: 'u1' }));
    expect(input.value).toBe('');
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(input.value).toBe('fix @parser.ts ');
  });

  it('mode picker sends mode/set; history lists, resumes and deletes after confirmation', async () => {
    const { host } = await renderApp();
    fireEvent.change(screen.getByTestId('mode-picker'), { target: { value: 'plan' } });
    expect(host.lastRequest('mode/set').params).toEqual({ mode: 'plan' });
    fireEvent.click(screen.getByTestId('history-button'));
    await hostDoes(() => host.reply(host.lastRequest('session/list'), { sessions: [
      { id: 'old1', title: 'Parser bug', updatedAt: 1, messageCount: 4 },
      { id: 'old2', title: 'Docs', updatedAt: 2, messageCount: 2 },
    ] }));
    fireEvent.change(screen.getByTestId('session-search'), { target: { value: 'pars' } });
    expect(screen.getAllByTestId('session-item').map((i) => i.dataset.sessionId)).toEqual(['old1']);
    fireEvent.click(screen.getByTestId('session-delete'));
    fireEvent.click(screen.getByTestId('session-delete-confirm'));
    expect(host.lastRequest('session/delete').params).toEqual({ id: 'old1' });
    fireEvent.click(screen.getByTestId('session-open'));
    expect(host.lastRequest('session/open').params).toEqual({ id: 'old1' });
  });
});
