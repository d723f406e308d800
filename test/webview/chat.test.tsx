import './setup';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../webview/src/features/app/ErrorBoundary';
import { Root } from '../../webview/src/features/app/Root';
import { createChatStore } from '../../webview/src/store';
import { assistantMessage, FakeHost, flush, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

const input = () => screen.getByTestId('composer-input') as HTMLTextAreaElement;
const sendButton = () => screen.getByTestId('send-button') as HTMLElement & { disabled: boolean };

describe('chat view', () => {
  it('shows the model, an empty-state hint and zero usage on a fresh session', async () => {
    await renderApp();
    expect(screen.getByTestId('chat-root')).toBeTruthy();
    expect(screen.getByTestId('model-label').textContent).toBe('claude-sonnet-4-5');
    expect(screen.getByTestId('empty-state').textContent).toMatch(/give it a task/);
    // The keyboard hint is under the composer (once), not repeated in the empty state.
    expect(screen.getByTestId('empty-state').textContent).not.toMatch(/Shift\+Enter/);
    expect(document.getElementById('composer-hint')?.textContent).toMatch(/Shift\+Enter/);
    expect(screen.getByTestId('usage-input').textContent).toBe('0');
  });

  it('renders messages with role and status attributes, plain text, collapsed thinking and tool cards', async () => {
    await renderApp({
      messages: [
        userMessage('u1', '<b>not html</b>\nsecond line'),
        assistantMessage('a1', [
          { type: 'thinking', text: 'pondering' },
          { type: 'text', text: 'Here you go' },
          { type: 'tool_use', id: 't1', name: 'read_file', inputJson: '{"path":"a.ts"}', status: 'running' },
        ], 'incomplete'),
      ],
    });
    const messages = screen.getAllByTestId('message');
    expect(messages.map((m) => [m.dataset.role, m.dataset.status])).toEqual([['user', 'complete'], ['assistant', 'incomplete']]);
    expect(messages[0]?.querySelector('b')).toBeNull();
    expect(messages[0]?.textContent).toContain('<b>not html</b>\nsecond line');
    const thinking = within(messages[1] as HTMLElement).getByTestId('thinking') as HTMLDetailsElement;
    expect(thinking.open).toBe(false);
    const tool = within(messages[1] as HTMLElement).getByTestId('tool-card');
    expect(tool.dataset.status).toBe('running');
    expect(tool.textContent).toContain('read_file');
    expect(messages[1]?.textContent).toContain('cut off');
  });

  it('streams deltas into the view, with a stop button and indicator while streaming', async () => {
    const { host } = await renderApp({ seq: 3 });
    await hostDoes(() => {
      host.emit('message/added', { message: userMessage('u1', 'hi') });
      host.emit('turn/status', { turn: 'streaming', error: null });
      host.emit('message/added', { message: assistantMessage('a1') });
      host.emit('message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: 'Hel' });
      host.emit('message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: 'lo' });
    });
    const list = screen.getByTestId('message-list');
    expect(list.getAttribute('aria-live')).toBe('polite');
    expect(list.getAttribute('aria-busy')).toBe('true');
    expect(screen.getAllByTestId('message')[1]?.textContent).toContain('Hello');
    expect(screen.getByTestId('streaming-indicator').textContent).toContain('Claude is responding');
    fireEvent.click(screen.getByTestId('stop-button'));
    expect(host.requests('chat/stop')).toHaveLength(1);
    await hostDoes(() => {
      host.emit('message/status', { messageId: 'a1', status: 'complete' });
      host.emit('turn/status', { turn: 'idle', error: null });
      host.emit('usage/updated', { usage: { inputTokens: 1234, outputTokens: 56, cacheReadTokens: 7890, cacheWriteTokens: 0 } });
    });
    expect(screen.queryByTestId('stop-button')).toBeNull();
    expect(screen.queryByTestId('streaming-indicator')).toBeNull();
    expect(screen.getAllByTestId('message')[1]?.dataset.status).toBe('complete');
    expect(screen.getByTestId('usage-input').textContent).toBe('1,234');
    expect(screen.getByTestId('usage-output').textContent).toBe('56');
    expect(screen.getByTestId('usage-cache-read').textContent).toBe('7,890');
  });

  it('shows the demo label clearly in demo mode', async () => {
    await renderApp({ auth: { status: 'demo', source: 'demo', demoAvailable: true } });
    expect(screen.getByTestId('model-label').textContent).toBe('Demo model — offline emulator, not Claude');
  });
});

describe('composer', () => {
  it('Enter sends the text and clears the box once the host accepts it', async () => {
    const { host } = await renderApp();
    fireEvent.change(input(), { target: { value: 'fix the build' } });
    const notPrevented = fireEvent.keyDown(input(), { key: 'Enter' });
    expect(notPrevented).toBe(false);
    expect(host.lastRequest('chat/send').params).toEqual({ text: 'fix the build' });
    expect(input().value).toBe('fix the build');
    await hostDoes(() => host.reply(host.lastRequest('chat/send'), { messageId: 'u1' }));
    expect(input().value).toBe('');
  });

  it('Shift+Enter does not send and leaves the newline to the textarea', async () => {
    const { host } = await renderApp();
    fireEvent.change(input(), { target: { value: 'line one' } });
    const notPrevented = fireEvent.keyDown(input(), { key: 'Enter', shiftKey: true });
    expect(notPrevented).toBe(true);
    expect(host.requests('chat/send')).toHaveLength(0);
  });

  it('Enter during IME composition does not send', async () => {
    const { host } = await renderApp();
    fireEvent.change(input(), { target: { value: 'にほん' } });
    fireEvent.keyDown(input(), { key: 'Enter', isComposing: true });
    expect(host.requests('chat/send')).toHaveLength(0);
  });

  it('send is disabled while the box is empty or blank, and clicking it then sends nothing', async () => {
    const { host } = await renderApp();
    expect(sendButton().disabled).toBe(true);
    fireEvent.click(sendButton());
    fireEvent.keyDown(input(), { key: 'Enter' });
    fireEvent.change(input(), { target: { value: '   \n ' } });
    expect(sendButton().disabled).toBe(true);
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(host.requests('chat/send')).toHaveLength(0);
    fireEvent.change(input(), { target: { value: 'go' } });
    expect(sendButton().disabled).toBe(false);
    fireEvent.click(sendButton());
    expect(host.lastRequest('chat/send').params).toEqual({ text: 'go' });
  });

  it('keeps the text when sending fails and shows why', async () => {
    const { host } = await renderApp();
    fireEvent.change(input(), { target: { value: 'precious words' } });
    fireEvent.click(sendButton());
    await hostDoes(() => host.fail(host.lastRequest('chat/send'), 'busy', 'A turn is already running'));
    expect(input().value).toBe('precious words');
    expect(screen.getByTestId('action-error').textContent).toContain('A turn is already running');
  });

  it('cannot send while streaming; Escape stops', async () => {
    const { host } = await renderApp({ turn: 'streaming', messages: [userMessage('u1', 'a'), assistantMessage('a1')] });
    fireEvent.change(input(), { target: { value: 'next' } });
    expect(sendButton().disabled).toBe(true);
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(host.requests('chat/send')).toHaveLength(0);
    expect(screen.getByTestId('stop-button')).toBeTruthy();
    fireEvent.keyDown(input(), { key: 'Escape' });
    expect(host.requests('chat/stop')).toHaveLength(1);
  });
});

describe('error banner', () => {
  it('shows the turn error with a retry button that requests chat/retry', async () => {
    const { host } = await renderApp({ seq: 1 });
    expect(screen.queryByTestId('error-banner')).toBeNull();
    await hostDoes(() => host.emit('turn/status', { turn: 'error', error: { kind: 'overloaded', message: 'Overloaded (529)', retryable: true } }));
    const banner = screen.getByTestId('error-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('Overloaded (529)');
    fireEvent.click(screen.getByTestId('retry-button'));
    fireEvent.click(screen.getByTestId('retry-button')); // busy: a double click sends one request
    expect(host.requests('chat/retry')).toHaveLength(1);
    await hostDoes(() => {
      host.reply(host.lastRequest('chat/retry'), { retried: true });
      host.emit('turn/status', { turn: 'streaming', error: null });
    });
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('offers to set the key when the key was rejected', async () => {
    const { host } = await renderApp({ turn: 'error', lastError: { kind: 'auth', message: 'invalid x-api-key', retryable: false } });
    expect(screen.getByTestId('error-banner').textContent).toContain('The API key was rejected');
    fireEvent.click(screen.getByTestId('banner-set-key-button'));
    expect(host.requests('auth/promptKey')).toHaveLength(1);
  });
});

describe('loading and crashes', () => {
  it('shows a reload button when the session cannot be loaded', async () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const chat = createChatStore(bridge);
    chat.start();
    render(<Root chat={chat} bridge={bridge} />);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await act(async () => {
      host.fail(host.lastRequest('session/snapshot'), 'internal', 'no session');
      await flush();
    });
    expect(screen.getByTestId('load-error').textContent).toContain('no session');
    fireEvent.click(screen.getByTestId('reload-button'));
    expect(host.requests('session/snapshot')).toHaveLength(2);
  });

  it('a render error shows a friendly message, is reported, and "Try again" re-renders', () => {
    const onError = vi.fn();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    let explode = true;
    function Bomb() {
      if (explode) throw new Error('render exploded');
      return <p data-testid="recovered">fine</p>;
    }
    render(<ErrorBoundary onError={onError}><Bomb /></ErrorBoundary>);
    expect(screen.getByTestId('crash').textContent).toContain('Something went wrong');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'render exploded' }), expect.any(String));
    explode = false;
    fireEvent.click(screen.getByTestId('crash-retry'));
    expect(screen.getByTestId('recovered')).toBeTruthy();
    quiet.mockRestore();
  });

  it('Root reports render errors to the host through webview/reportError', async () => {
    const { host, chat } = await renderApp();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Corrupt the store the way a bug would: a message that is not a message.
    await hostDoes(() => chat.store.setState({ messages: { chunks: [[{ id: 'x', role: 'user', blocks: null, status: 'complete' } as never]], length: 1 } }));
    quiet.mockRestore();
    expect(screen.getByTestId('crash')).toBeTruthy();
    const report = host.lastRequest('webview/reportError');
    expect(report.params.message).toMatch(/^render error in webview: /);
    expect(report.params.stack).toBeTruthy();
  });
});
