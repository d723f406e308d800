// The panel defects found by trying Cairn as a new user (issue 12, part 3): each test fails if one comes back.
import './setup';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReviewRequest } from '../../webview/src/protocol';
import { splitFences } from '../../webview/src/features/chat/UserText';
import { flush, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

const click = async (testId: string) => { await act(async () => { fireEvent.click(screen.getByTestId(testId)); await flush(); }); };

describe('undo the last turn\'s edits', () => {
  const messages = [userMessage('u1', 'change beta'), userMessage('u2', 'now explain')];

  it('names the turn it would undo and its files, and undoes only after the user confirms that turn', async () => {
    const { host } = await renderApp({ messages });
    await click('undo-button');
    expect(host.requests('checkpoint/undo')).toHaveLength(0);
    await hostDoes(() => host.reply(host.lastRequest('checkpoint/preview'), { target: { turn: 1234, prompt: 'change beta', turnsAgo: 1, files: ['src/a.txt'] } }));
    const question = screen.getByTestId('undo-confirm');
    expect(question.textContent).toContain('the turn before the last one (the last one changed no files) “change beta”? Restores src/a.txt.');
    expect(host.requests('checkpoint/undo')).toHaveLength(0);
    await click('undo-confirm-button');
    expect(host.lastRequest('checkpoint/undo').params).toEqual({ turn: 1234 });
    expect(screen.queryByTestId('undo-confirm')).toBeNull();
    await hostDoes(() => host.reply(host.lastRequest('checkpoint/undo'), { undone: true, restored: ['src/a.txt'], deleted: [], skipped: [] }));
    expect(screen.getByTestId('undo-note').textContent).toBe('Restored 1 file.');
  });

  it('cancel undoes nothing; with no edits to undo it says so without asking', async () => {
    const { host } = await renderApp({ messages });
    await click('undo-button');
    await hostDoes(() => host.reply(host.lastRequest('checkpoint/preview'), { target: { turn: 7, prompt: 'change beta', turnsAgo: 0, files: ['a', 'b'] } }));
    expect(screen.getByTestId('undo-confirm').textContent).toContain('Undo the edits of the last turn “change beta”? Restores a, b.');
    await click('undo-cancel-button');
    expect(screen.queryByTestId('undo-confirm')).toBeNull();
    await click('undo-button');
    await hostDoes(() => host.reply(host.lastRequest('checkpoint/preview'), { target: null }));
    expect(screen.queryByTestId('undo-confirm')).toBeNull();
    expect(screen.getByTestId('undo-note').textContent).toContain('nothing to undo');
    expect(host.requests('checkpoint/undo')).toHaveLength(0);
  });
});

describe('after a reload', () => {
  it('a turn cut off mid-way shows Continue, which continues the task', async () => {
    const { host } = await renderApp({ messages: [userMessage('u1', 'do it')], resumable: true,
      notices: [{ level: 'info', message: 'This session stopped in the middle of a turn. Send a message, or choose Continue.' }] });
    expect(screen.getByTestId('stop-note').textContent).toContain('Interrupted.');
    await click('continue-button');
    expect(host.requests('chat/continue')).toHaveLength(1);
  });

  it('a turn that ended in an error shows the error with Retry, and no Continue', async () => {
    const { host } = await renderApp({ messages: [userMessage('u1', 'do it')], turn: 'error',
      lastError: { kind: 'network', message: 'Could not reach the API.', retryable: true } });
    expect(screen.queryByTestId('continue-button')).toBeNull();
    await click('retry-button');
    expect(host.requests('chat/retry')).toHaveLength(1);
  });
});

describe('review card', () => {
  const review: ReviewRequest = {
    id: 'r1', path: 'src/a.ts', tool: 'edit_file', isNew: false,
    hunks: [{ index: 0, header: '@@ -1,2 +1,3 @@', lines: [' a', '-b', '+B'] }, { index: 1, header: '@@ -9 +10 @@', lines: ['-x', '+y'] }],
  };

  it('says how many changes there are to review until the user picks, then how many are kept', async () => {
    await renderApp({ turn: 'streaming', pendingDecisions: [{ kind: 'review', request: review }] });
    const meta = () => document.querySelector('.review-meta')?.textContent;
    expect(meta()).toBe('edit_file · 2 changes to review');
    expect(meta()).not.toContain('accepted');
    fireEvent.click(screen.getAllByTestId('hunk-reject')[1]!);
    expect(meta()).toBe('edit_file · 1 of 2 changes kept');
    expect(screen.getByTestId('review-apply').textContent).toBe('Apply 1 of 2');
  });
});

describe('a user message with quoted code ("Fix with Cairn")', () => {
  it('shows the code as a code block, not raw fences; the rest of the text verbatim', async () => {
    const text = "Fix this problem in `src/a.ts`, lines 1–4:\n```typescript\nconst n: number = 'x';\n```\n\nProblems *reported*:\n- error at line 1";
    expect(splitFences(text)).toEqual([
      { kind: 'text', text: 'Fix this problem in `src/a.ts`, lines 1–4:' },
      { kind: 'code', code: "const n: number = 'x';", language: 'typescript' },
      { kind: 'text', text: '\nProblems *reported*:\n- error at line 1' },
    ]);
    await renderApp({ messages: [userMessage('u1', text)] });
    const bubble = document.querySelector('[data-role=user]')!;
    expect(bubble.textContent).not.toContain('```');
    expect(bubble.querySelector('pre')?.textContent).toContain("const n: number = 'x';");
    expect(bubble.textContent).toContain('Problems *reported*:');
    expect(splitFences('no code here')).toEqual([{ kind: 'text', text: 'no code here' }]);
  });
});

describe('session history', () => {
  it('"1 message", "2 messages"', async () => {
    const { host } = await renderApp();
    fireEvent.click(screen.getByTestId('history-button'));
    await hostDoes(() => host.reply(host.lastRequest('session/list'), { sessions: [
      { id: 'a', title: 'One', updatedAt: 2, messageCount: 1 },
      { id: 'b', title: 'Two', updatedAt: 1, messageCount: 2 },
    ] }));
    const metas = [...document.querySelectorAll('.session-meta')].map((m) => m.textContent ?? '');
    expect(metas[0]).toMatch(/ · 1 message$/);
    expect(metas[1]).toMatch(/ · 2 messages$/);
  });

  it('search finds sessions by what was said, not only by title, and shows where', async () => {
    const { host } = await renderApp();
    fireEvent.click(screen.getByTestId('history-button'));
    await hostDoes(() => host.reply(host.lastRequest('session/list'), { sessions: [
      { id: 'a', title: 'Read README.md and ad…', updatedAt: 2, messageCount: 4, excerpt: 'Read README.md and add a section\nDone: the section explains the quokka deployment.' },
      { id: 'b', title: 'Read README.md and ad…', updatedAt: 1, messageCount: 2, excerpt: 'Read README.md and add badges' },
    ] }));
    await act(async () => { fireEvent.change(screen.getByTestId('session-search'), { target: { value: 'Quokka' } }); await flush(); });
    const items = screen.getAllByTestId('session-item');
    expect(items.map((i) => i.getAttribute('data-session-id'))).toEqual(['a']);
    expect(screen.getByTestId('session-snippet').textContent).toContain('explains the quokka deployment');
    expect(screen.getByTestId('session-snippet').querySelector('mark')?.textContent).toBe('quokka');
    await act(async () => { fireEvent.change(screen.getByTestId('session-search'), { target: { value: 'no such words' } }); await flush(); });
    expect(screen.queryAllByTestId('session-item')).toHaveLength(0);
    expect(screen.getByTestId('session-empty').textContent).toBe('No session matches.');
  });
});

describe('nothing offered twice', () => {
  it('the empty session shows the keyboard hint once (under the composer), not again in the empty state', async () => {
    await renderApp({ messages: [] });
    const text = document.body.textContent ?? '';
    expect(text.split('Shift+Enter').length - 1).toBe(1);
    expect(text.split('to attach').length - 1).toBe(1);
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement | null)?.getAttribute('placeholder') ?? '').not.toContain('@');
  });

  it('new session and history live in the panel header only: the view title does not repeat them', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { menus: Record<string, Array<{ command: string }>> } };
    const viewTitle = pkg.contributes.menus['view/title']!.map((m) => m.command);
    expect(viewTitle).not.toContain('cairn.newSession');
    expect(viewTitle).not.toContain('cairn.openSession');
    await renderApp({ messages: [userMessage('u1', 'hello')] });
    expect(screen.getAllByTestId('new-session-button')).toHaveLength(1);
    expect(screen.getAllByTestId('history-button')).toHaveLength(1);
  });
});

describe('the memory view', () => {
  it('keeps its own height and an opaque background (it was squeezed to a strip the messages showed through)', () => {
    const css = readFileSync(join(__dirname, '../../webview/src/styles/memory.css'), 'utf8');
    const rule = /\.memory-panel\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toMatch(/flex:\s*none/);
    expect(rule).toMatch(/min-height:/);
    expect(rule).toMatch(/background:\s*var\(--vscode-sideBar-background/);
  });
});
