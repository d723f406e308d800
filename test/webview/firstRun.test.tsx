import './setup';
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { flush } from './helpers';
import { hostDoes, renderApp } from './app';

const missing = { status: 'missing', source: 'none', demoAvailable: false } as const;

describe('first-run screen', () => {
  it('is shown when no key is known, says what Cairn is, and mentions ANTHROPIC_API_KEY', async () => {
    await renderApp({ auth: missing });
    const screenEl = screen.getByTestId('first-run');
    expect(screenEl.textContent).toMatch(/coding agent on Claude/);
    expect(screenEl.textContent).toContain('ANTHROPIC_API_KEY');
    expect(screen.queryByTestId('chat-root')).toBeNull();
    expect(screen.queryByTestId('use-demo-button')).toBeNull();
  });

  it('"Set API key" asks the host to prompt (no key ever in the webview), and the chat appears when auth changes', async () => {
    const { host } = await renderApp({ auth: missing });
    expect(document.querySelector('input[type="password"]')).toBeNull();
    fireEvent.click(screen.getByTestId('set-key-button'));
    const req = host.lastRequest('auth/promptKey');
    expect(req.params).toEqual({});
    await hostDoes(() => {
      host.reply(req, { stored: true });
      host.emit('auth/changed', { auth: { status: 'ready', source: 'secret', demoAvailable: false } });
    });
    expect(screen.queryByTestId('first-run')).toBeNull();
    expect(screen.getByTestId('chat-root')).toBeTruthy();
  });

  it('offers the offline demo when available and requests auth/useDemo', async () => {
    const { host } = await renderApp({ auth: { ...missing, demoAvailable: true } });
    fireEvent.click(screen.getByTestId('use-demo-button'));
    expect(host.requests('auth/useDemo')).toHaveLength(1);
    expect(host.requests('auth/promptKey')).toHaveLength(0);
    await hostDoes(() => {
      host.reply(host.lastRequest('auth/useDemo'), { ok: true });
      host.emit('auth/changed', { auth: { status: 'demo', source: 'demo', demoAvailable: true } });
    });
    expect(screen.getByTestId('model-label').textContent).toBe('Demo model — offline emulator, not Claude');
    // The empty session says the replies are scripted; the demo model's usage costs nothing and shows as $0.
    expect(screen.getByTestId('demo-hint').textContent).toMatch(/replies are scripted/);
    expect(screen.getAllByTestId('example-prompt')).toHaveLength(3);
    await hostDoes(() => host.emit('usage/updated', { usage: { inputTokens: 900, outputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0 }));
    expect(screen.getByTestId('usage-cost').textContent).toBe('$0');
  });

  it('with a key, the empty session has no demo hint', async () => {
    await renderApp({ auth: { status: 'ready', source: 'env', demoAvailable: true } });
    expect(screen.getByTestId('empty-state')).toBeTruthy();
    expect(screen.queryByTestId('demo-hint')).toBeNull();
  });

  it('shows the failure when the host refuses, and the buttons work again', async () => {
    const { host } = await renderApp({ auth: missing });
    fireEvent.click(screen.getByTestId('set-key-button'));
    await act(async () => {
      host.fail(host.lastRequest('auth/promptKey'), 'untrusted', 'Secrets are unavailable');
      await flush();
    });
    expect(screen.getByTestId('action-error').textContent).toContain('Secrets are unavailable');
    fireEvent.click(screen.getByTestId('set-key-button'));
    expect(host.requests('auth/promptKey')).toHaveLength(2);
  });
});
