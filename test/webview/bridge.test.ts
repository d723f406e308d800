import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeError, createBridge, installGlobalErrorReporting, windowTransport } from '../../webview/src/bridge';
import type { EventMessage } from '../../webview/src/protocol';
import { FakeHost, flush, makeSnapshot, quietLogger } from './helpers';

afterEach(() => {
  vi.useRealTimers();
});

describe('bridge: requests', () => {
  it('posts a typed request with a fresh id and resolves with the validated result of the matching response', async () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const p1 = bridge.request('chat/send', { text: 'one' });
    const p2 = bridge.request('chat/stop', {});
    const [r1, r2] = host.posted;
    expect(r1).toEqual({ kind: 'request', id: expect.any(Number), method: 'chat/send', params: { text: 'one' } });
    expect(r2?.id).not.toBe(r1?.id);
    // Answer out of order: correlation is by id.
    host.reply(host.lastRequest('chat/stop'), { stopped: true });
    host.reply(host.lastRequest('chat/send'), { messageId: 'm1' });
    await expect(p1).resolves.toEqual({ messageId: 'm1' });
    await expect(p2).resolves.toEqual({ stopped: true });
    bridge.dispose();
  });

  it('rejects with the host error when the host answers ok: false', async () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const p = bridge.request('chat/retry', {});
    host.fail(host.lastRequest('chat/retry'), 'no_turn', 'Nothing to retry');
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'host_error', hostCode: 'no_turn', message: 'Nothing to retry', method: 'chat/retry' });
    bridge.dispose();
  });

  it('rejects a result that does not match the method schema, logs it and reports it once', async () => {
    const host = new FakeHost();
    const logger = quietLogger();
    const bridge = host.bridge({ logger });
    const p = bridge.request('session/snapshot', {});
    host.reply(host.lastRequest('session/snapshot'), { ...makeSnapshot(), seq: -1 });
    await expect(p).rejects.toMatchObject({ code: 'invalid_result' });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('[cairn/bridge] invalid result for session/snapshot'));
    expect(host.requests('webview/reportError')).toHaveLength(1);
    bridge.dispose();
  });

  it('times out with a clear error and ignores the late response', async () => {
    vi.useFakeTimers();
    const host = new FakeHost();
    const logger = quietLogger();
    const bridge = host.bridge({ logger, timeoutMs: 1000 });
    const p = bridge.request('chat/stop', {});
    const caught = p.catch((e: unknown) => e);
    vi.advanceTimersByTime(999);
    await flush();
    vi.advanceTimersByTime(1);
    const err = await caught;
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'timeout', method: 'chat/stop' });
    expect((err as Error).message).toBe('The extension did not answer chat/stop within 1 s.');
    host.reply(host.lastRequest('chat/stop'), { stopped: true });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('unknown or expired request id'));
    bridge.dispose();
  });

  it('waits much longer for auth/promptKey, which waits on the user', async () => {
    vi.useFakeTimers();
    const host = new FakeHost();
    const bridge = host.bridge({ timeoutMs: 1000 });
    let settled = false;
    void bridge.request('auth/promptKey', {}).finally(() => { settled = true; }).catch(() => {});
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(settled).toBe(false);
    host.reply(host.lastRequest('auth/promptKey'), { stored: true });
    await flush();
    expect(settled).toBe(true);
    bridge.dispose();
  });

  it('rejects pending requests on dispose', async () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const p = bridge.request('session/new', {});
    bridge.dispose();
    await expect(p).rejects.toMatchObject({ code: 'disposed' });
  });
});

describe('bridge: incoming messages', () => {
  it('delivers a valid event to subscribers, and stops after unsubscribe', () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const seen: EventMessage[] = [];
    const off = bridge.onEvent((e) => seen.push(e));
    host.emit('config/changed', { model: 'claude-x' }, 7);
    expect(seen).toEqual([{ kind: 'event', seq: 7, name: 'config/changed', data: { model: 'claude-x' } }]);
    off();
    host.emit('config/changed', { model: 'claude-y' });
    expect(seen).toHaveLength(1);
    bridge.dispose();
  });

  it.each([
    ['not an object', 'hello'],
    ['no kind', { seq: 1, name: 'config/changed', data: { model: 'x' } }],
    ['an unknown event', { kind: 'event', seq: 1, name: 'evil/doThings', data: {} }],
    ['event data that does not match its schema', { kind: 'event', seq: 1, name: 'config/changed', data: { model: 42 } }],
    ['extra envelope fields', { kind: 'event', seq: 1, name: 'config/changed', data: { model: 'x' }, extra: true }],
    ['a malformed response', { kind: 'response', id: 'x', ok: true }],
  ])('rejects %s: logged with a prefix, reported once, nothing delivered', (_label, raw) => {
    const host = new FakeHost();
    const logger = quietLogger();
    const bridge = host.bridge({ logger });
    const listener = vi.fn();
    bridge.onEvent(listener);
    host.send(raw);
    host.send(raw);
    expect(listener).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error.mock.calls[0]?.[0]).toMatch(/^\[cairn\/bridge\] rejected a message from the host/);
    const reports = host.requests('webview/reportError');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.params.message).toMatch(/webview rejected a host message/);
    bridge.dispose();
  });

  it('names the unknown event in the log and the report', () => {
    const host = new FakeHost();
    const logger = quietLogger();
    const bridge = host.bridge({ logger });
    host.send({ kind: 'event', seq: 1, name: 'evil/doThings', data: {} });
    expect(logger.error.mock.calls[0]?.[0]).toContain('unknown event "evil/doThings"');
    expect(host.lastRequest('webview/reportError').params.message).toContain('unknown_event');
    bridge.dispose();
  });

  it('a throwing listener does not stop other listeners and is reported', () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const good = vi.fn();
    bridge.onEvent(() => { throw new Error('boom'); });
    bridge.onEvent(good);
    host.emit('config/changed', { model: 'm' });
    expect(good).toHaveBeenCalledTimes(1);
    expect(host.lastRequest('webview/reportError').params.message).toContain('boom');
    bridge.dispose();
  });

  it('ignores messages after dispose', () => {
    const host = new FakeHost();
    const bridge = host.bridge();
    const listener = vi.fn();
    bridge.onEvent(listener);
    bridge.dispose();
    host.emit('config/changed', { model: 'm' });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('global error reporting', () => {
  it('reports window errors and unhandled rejections through webview/reportError', () => {
    const post = vi.fn();
    const target = new EventTarget() as unknown as Window;
    const bridge = createBridge(windowTransport(post, target), { logger: quietLogger() });
    const uninstall = installGlobalErrorReporting(bridge, target);
    const error = new Error('kaput');
    target.dispatchEvent(new ErrorEvent('error', { error, message: 'kaput', filename: 'webview.js', lineno: 3, colno: 9 }));
    const rejection = new Event('unhandledrejection') as Event & { reason?: unknown };
    rejection.reason = new Error('nobody caught me');
    target.dispatchEvent(rejection);
    const reports = post.mock.calls.map(([m]) => m as { method: string; params: { message: string; stack?: string } });
    expect(reports.map((r) => r.method)).toEqual(['webview/reportError', 'webview/reportError']);
    expect(reports[0]?.params.message).toBe('uncaught error in webview: kaput (webview.js:3:9)');
    expect(reports[0]?.params.stack).toContain('kaput');
    expect(reports[1]?.params.message).toBe('unhandled rejection in webview: nobody caught me');
    uninstall();
    target.dispatchEvent(new ErrorEvent('error', { error: new Error('after') }));
    expect(post).toHaveBeenCalledTimes(2);
    bridge.dispose();
  });
});
