// History as an append-only log plus projections: a live session and the same session reopened from its transcript
// end in the same state (the conversation the panel shows, usage, the task list) and send the same bytes next; the
// panel's event stream, folded by the webview's own reducer, reproduces the session's snapshot; tool calls leave
// their states in the transcript; nothing edits the history in place.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { ApprovalAnswer } from '../../../extension/core/ports';
import type { TranscriptEntry } from '../../../extension/core/session/entries';
import { projectHistory } from '../../../extension/core/session/project';
import { SessionRuntime, type RuntimeEvent, type RuntimeOptions } from '../../../extension/core/session/runtime';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import { eventMessage } from '../../../extension/protocol/envelope';
import { applyEvent } from '../../../webview/src/store/reducer';
import { initialChatState, loadSnapshot } from '../../../webview/src/store/state';
import { logToArray as messagesOf } from '../../../webview/src/store/messages';
import { harness, type Harness } from './harness';
import type { ScriptItem } from '../../emulator';

let h: Harness;
afterEach(async () => { await h?.close(); });

const entries = (rt: SessionRuntime) => readFileSync(rt.transcriptPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TranscriptEntry);

/** Everything a user or the model could see of a session, without volatile parts (durations). */
function visible(snap: ReturnType<SessionRuntime['snapshot']>) {
  return {
    title: snap.title,
    turn: snap.turn,
    lastError: snap.lastError,
    usage: snap.usage,
    costUsd: snap.costUsd,
    context: snap.context,
    todo: snap.todo,
    messages: snap.messages.map((m) => ({ ...m, blocks: m.blocks.map((b) => (b.type === 'tool_use' ? { ...b, durationMs: undefined } : b)) })),
  };
}

interface Scenario { name: string; script: ScriptItem[]; turns: string[]; approve?: ApprovalAnswer[]; abortOnRunning?: boolean }

const SCENARIOS: Scenario[] = [
  { name: 'plain text', script: [{ text: 'Hello **there**.' }], turns: ['hi'] },
  {
    name: 'tools in parallel and in order, a task list, a second turn',
    script: [
      { content: [{ type: 'text', text: 'Looking.' }, { type: 'tool_use', name: 'list_files', input: {} }, { type: 'tool_use', name: 'glob', input: { pattern: '*.txt' } }] },
      { content: [{ type: 'tool_use', name: 'todo', input: { todos: [{ content: 'Read it', status: 'completed' }, { content: 'Fix it', status: 'in_progress' }] } }] },
      { text: 'Done.' },
      { text: 'Second answer.' },
    ],
    turns: ['look around', 'and then?'],
  },
  {
    name: 'a command the user rejects, then one they approve',
    script: [
      { content: [{ type: 'tool_use', name: 'run_command', input: { command: 'touch a.txt' } }] },
      { content: [{ type: 'tool_use', name: 'run_command', input: { command: 'touch b.txt' } }] },
      { text: 'ok' },
    ],
    turns: ['make files'],
    approve: [{ decision: 'reject', reason: 'not a' }, { decision: 'approve', scope: 'once' }],
  },
  {
    name: 'a dropped stream retried, a reply cut by max_tokens continued',
    script: [
      { fault: { kind: 'reset', afterEvents: 5 } },
      { text: 'Partial answer that is cut', stop_reason: 'max_tokens' },
      { text: 'The whole answer.' },
    ],
    turns: ['tell me'],
  },
  {
    name: 'a tool stopped while it runs',
    script: [{ content: [{ type: 'tool_use', name: 'run_command', input: { command: 'sleep 5' } }] }, { text: 'after' }],
    turns: ['slow'],
    approve: [{ decision: 'approve', scope: 'once' }],
    abortOnRunning: true,
  },
];

describe('a reopened session is the live session', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.name}: same conversation, same history, same next request, and the webview's fold matches`, async () => {
      h = await harness({ scenario: sc.script });
      const approvals = [...(sc.approve ?? [])];
      const opts: Partial<RuntimeOptions> = {
        tools: createRegistry(builtinTools()),
        permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: 'ask' }),
        ports: { workspaceTrusted: true, process: (await import('../../../extension/core/tools')).createNodeProcessPort(), approval: { ask: async () => approvals.shift() ?? { decision: 'reject' } } },
      };
      const live = h.runtime(opts);
      // What a webview sees: the snapshot it started from, then every event in order.
      let view = loadSnapshot(initialChatState(), { ...live.snapshot(), auth: { status: 'ready', source: 'env', demoAvailable: false }, model: 'm', seq: 0 });
      let seq = 0;
      live.subscribe((e: RuntimeEvent) => { view = applyEvent(view, eventMessage(++seq, e.name, e.data as never)); });
      for (const t of sc.turns) {
        if (sc.abortOnRunning) {
          const off = live.subscribe((e) => { if (e.name === 'message/toolDelta' && e.data.status === 'running') { off(); setTimeout(() => live.abort(), 100); } });
        }
        live.submit(t);
        await live.idle();
      }
      const liveSnap = live.snapshot();
      expect(view.sync, 'an event did not fit the webview state').toBe('live');
      expect(messagesOf(view.messages)).toEqual(liveSnap.messages);
      expect(view.todo).toEqual(liveSnap.todo ?? []);
      live.close();

      const reopened = h.runtime(opts, live.id);
      expect(visible(reopened.snapshot())).toEqual(visible(liveSnap));
      expect(reopened.apiHistory).toEqual(live.apiHistory);
      expect(JSON.stringify(reopened.mainAgent.request(reopened.apiHistory))).toBe(JSON.stringify(live.mainAgent.request(live.apiHistory)));
      // The projection is a pure function of the transcript.
      expect(projectHistory(entries(live))).toEqual(live.apiHistory);
    });
  }
});

describe('tool calls leave their states in the transcript', () => {
  it('awaiting approval -> running -> done; rejected -> error; stopped before it started -> cancelled', async () => {
    h = await harness({ scenario: [
      { content: [
        { type: 'tool_use', id: 'tu_ok', name: 'run_command', input: { command: 'touch ok.txt' } },
        { type: 'tool_use', id: 'tu_no', name: 'run_command', input: { command: 'touch no.txt' } },
      ] },
      { text: 'fine' },
      { content: [
        { type: 'tool_use', id: 'tu_slow', name: 'run_command', input: { command: 'sleep 5' } },
        { type: 'tool_use', id: 'tu_never', name: 'run_command', input: { command: 'touch never.txt' } },
      ] },
    ] });
    const answers: ApprovalAnswer[] = [{ decision: 'approve', scope: 'once' }, { decision: 'reject' }, { decision: 'approve', scope: 'once' }];
    const { createNodeProcessPort } = await import('../../../extension/core/tools');
    const rt = h.runtime({
      tools: createRegistry(builtinTools()),
      permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: 'ask' }),
      ports: { workspaceTrusted: true, process: createNodeProcessPort(), approval: { ask: async () => answers.shift() ?? { decision: 'reject' } } },
    });
    rt.submit('two');
    await rt.idle();
    const off = rt.subscribe((e) => { if (e.name === 'message/toolDelta' && e.data.id === 'tu_slow' && e.data.status === 'running') { off(); setTimeout(() => rt.abort(), 100); } });
    rt.submit('slow one');
    await rt.idle();
    const states = (id: string) => entries(rt).flatMap((e) => (e.t === 'tool_state' && e.toolUseId === id ? [e.state] : e.t === 'tool_result' && e.toolUseId === id ? [e.status] : []));
    expect(states('tu_ok')).toEqual(['awaiting_approval', 'running', 'done']);
    expect(states('tu_no')).toEqual(['awaiting_approval', 'error']);
    expect(states('tu_slow')).toEqual(['awaiting_approval', 'running', 'interrupted']);
    expect(states('tu_never')).toEqual(['cancelled']);
    const blocks = rt.snapshot().messages.flatMap((m) => m.blocks).filter((b) => b.type === 'tool_use');
    expect(blocks.map((b) => (b.type === 'tool_use' ? [b.id, b.status, b.title, b.kind] : []))).toEqual([
      ['tu_ok', 'done', 'touch ok.txt', 'command'], ['tu_no', 'error', 'touch no.txt', 'command'],
      ['tu_slow', 'interrupted', 'sleep 5', 'command'], ['tu_never', 'cancelled', 'touch never.txt', 'command'],
    ]);
  });
});

describe('history is never edited in place', () => {
  it('a history handed out earlier is unchanged after later turns', async () => {
    h = await harness({ scenario: [{ text: 'one' }, { text: 'two' }] });
    const rt = h.runtime();
    rt.submit('first');
    await rt.idle();
    const before = rt.apiHistory;
    const frozen = JSON.stringify(before);
    rt.submit('second');
    await rt.idle();
    expect(JSON.stringify(before)).toBe(frozen);
    expect(rt.apiHistory.length).toBeGreaterThan(before.length);
  });
});
