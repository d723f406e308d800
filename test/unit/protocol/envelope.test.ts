import { describe, expect, it } from 'vitest';
import { eventMessage, parseHostMessage, parseResult, parseWebviewMessage } from '../../../extension/protocol';

describe('parseWebviewMessage (host side)', () => {
  it('accepts a well-formed request and returns typed params', () => {
    const r = parseWebviewMessage({ kind: 'request', id: 3, method: 'chat/send', params: { text: 'hi' } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual({ kind: 'request', id: 3, method: 'chat/send', params: { text: 'hi' } });
  });

  it.each([
    ['not an object', 'hello', 'malformed'],
    ['null', null, 'malformed'],
    ['missing id', { kind: 'request', method: 'chat/stop', params: {} }, 'malformed'],
    ['negative id', { kind: 'request', id: -1, method: 'chat/stop', params: {} }, 'malformed'],
    ['extra envelope field', { kind: 'request', id: 1, method: 'chat/stop', params: {}, evil: true }, 'malformed'],
    ['unknown method', { kind: 'request', id: 1, method: 'fs/deleteEverything', params: {} }, 'unknown_method'],
    ['prototype key as method', { kind: 'request', id: 1, method: '__proto__', params: {} }, 'unknown_method'],
    ['wrong param type', { kind: 'request', id: 1, method: 'chat/send', params: { text: 42 } }, 'invalid_params'],
    ['empty text', { kind: 'request', id: 1, method: 'chat/send', params: { text: '' } }, 'invalid_params'],
    ['unknown param', { kind: 'request', id: 1, method: 'chat/stop', params: { force: true } }, 'invalid_params'],
  ])('rejects %s', (_name, raw, code) => {
    const r = parseWebviewMessage(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe('parseHostMessage (webview side)', () => {
  it('accepts a valid event and validates its data', () => {
    const msg = eventMessage(7, 'message/textDelta', { messageId: 'm', blockIndex: 0, kind: 'text', text: 'x' });
    const r = parseHostMessage(JSON.parse(JSON.stringify(msg)));
    expect(r.ok && r.value).toEqual(msg);
  });

  it('rejects unknown events and invalid event data', () => {
    const unknown = parseHostMessage({ kind: 'event', seq: 1, name: 'fs/wipe', data: {} });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_event');
    const bad = parseHostMessage({ kind: 'event', seq: 1, name: 'turn/status', data: { turn: 'exploding', error: null } });
    expect(!bad.ok && bad.error.code).toBe('invalid_data');
  });

  it('passes responses through and checks results against the method schema', () => {
    const r = parseHostMessage({ kind: 'response', id: 1, ok: true, result: { stopped: true } });
    expect(r.ok).toBe(true);
    expect(parseResult('chat/stop', { stopped: true }).ok).toBe(true);
    const bad = parseResult('chat/stop', { stopped: 'yes' });
    expect(!bad.ok && bad.error.code).toBe('invalid_result');
  });

  it('keeps the error of a failed response', () => {
    const r = parseHostMessage({ kind: 'response', id: 2, ok: false, error: { code: 'failed', message: 'busy' } });
    expect(r.ok && r.value).toEqual({ kind: 'response', id: 2, ok: false, error: { code: 'failed', message: 'busy' } });
  });
});
