// Transcripts and resume: every step on disk before it is shown as done; crashes resume at the last
// completed step; torn or non-UTF-8 lines are skipped and reported; nothing is re-run.
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSessions } from '../../../extension/core/session/store';
import { parseTranscript } from '../../../extension/core/session/transcript';
import { harness, probeTool, toolSet, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; role?: string });

describe('transcript', () => {
  it('has each step on disk before the UI is told it is done', async () => {
    h = await harness({ scenario: [{ text: 'first reply' }] });
    const rt = h.runtime();
    const seenOnDisk: string[][] = [];
    rt.subscribe((e) => {
      // A finished response re-sends its whole message, marked complete.
      if (e.name === 'message/added' && e.data.message.role === 'assistant' && e.data.message.status === 'complete') seenOnDisk.push(lines(rt.transcriptPath).map((l) => `${l.t}:${l.role ?? ''}`));
    });
    rt.submit('hello');
    await rt.idle();
    expect(seenOnDisk).toHaveLength(1);
    expect(seenOnDisk[0]).toEqual(['meta:', 'msg:user', 'title:', 'msg:assistant']);
    expect(lines(rt.transcriptPath).at(-1)).toMatchObject({ t: 'turn_end', stop: 'completed' });
  });

  it('writes nothing for a session that never got a message', async () => {
    h = await harness();
    h.runtime();
    expect(listSessions(h.agentDir)).toEqual([]);
  });

  it('never writes an API key into the transcript', async () => {
    h = await harness({ scenario: [{ text: 'noted' }] });
    const rt = h.runtime();
    rt.submit('my key is sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef please keep it');
    await rt.idle();
    expect(readFileSync(rt.transcriptPath, 'utf8')).not.toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });

  it('skips a torn last line and a non-UTF-8 line, reports them, and still parses the rest', () => {
    const good = JSON.stringify({ t: 'title', title: 'ok' });
    const buf = Buffer.concat([Buffer.from(`${good}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(`${good}\n{"t":"msg","ro`)]);
    const r = parseTranscript(buf);
    expect(r.entries).toHaveLength(2);
    expect(r.problems.map((p) => [p.line, p.kind])).toEqual([[2, 'corrupt'], [4, 'torn']]);
  });
});

describe('resume', () => {
  it('reopens a transcript that was killed before its first line (an empty file) as an empty session', async () => {
    h = await harness({ scenario: [{ text: 'works again' }] });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(h.agentDir, 'sessions'), { recursive: true });
    writeFileSync(join(h.agentDir, 'sessions', 'empty-one.jsonl'), '');
    const rt = h.runtime({}, 'empty-one');
    expect(rt.snapshot().messages).toEqual([]);
    rt.submit('hello again');
    expect(await rt.idle()).toBe('completed');
    expect(lines(rt.transcriptPath)[0]).toMatchObject({ t: 'meta', id: 'empty-one' });
  });

  it('refuses to resume a session that does not exist', async () => {
    h = await harness();
    expect(() => h.runtime({}, 'never-was')).toThrow(/No session never-was/);
  });

  it('a new transcript is created with its first line already in it (no empty file, no temp file left)', async () => {
    const { readdirSync } = await import('node:fs');
    const { TranscriptWriter } = await import('../../../extension/core/session/transcript');
    h = await harness();
    const path = join(h.agentDir, 'sessions', 'fresh.jsonl');
    const w = new TranscriptWriter(path);
    w.append({ t: 'title', title: 'first' });
    expect(readFileSync(path, 'utf8')).toBe('{"t":"title","title":"first"}\n');
    w.append({ t: 'title', title: 'second' });
    w.close();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(readdirSync(join(h.agentDir, 'sessions'))).toEqual(['fresh.jsonl']);
  });

  it('lists a session, reopens it and continues with the whole history', async () => {
    h = await harness({ scenario: [{ text: 'one' }, { text: 'two' }] });
    const rt = h.runtime();
    rt.submit('remember the word cairn');
    await rt.idle();
    rt.close();
    const [summary] = listSessions(h.agentDir);
    expect(summary).toMatchObject({ id: rt.id, title: 'remember the word cairn', messageCount: 2 });
    // What history search looks in: the user's words and the answer, not the hidden prelude or tool data.
    expect(summary!.excerpt).toBe('remember the word cairn\none');
    const again = h.runtime({}, rt.id);
    expect(again.snapshot().messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    again.submit('what was the word?');
    expect(await again.idle()).toBe('completed');
    const body = h.emu.requests.at(-1)!.body as { messages: Array<{ role: string }> };
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(body)).toContain('remember the word cairn');
  });

  it('skips a torn last line on resume, reports it, and appends on a fresh line', async () => {
    h = await harness({ scenario: [{ text: 'one' }, { text: 'two' }] });
    const rt = h.runtime();
    rt.submit('hello');
    await rt.idle();
    rt.close();
    appendFileSync(rt.transcriptPath, '{"t":"msg","ts":1,"role":"assi');
    const again = h.runtime({}, rt.id);
    expect(again.problems).toHaveLength(1);
    expect(again.problems[0]).toMatch(/cut off/);
    again.submit('next');
    expect(await again.idle()).toBe('completed');
    const reread = parseTranscript(readFileSync(rt.transcriptPath));
    expect(reread.problems).toHaveLength(1);
    expect(reread.entries.filter((e) => e.t === 'msg')).toHaveLength(4);
  });

  it('reports a tool that was running when the process died as interrupted and never re-runs it', async () => {
    const slow = probeTool('slow', { delayMs: 3_000 });
    h = await harness({ scenario: [
      { content: [{ type: 'tool_use', name: 'slow', input: { value: 'x' } }] },
      { text: 'I see it was interrupted' },
    ] });
    const rt = h.runtime({ tools: toolSet([slow.tool]) });
    rt.submit('run the slow thing');
    await new Promise<void>((resolve) => { const off = rt.subscribe((e) => { if (e.name === 'message/toolDelta' && e.data.status === 'running') { off(); resolve(); } }); });
    // The state on disk at the moment of a crash: copy it to another session id.
    const crashedId = 'crashed-session';
    copyFileSync(rt.transcriptPath, join(h.agentDir, 'sessions', `${crashedId}.jsonl`));
    rt.abort();
    await rt.idle();
    const callsBefore = slow.calls.length;

    const resumed = h.runtime({ tools: toolSet([slow.tool]) }, crashedId);
    const block = resumed.snapshot().messages.at(-1)!.blocks[0]!;
    expect(block).toMatchObject({ type: 'tool_use', status: 'interrupted' });
    expect(resumed.continue()).toBe(true);
    expect(await resumed.idle()).toBe('completed');
    expect(slow.calls.length).toBe(callsBefore);
    const sent = JSON.stringify(h.emu.requests.at(-1)!.body);
    expect(sent).toContain('was not re-run');
  });
});

describe('reopening after a failed or a cut-off turn', () => {
  it('a turn that ended in an error reopens with its error and Retry, not as "stopped in the middle"; a cut-off one as resumable', async () => {
    h = await harness({ scenario: [{ text: 'back again' }, { text: 'finished it' }] });
    for (let i = 0; i < 4; i++) h.emu.faults.push({ kind: 'overloaded' });
    const rt = h.runtime();
    rt.submit('hello');
    expect(await rt.idle()).toBe('error');
    rt.close();
    const failed = h.runtime({}, rt.id);
    expect(failed.canContinue).toBe(true);
    expect(failed.resumable).toBe(false);
    const snap = failed.snapshot();
    expect(snap.resumable).toBeUndefined();
    expect(snap.turn).toBe('error');
    expect(snap.lastError).toMatchObject({ kind: 'overloaded', retryable: true });
    expect(failed.retry()).toBe(true);
    expect(await failed.idle()).toBe('completed');
    failed.close();

    // The same session cut off right after a prompt (no turn end): resumable, and Continue finishes it.
    const { writeFileSync } = await import('node:fs');
    const kept: string[] = [];
    for (const line of readFileSync(rt.transcriptPath, 'utf8').trim().split('\n')) {
      const e = JSON.parse(line) as { t: string; role?: string; uiId?: string };
      kept.push(line.replace(rt.id, 'cut-off'));
      if (e.t === 'msg' && e.role === 'user') break;
    }
    writeFileSync(join(h.agentDir, 'sessions', 'cut-off.jsonl'), `${kept.join('\n')}\n`);
    const cut = h.runtime({}, 'cut-off');
    expect(cut.resumable).toBe(true);
    expect(cut.snapshot()).toMatchObject({ resumable: true, turn: 'idle', lastError: null });
    expect(cut.continue()).toBe(true);
    expect(await cut.idle()).toBe('completed');
    expect(cut.resumable).toBe(false);
  });
});
