/** Render the whole view against a fake host, with the first snapshot already answered. */
import { act, render } from '@testing-library/react';
import { Root } from '../../webview/src/features/app/Root';
import type { Snapshot } from '../../webview/src/protocol';
import { createChatStore } from '../../webview/src/store';
import { FakeHost, flush, makeSnapshot } from './helpers';

export async function renderApp(overrides: Partial<Snapshot> = {}) {
  const host = new FakeHost();
  const bridge = host.bridge();
  const chat = createChatStore(bridge);
  chat.start();
  const view = render(<Root chat={chat} bridge={bridge} />);
  const snapshot = makeSnapshot(overrides);
  host.setSeq(snapshot.seq);
  await act(async () => {
    host.reply(host.lastRequest('session/snapshot'), snapshot);
    await flush();
  });
  return { host, bridge, chat, view };
}

/** Run host traffic inside act() so React flushes the resulting renders. */
export async function hostDoes(fn: () => void): Promise<void> {
  await act(async () => {
    fn();
    await flush();
  });
}
