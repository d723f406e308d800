import { describe, expect, it } from 'vitest';
import { parseHostMessage, type EventMessage } from '../../webview/src/protocol';
import { logToArray as arr, applyEvent, applyEvents, dismissNotice, initialChatState, loadSnapshot, type ChatState } from '../../webview/src/store';
import turnWithTool from './fixtures/turn-with-tool.events.json';
import turnFails from './fixtures/turn-fails.events.json';
import { assistantMessage, makeSnapshot, userMessage } from './helpers';

/** Recorded streams go through the same validation as live host messages. */
function recorded(raw: unknown[]): EventMessage[] {
  return raw.map((r) => {
    const p = parseHostMessage(r);
    if (!p.ok || p.value.kind !== 'event') throw new Error(`fixture message is not a valid event: ${JSON.stringify(r)}`);
    return p.value;
  });
}

function live(overrides: Parameters<typeof makeSnapshot>[0] = {}): ChatState {
  return loadSnapshot(initialChatState(), makeSnapshot({ seq: 3, ...overrides }));
}

function ev(seq: number, name: EventMessage['name'], data: unknown): EventMessage {
  return { kind: 'event', seq, name, data } as EventMessage;
}

describe('applyEvent on recorded streams', () => {
  it('folds a streamed turn with thinking, text and a tool call into the expected conversation', () => {
    const s = applyEvents(live(), recorded(turnWithTool));
    expect(s.sync).toBe('live');
    expect(s.seq).toBe(18);
    expect(s.turn).toBe('idle');
    expect(arr(s.messages)).toEqual([
      userMessage('u1', 'List the files\nplease'),
      {
        id: 'a1', role: 'assistant', status: 'complete',
        blocks: [
          { type: 'thinking', text: 'The user wants a listing.' },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_1', name: 'list_files', inputJson: '{"path":"."}', status: 'done' },
          { type: 'text', text: 'Two files: a.ts, b.ts.' },
        ],
      },
    ]);
    expect(s.index.get('a1')).toBe(1);
    expect(s.usage).toEqual({ inputTokens: 1200, outputTokens: 85, cacheReadTokens: 900, cacheWriteTokens: 300 });
  });

  it('records a failed turn: incomplete message, error turn, lastError', () => {
    const s = applyEvents(live(), recorded(turnFails));
    expect(s.turn).toBe('error');
    expect(s.lastError).toEqual({ kind: 'overloaded', message: 'Overloaded (529) after 4 attempts', retryable: true });
    expect(arr(s.messages)[1]).toMatchObject({ id: 'a1', status: 'incomplete', blocks: [{ type: 'text', text: 'Half an ans' }] });
    // A later successful turn clears the error.
    const after = applyEvent(s, ev(10, 'turn/status', { turn: 'streaming', error: null }));
    expect(after.lastError).toBeNull();
  });
});

describe('applyEvent: only what a delta touches changes', () => {
  it('a text delta rebuilds one message and one block; other messages keep their identity', () => {
    const s0 = live({ messages: [userMessage('u1', 'hi'), assistantMessage('a1', [{ type: 'text', text: 'He' }, { type: 'thinking', text: 't' }])] });
    const s1 = applyEvent(s0, ev(4, 'message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: 'llo' }));
    expect(arr(s1.messages)[0]).toBe(arr(s0.messages)[0]);
    expect(arr(s1.messages)[1]?.blocks[0]).toEqual({ type: 'text', text: 'Hello' });
    expect(arr(s1.messages)[1]?.blocks[1]).toBe(arr(s0.messages)[1]?.blocks[1]);
    expect(s1.index).toBe(s0.index);
    expect(arr(s0.messages)[1]?.blocks[0]).toEqual({ type: 'text', text: 'He' }); // the input state is not mutated
  });

  it('session/started clears the conversation, the error and the usage', () => {
    const s0 = applyEvents(live(), recorded(turnFails));
    const s1 = applyEvent(s0, ev(10, 'session/started', { sessionId: 's2', title: 'Fresh' }));
    expect(s1.messages.length).toBe(0);
    expect(s1).toMatchObject({ sessionId: 's2', title: 'Fresh', turn: 'idle', lastError: null, seq: 10 });
    expect(s1.usage.inputTokens).toBe(0);
    expect(s1.index.size).toBe(0);
  });

  it('applies auth, model and message status changes', () => {
    let s = live({ messages: [assistantMessage('a1')] });
    s = applyEvent(s, ev(4, 'auth/changed', { auth: { status: 'demo', source: 'demo', demoAvailable: true } }));
    s = applyEvent(s, ev(5, 'config/changed', { model: 'claude-opus-4-1' }));
    s = applyEvent(s, ev(6, 'message/status', { messageId: 'a1', status: 'error' }));
    expect(s.auth.status).toBe('demo');
    expect(s.model).toBe('claude-opus-4-1');
    expect(arr(s.messages)[0]?.status).toBe('error');
    expect(s.seq).toBe(6);
  });

  it('a re-sent message/added replaces the message instead of duplicating it', () => {
    const s0 = live({ messages: [assistantMessage('a1', [{ type: 'text', text: 'x' }])] });
    const s1 = applyEvent(s0, ev(4, 'message/added', { message: assistantMessage('a1', [{ type: 'text', text: 'y' }], 'complete') }));
    expect(arr(s1.messages)).toHaveLength(1);
    expect(arr(s1.messages)[0]).toMatchObject({ status: 'complete', blocks: [{ text: 'y' }] });
  });
});

describe('applyEvent sequencing', () => {
  it('drops events already folded into the snapshot (seq <= snapshot.seq)', () => {
    const s0 = live({ seq: 10, messages: [assistantMessage('a1', [{ type: 'text', text: 'done' }])] });
    const s1 = applyEvent(s0, ev(10, 'message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: ' again' }));
    const s2 = applyEvent(s1, ev(3, 'session/started', { sessionId: 'old', title: 'old' }));
    expect(s2).toBe(s0);
    expect(arr(s2.messages)[0]?.blocks[0]).toEqual({ type: 'text', text: 'done' });
  });

  it('a gap in seq marks the state stale and applies nothing, then or later', () => {
    const s0 = live({ seq: 3, messages: [assistantMessage('a1', [{ type: 'text', text: 'a' }])] });
    const s1 = applyEvent(s0, ev(5, 'message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'text', text: 'b' }));
    expect(s1.sync).toBe('stale');
    expect(s1.seq).toBe(3);
    expect(s1.messages).toBe(s0.messages);
    const s2 = applyEvent(s1, ev(4, 'config/changed', { model: 'other' }));
    expect(s2).toBe(s1);
    // A fresh snapshot brings it back in step.
    const s3 = loadSnapshot(s2, makeSnapshot({ seq: 5, model: 'other' }));
    expect(s3.sync).toBe('live');
    expect(applyEvent(s3, ev(6, 'config/changed', { model: 'm6' })).model).toBe('m6');
  });

  it('an event that does not fit the state (unknown message, skipped block, kind mismatch) marks it stale', () => {
    const s0 = live({ messages: [assistantMessage('a1', [{ type: 'text', text: 'a' }])] });
    const cases = [
      ev(4, 'message/textDelta', { messageId: 'nope', blockIndex: 0, kind: 'text', text: 'x' }),
      ev(4, 'message/textDelta', { messageId: 'a1', blockIndex: 2, kind: 'text', text: 'x' }),
      ev(4, 'message/textDelta', { messageId: 'a1', blockIndex: 0, kind: 'thinking', text: 'x' }),
      ev(4, 'message/toolDelta', { messageId: 'a1', blockIndex: 0, id: 't', name: 'n', inputJsonDelta: '', status: 'running' }),
      ev(4, 'message/status', { messageId: 'nope', status: 'complete' }),
    ];
    for (const e of cases) {
      const s = applyEvent(s0, e);
      expect(s.sync, JSON.stringify(e.data)).toBe('stale');
      expect(s.messages).toBe(s0.messages);
    }
  });

  it('nothing is applied before the first snapshot', () => {
    const s0 = initialChatState();
    expect(applyEvent(s0, ev(1, 'config/changed', { model: 'x' }))).toBe(s0);
  });
});

describe('applyEvent: tool results, retries, approvals, cost', () => {
  const tool = { type: 'tool_use', id: 'toolu_1', name: 'run_command', inputJson: '{}', status: 'running' } as const;

  it('tool/result sets the status, output and duration of the matching tool block', () => {
    const s0 = live({ messages: [assistantMessage('a1', [{ type: 'text', text: 'x' }, tool])] });
    const s1 = applyEvent(s0, ev(4, 'tool/result', { messageId: 'a1', blockIndex: 1, toolUseId: 'toolu_1', status: 'error', output: 'exit 1', durationMs: 1500 }));
    expect(arr(s1.messages)[0]?.blocks[1]).toEqual({ ...tool, status: 'error', output: 'exit 1', durationMs: 1500 });
    const wrongId = applyEvent(s0, ev(4, 'tool/result', { messageId: 'a1', blockIndex: 1, toolUseId: 'other', status: 'done', output: '', durationMs: 1 }));
    expect(wrongId.sync).toBe('stale');
  });

  it('turn/retrying is shown until the next turn status; stopReason is kept', () => {
    const error = { kind: 'overloaded', message: '529', retryable: true } as const;
    let s = applyEvent(live(), ev(4, 'turn/status', { turn: 'streaming', error: null }));
    s = applyEvent(s, ev(5, 'turn/retrying', { attempt: 2, maxAttempts: 4, delayMs: 2000, error }));
    expect(s.retrying).toEqual({ attempt: 2, maxAttempts: 4, delayMs: 2000, error });
    s = applyEvent(s, ev(6, 'turn/status', { turn: 'idle', error: null, stopReason: 'max_turns' }));
    expect(s.retrying).toBeNull();
    expect(s.stopReason).toBe('max_turns');
  });

  it('approvals are added, de-duplicated and removed when resolved', () => {
    const req = (id: string) => ({ id, tool: 'run_command', summary: `run ${id}`, reason: 'not in the allow list' });
    let s = live();
    s = applyEvent(s, ev(4, 'decision/requested', { decision: { kind: 'approval', request: req('p1') } }));
    s = applyEvent(s, ev(5, 'decision/requested', { decision: { kind: 'approval', request: req('p2') } }));
    s = applyEvent(s, ev(6, 'decision/requested', { decision: { kind: 'approval', request: { ...req('p1'), summary: 'updated' } } }));
    // A changed decision keeps its place in the list.
    expect(s.approvals.map((a) => [a.id, a.summary])).toEqual([['p1', 'updated'], ['p2', 'run p2']]);
    s = applyEvent(s, ev(7, 'decision/resolved', { id: 'p2', outcome: 'approved' }));
    s = applyEvent(s, ev(8, 'decision/resolved', { id: 'gone', outcome: 'withdrawn' }));
    expect(s.approvals.map((a) => a.id)).toEqual(['p1']);
    expect(s.sync).toBe('live');
    expect(loadSnapshot(s, makeSnapshot({ seq: 9, pendingDecisions: [req('p9')].map((request) => ({ kind: 'approval' as const, request })) })).approvals.map((a) => a.id)).toEqual(['p9']);
  });

  it('usage/updated keeps the cost when the host sends one', () => {
    const usage = { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let s = applyEvent(live(), ev(4, 'usage/updated', { usage, costUsd: 0.0123 }));
    expect(s.costUsd).toBe(0.0123);
    s = applyEvent(s, ev(5, 'usage/updated', { usage }));
    expect(s.costUsd).toBe(0.0123);
    expect(applyEvent(s, ev(6, 'session/started', { sessionId: 'n', title: 'n' })).costUsd).toBeNull();
  });
});

describe('session notices', () => {
  it('keeps the last few notices with their seq as id, survives a resnapshot, clears on a new session', () => {
    let s = live();
    for (let i = 0; i < 7; i++) s = applyEvent(s, ev(4 + i, 'session/notice', { level: 'info', message: `n${i}` }));
    expect(s.notices.map((n) => n.message)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    expect(s.notices[0]?.id).toBe(6);
    s = dismissNotice(s, 6);
    expect(s.notices).toHaveLength(4);
    s = loadSnapshot(s, makeSnapshot({ seq: 20 }));
    expect(s.notices).toHaveLength(4);
    s = applyEvent(s, ev(21, 'session/started', { sessionId: 'x', title: 'x' }));
    expect(s.notices).toHaveLength(0);
  });
});

describe('session title', () => {
  it('session/title renames the open session and ignores other sessions', () => {
    const apply = applyEvent;
    const s0 = { ...initialChatState(), sync: 'live' as const, sessionId: 's1', title: 'New session', seq: 1 };
    const s1 = apply(s0, { kind: 'event', seq: 2, name: 'session/title', data: { sessionId: 's1', title: 'Fix the build' } });
    expect(s1.title).toBe('Fix the build');
    const s2 = apply(s1, { kind: 'event', seq: 3, name: 'session/title', data: { sessionId: 'other', title: 'Nope' } });
    expect(s2.title).toBe('Fix the build');
  });
});
