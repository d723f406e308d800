import './setup';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage } from './helpers';
import { hostDoes, renderApp } from './app';

/** jsdom has no layout: give the list a fixed geometry and a writable scrollTop. */
function fakeGeometry(el: HTMLElement, viewport: number) {
  let height = 1000;
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => height });
  Object.defineProperty(el, 'scrollTop', { configurable: true, writable: true, value: 0 });
  return { grow: (px: number) => { height += px; }, height: () => height };
}

describe('message list auto-scroll', () => {
  it('follows the stream to the bottom unless the user scrolled up; sending pins it again', async () => {
    const { host } = await renderApp({ seq: 2, turn: 'streaming', messages: [userMessage('u1', 'q'), assistantMessage('a1', [{ type: 'text', text: '' }])] });
    const list = screen.getByTestId('message-list');
    const geo = fakeGeometry(list, 200);
    const delta = (text: string) => host.emit('message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text });

    geo.grow(100);
    await hostDoes(() => delta('a'));
    expect(list.scrollTop).toBe(geo.height());

    list.scrollTop = 300; // the user scrolls up to read
    fireEvent.scroll(list);
    geo.grow(100);
    await hostDoes(() => delta('b'));
    expect(list.scrollTop).toBe(300);

    geo.grow(100);
    await hostDoes(() => host.emit('message/added', { message: userMessage('u2', 'next question') }));
    expect(list.scrollTop).toBe(geo.height());
  });
});
