import { describe, expect, it } from 'vitest';
import { createChatStore, logToArray as arr } from '../../webview/src/store';
import { assistantMessage, FakeHost, flush, makeSnapshot } from './helpers';

function setup() {
  const host = new FakeHost();
  const bridge = host.bridge();
  const chat = createChatStore(bridge);
  return { host, bridge, chat, state: () => chat.store.getState() };
}

describe('chat store', () => {
  it('requests session/snapshot exactly once on start and loads it', async () => {
    const { host, chat, state } = setup();
    chat.start();
    chat.start();
    expect(host.requests('session/snapshot')).toHaveLength(1);
    expect(state().sync).toBe('loading');
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 4, title: 'Loaded', messages: [assistantMessage('a1', [], 'complete')] }));
    await flush();
    expect(state()).toMatchObject({ sync: 'live', title: 'Loaded', seq: 4 });
    expect(arr(state().messages)).toHaveLength(1);
    expect(host.requests('session/snapshot')).toHaveLength(1);
  });

  it('buffers events that arrive before the snapshot and applies only the newer ones after it', async () => {
    const { host, chat, state } = setup();
    chat.start();
    host.emit('config/changed', { model: 'old-model' }, 4); // already in the snapshot
    host.emit('message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: ' world' }, 5);
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 4, model: 'snap-model', messages: [assistantMessage('a1', [{ type: 'text', text: 'hello' }])] }));
    await flush();
    expect(state().sync).toBe('live');
    expect(state().seq).toBe(5);
    expect(state().model).toBe('snap-model');
    expect(arr(state().messages)[0]?.blocks[0]).toEqual({ type: 'text', text: 'hello world' });
  });

  it('a gap in seq triggers one fresh snapshot, then resumes with the events after it', async () => {
    const { host, chat, state } = setup();
    chat.start();
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 2 }));
    await flush();
    host.emit('config/changed', { model: 'm3' }, 3);
    expect(state().model).toBe('m3');
    host.emit('config/changed', { model: 'm5' }, 5); // seq 4 was lost
    host.emit('config/changed', { model: 'm6' }, 6);
    host.emit('config/changed', { model: 'm7' }, 7);
    expect(host.requests('session/snapshot')).toHaveLength(2);
    expect(state().sync).toBe('stale');
    expect(state().model).toBe('m3');
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 6, model: 'm6' }));
    await flush();
    expect(state()).toMatchObject({ sync: 'live', seq: 7, model: 'm7' });
    host.emit('config/changed', { model: 'm8' }, 8);
    expect(state().model).toBe('m8');
    expect(host.requests('session/snapshot')).toHaveLength(2);
  });

  it('a reopened session loads its history from one fresh snapshot after session/started', async () => {
    const { host, chat, state } = setup();
    chat.start();
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 2 }));
    await flush();
    host.emit('session/started', { sessionId: 'old-one', title: 'Reopened' }, 3);
    expect(host.requests('session/snapshot')).toHaveLength(2);
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 3, title: 'Reopened', messages: [assistantMessage('a9', [{ type: 'text', text: 'from disk' }])] }));
    await flush();
    expect(state()).toMatchObject({ sync: 'live', title: 'Reopened', seq: 3 });
    expect(arr(state().messages)[0]?.blocks[0]).toEqual({ type: 'text', text: 'from disk' });
  });

  it('shows a load error when the snapshot fails, and reload asks again', async () => {
    const { host, chat, state } = setup();
    chat.start();
    host.fail(host.lastRequest('session/snapshot'), 'internal', 'disk on fire');
    await flush();
    expect(state().loadError).toBe('Could not load the session: disk on fire');
    chat.actions.reload();
    expect(state().loadError).toBeNull();
    expect(host.requests('session/snapshot')).toHaveLength(2);
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 1 }));
    await flush();
    expect(state().sync).toBe('live');
  });

  it('actions are requests; a refused one is kept as actionError and cleared by the next success', async () => {
    const { host, chat, state } = setup();
    const sent = chat.actions.send('hi');
    expect(host.lastRequest('chat/send').params).toEqual({ text: 'hi' });
    host.fail(host.lastRequest('chat/send'), 'busy', 'A turn is already running');
    await expect(sent).resolves.toBe(false);
    expect(state().actionError).toBe('A turn is already running');
    const stopped = chat.actions.stop();
    host.reply(host.lastRequest('chat/stop'), { stopped: true });
    await expect(stopped).resolves.toBe(true);
    expect(state().actionError).toBeNull();
  });
});

describe('snapshot notices', () => {
  it('shows the notices the host kept for the session (e.g. resumed mid-turn)', async () => {
    const host = new FakeHost();
    const chat = createChatStore(host.bridge());
    chat.start();
    host.reply(host.lastRequest('session/snapshot'), makeSnapshot({ seq: 1, notices: [{ level: 'info', message: 'This session stopped in the middle of a turn.' }] }));
    await flush();
    expect(chat.store.getState().notices.map((n) => n.message)).toEqual(['This session stopped in the middle of a turn.']);
  });
});
