// Context management through the real loop, the real SDK and the emulator: each strategy runs when it should, leaves
// a compaction entry (the transcript is never rewritten), changes only what the model sees, keeps pairs whole, and a
// resumed session projects exactly the same request.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_COMPACTION, type CompactionSettings } from '../../../extension/core/compaction/settings';
import { pairProblems } from '../../../extension/core/compaction/pairs';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { CompactionEntry, TranscriptEntry } from '../../../extension/core/session/entries';
import { projectHistory } from '../../../extension/core/session/project';
import type { SessionRuntime } from '../../../extension/core/session/runtime';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import type { ScriptItem } from '../../emulator';
import { harness, type Harness } from '../agent/harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const SUMMARY_MARK = 'The conversation is about to be compacted';
const NOTES_MARK = 'Update the session notes';
const summaryRule = (text = 'Everything so far: the user asked for a parser fix.') => ({ match: { lastUserText: SUMMARY_MARK }, reply: { text: `<analysis>thinking it through</analysis>\n<summary>${text}</summary>` } });

function settings(over: Partial<CompactionSettings> = {}): CompactionSettings {
  // A 60K window: the autocompact mark is 60K - 1,024 (output reserve) - 13K.
  return { ...DEFAULT_COMPACTION, contextWindow: 60_000, notesEveryTokens: 0, ...over };
}

const entries = (rt: SessionRuntime) => readFileSync(rt.transcriptPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TranscriptEntry);
const compactions = (rt: SessionRuntime) => entries(rt).filter((e): e is CompactionEntry => e.t === 'compaction');
const posts = () => h.emu.requests.filter((r) => r.path === '/v1/messages');
const body = (i: number) => posts()[i]!.body as { system: unknown; tools: unknown; messages: Array<{ role: string; content: Array<{ type: string; text?: string; content?: unknown; tool_use_id?: string }> }> };
const allText = (i: number) => JSON.stringify(body(i).messages);

function runtime(over: Partial<CompactionSettings> = {}, now?: () => number) {
  return h.runtime({
    tools: createRegistry(builtinTools()),
    permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: 'auto' }),
    ports: { workspaceTrusted: true },
    compaction: () => settings(over),
    ...(now ? { now } : {}),
  });
}

describe('autocompact', () => {
  it('at the mark: a structured summary sent as a continuation of the cached prefix; the next request starts from it with tools and system unchanged', async () => {
    const script: ScriptItem[] = [
      { content: [{ type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }] },
      { text: 'Read it. ' + 'x'.repeat(200), extra_input_tokens: 50_000 },
      { text: 'Continuing after the summary.' },
    ];
    await setup(script, [summaryRule()]);
    writeFileSync(join(h.dir, 'a.ts'), 'export const a = 1;\n');
    const rt = runtime();
    rt.submit('Please look at a.ts and fix the parser');
    await rt.idle();
    rt.submit('and now the second thing');
    await rt.idle();
    const c = compactions(rt);
    expect(c.map((e) => [e.op, e.strategy, e.source])).toEqual([['compact_boundary', 'autocompact', 'summary']]);
    expect(c[0]!.before).toBeGreaterThan(46_000);
    expect(c[0]!.after).toBeLessThan(c[0]!.before / 4);
    const p = posts();
    // request 3 is the summary: the same tools and system, the instruction appended last, reading the cache.
    const summaryReq = p.findIndex((r) => JSON.stringify(r.body).includes(SUMMARY_MARK));
    expect(summaryReq).toBeGreaterThan(0);
    expect(JSON.stringify(body(summaryReq).tools)).toBe(JSON.stringify(body(0).tools));
    expect(JSON.stringify(body(summaryReq).system)).toBe(JSON.stringify(body(0).system));
    expect(p[summaryReq]!.usage?.cache_read_input_tokens ?? 0).toBeGreaterThan(0);
    // The next main request: the summary, the ledger, the user's latest request verbatim; tools and system as before.
    const next = body(summaryReq + 1);
    expect(JSON.stringify(next.tools)).toBe(JSON.stringify(body(0).tools));
    expect(JSON.stringify(next.system)).toBe(JSON.stringify(body(0).system));
    const first = JSON.stringify(next.messages[0]);
    expect(first).toContain('the user asked for a parser fix');
    expect(first).not.toContain('thinking it through');
    expect(first).toContain('<ledger');
    expect(first).toContain('and now the second thing');
    expect(first).toContain('Please look at a.ts and fix the parser');
    // The recently read file is re-attached, fresh from disk.
    expect(first).toContain('export const a = 1;');
    expect(pairProblems(next.messages as never)).toEqual([]);
    // The UI keeps the whole conversation, with a divider.
    const snap = rt.snapshot();
    expect(snap.messages.filter((m) => m.role === 'user').length).toBe(2);
    expect(snap.messages.some((m) => m.role === 'system' && m.blocks[0]?.type === 'compaction')).toBe(true);
    expect(snap.compaction?.last?.strategy).toBe('autocompact');
    // A resumed session projects exactly what the live one sends.
    const again = h.runtime({ tools: createRegistry(builtinTools()), compaction: () => settings() }, rt.id);
    expect(again.apiHistory).toEqual(rt.apiHistory);
    expect(projectHistory(entries(rt))).toEqual(rt.apiHistory);
  });

  it('uses the session notes first: no summary request at the moment of compaction', async () => {
    await setup([
      { text: 'one ' + 'y'.repeat(4_000) },
      { text: 'two', extra_input_tokens: 50_000 },
      { text: 'three' },
    ], [{ match: { lastUserText: NOTES_MARK }, reply: { text: '## Current task\nFix the parser.\n## Next step\nRun the tests.' } }, summaryRule('SHOULD NOT BE USED')]);
    const rt = runtime({ notesEveryTokens: 1_000 });
    rt.submit('first: ' + 'z'.repeat(40_000));
    await rt.idle();
    await rt.pipeline!.settled();
    expect(existsSync(join(h.agentDir, 'sessions', rt.id, 'notes.md'))).toBe(true);
    expect(rt.notes()?.text).toContain('Fix the parser.');
    rt.submit('second');
    await rt.idle();
    await rt.pipeline!.settled();
    rt.submit('third');
    await rt.idle();
    const c = compactions(rt).filter((e) => e.op === 'compact_boundary');
    expect(c.map((e) => e.source)).toEqual(['notes']);
    expect(posts().some((r) => JSON.stringify(r.body).includes(SUMMARY_MARK))).toBe(false);
    expect(allText(posts().length - 1)).toContain('Fix the parser.');
    // The notes request's usage counts for the session.
    expect(entries(rt).some((e) => e.t === 'notes' && e.usage)).toBe(true);
  });

  it('can be turned off: nothing compacts automatically, /compact still works and takes instructions', async () => {
    await setup([{ text: 'big', extra_input_tokens: 55_000 }, { text: 'still here' }], [summaryRule('Focused summary.')]);
    const rt = runtime({ auto: false });
    rt.submit('hello');
    await rt.idle();
    rt.submit('again');
    await rt.idle();
    expect(compactions(rt)).toEqual([]);
    expect(await rt.compact('keep the API decisions')).toBe(true);
    const c = compactions(rt);
    expect(c.map((e) => [e.strategy, e.trigger])).toEqual([['manual', 'user']]);
    const req = posts().find((r) => JSON.stringify(r.body).includes(SUMMARY_MARK))!;
    expect(JSON.stringify(req.body)).toContain('keep the API decisions');
  });

  it('three failed automatic compactions in a row switch it off for the session, and say so', async () => {
    await setup([
      { text: 'full', extra_input_tokens: 55_000 },
      { text: 'a', extra_input_tokens: 55_000 }, { text: 'b', extra_input_tokens: 55_000 }, { text: 'c', extra_input_tokens: 55_000 }, { text: 'd', extra_input_tokens: 55_000 },
    ], [{ match: { lastUserText: SUMMARY_MARK }, reply: { fault: { kind: 'http', status: 400, type: 'invalid_request_error', message: 'summaries are broken today' } } }]);
    const rt = runtime();
    rt.submit('start');
    await rt.idle();
    for (const t of ['1', '2', '3', '4']) { rt.submit(t); await rt.idle(); }
    const summaryTries = posts().filter((r) => JSON.stringify(r.body).includes(SUMMARY_MARK)).length;
    expect(summaryTries).toBe(3);
    const snap = rt.snapshot();
    expect(snap.compaction?.auto).toBe(false);
    expect(snap.compaction?.state).toBe('disabled');
    expect(snap.compaction?.message).toMatch(/off for this session/);
    // The conversation went on.
    expect(snap.turn).toBe('idle');
  });
});

describe('reactive compaction', () => {
  it('"prompt is too long": compacts the oldest part, re-sends the same request once, and the task goes on', async () => {
    await setup([
      { text: 'first answer' },
      { text: 'second answer' },
      { fault: { kind: 'prompt_too_long' } },
      { text: 'answered after compaction' },
    ], [summaryRule('Old part summarised.')]);
    const rt = runtime();
    rt.submit('question one');
    await rt.idle();
    rt.submit('question two');
    await rt.idle();
    rt.submit('question three');
    expect(await rt.idle()).toBe('completed');
    const c = compactions(rt);
    expect(c.map((e) => [e.strategy, e.trigger])).toEqual([['reactive', 'prompt-too-long']]);
    const last = allText(posts().length - 1);
    expect(last).toContain('Old part summarised.');
    expect(last).toContain('question three');
    expect(rt.snapshot().messages.at(-1)?.blocks[0]).toMatchObject({ type: 'text', text: 'answered after compaction' });
  });

  it('still too long after compacting: stops with a clear message, never loops', async () => {
    await setup([{ text: 'one' }, { fault: { kind: 'prompt_too_long' } }, { fault: { kind: 'prompt_too_long' } }, { text: 'never' }], [summaryRule()]);
    const rt = runtime();
    rt.submit('a');
    await rt.idle();
    rt.submit('b');
    expect(await rt.idle()).toBe('prompt_too_long');
    expect(posts().filter((r) => !JSON.stringify(r.body).includes(SUMMARY_MARK)).length).toBe(3);
    expect(rt.snapshot().lastError?.message).toMatch(/too long/i);
  });
});

describe('PreCompact hooks before an automatic compaction', () => {
  // The hook records how many requests the emulator had seen when it ran: it must come before the summary request.
  const withHook = (calls: Array<{ session: string; trigger: string; requestsSoFar: number }>) => h.runtime({
    tools: createRegistry(builtinTools()),
    permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: 'auto' }),
    ports: { workspaceTrusted: true },
    compaction: () => settings(),
    preCompact: async (session, trigger) => { calls.push({ session, trigger, requestsSoFar: posts().length }); },
  });

  it('at the mark: the hook runs once, with trigger "auto", before the summary is requested', async () => {
    await setup([
      { text: 'Read it. ' + 'x'.repeat(200), extra_input_tokens: 50_000 },
      { text: 'Continuing after the summary.' },
    ], [summaryRule()]);
    const calls: Array<{ session: string; trigger: string; requestsSoFar: number }> = [];
    const rt = withHook(calls);
    rt.submit('first');
    await rt.idle();
    expect(calls).toEqual([]);
    rt.submit('second');
    await rt.idle();
    expect(compactions(rt).map((e) => e.strategy)).toEqual(['autocompact']);
    const summaryReq = posts().findIndex((r) => JSON.stringify(r.body).includes(SUMMARY_MARK));
    expect(calls).toEqual([{ session: rt.id, trigger: 'auto', requestsSoFar: summaryReq }]);
  });

  it('"prompt is too long": the hook runs before the reactive summary; a hook that throws does not stop the task', async () => {
    await setup([
      { text: 'first answer' },
      { fault: { kind: 'prompt_too_long' } },
      { text: 'answered after compaction' },
    ], [summaryRule('Old part summarised.')]);
    const seen: string[] = [];
    const rt = h.runtime({
      tools: createRegistry(builtinTools()),
      permissions: createPermissionEngine({ workspaceRoot: h.dir, trusted: true, mode: 'auto' }),
      ports: { workspaceTrusted: true },
      compaction: () => settings(),
      preCompact: async (_session, trigger) => { seen.push(trigger); throw new Error('hook crashed'); },
    });
    rt.submit('question one');
    await rt.idle();
    rt.submit('question two');
    expect(await rt.idle()).toBe('completed');
    expect(seen).toEqual(['auto']);
    expect(compactions(rt).map((e) => e.strategy)).toEqual(['reactive']);
  });
});

describe('the light strategies', () => {
  it('a cold cache: superseded reads are snipped and old results cleared (kept in a file); recent ones stay', async () => {
    const reads: ScriptItem[] = [];
    for (let i = 0; i < 8; i++) reads.push({ content: [{ type: 'tool_use', name: 'read_file', input: { path: `f${i}.txt` } }] });
    reads.push({ content: [{ type: 'tool_use', name: 'read_file', input: { path: 'f0.txt' } }] });
    reads.push({ text: 'read them all' }, { text: 'after the idle time' });
    await setup(reads, []);
    for (let i = 0; i < 8; i++) writeFileSync(join(h.dir, `f${i}.txt`), `file ${i}\n` + 'content line\n'.repeat(200));
    let clock = Date.now();
    const rt = runtime({ keepRecentToolResults: 3 }, () => clock);
    rt.submit('read the files');
    await rt.idle();
    clock += 10 * 60_000; // idle longer than the cache lives
    rt.submit('what now?');
    await rt.idle();
    const c = compactions(rt);
    expect(c.map((e) => e.op)).toEqual(['snip', 'microcompact']);
    expect(c.every((e) => e.trigger === 'cold-cache')).toBe(true);
    const last = body(posts().length - 1).messages;
    const results = last.flatMap((m) => m.content.filter((b) => b.type === 'tool_result').map((b) => String(b.content)));
    expect(results.filter((r) => r.startsWith('[Superseded'))).toHaveLength(1);
    const cleared = results.filter((r) => r.startsWith('[Old tool result cleared'));
    expect(cleared.length).toBe(5);
    await rt.pipeline!.settled();
    const file = /The whole result is in ([^;]+);/.exec(cleared[0]!)?.[1];
    expect(file && readFileSync(join(h.dir, file), 'utf8')).toContain('content line');
    expect(results.filter((r) => r.includes('content line')).length).toBe(3);
    expect(pairProblems(last as never)).toEqual([]);
    // The transcript still has every result whole.
    expect(entries(rt).filter((e) => e.t === 'tool_result' && e.content.includes('content line')).length).toBe(9);
  });

  it('a tool result over the budget goes to a file; the model sees a preview with the path; the panel keeps the whole output', async () => {
    await setup([{ content: [{ type: 'tool_use', name: 'read_file', input: { path: 'big.txt', limit: 3000 } }] }, { text: 'ok' }], []);
    writeFileSync(join(h.dir, 'big.txt'), Array.from({ length: 3_000 }, (_, i) => `line ${i} of a big file`).join('\n'));
    const rt = runtime({ toolResultBudgetTokens: 2_000 });
    rt.submit('read big.txt');
    await rt.idle();
    const sent = JSON.stringify(body(1).messages);
    expect(sent).toContain('output too large for the context');
    expect(sent).not.toContain('line 2000 of a big file');
    const path = /The whole output is in ([^;]+);/.exec(sent)?.[1];
    expect(path && readFileSync(join(h.dir, path), 'utf8')).toContain('line 2000 of a big file');
    expect(entries(rt).find((e) => e.t === 'tool_result')).toMatchObject({ status: 'done' });
    expect((entries(rt).find((e) => e.t === 'tool_result') as { content: string }).content).toContain('line 2000 of a big file');
  });

  it('collapse: an old tool-heavy span condensed by the small model, recent work untouched', async () => {
    const script: ScriptItem[] = [];
    for (let i = 0; i < 4; i++) script.push({ content: [{ type: 'tool_use', name: 'read_file', input: { path: `c${i}.txt` } }] }, { text: `done ${i}` });
    script.push({ text: 'recent', extra_input_tokens: 30_000 }, { text: 'after' });
    await setup(script, [{ match: { model: 'haiku' }, reply: { text: 'The agent read c0 to c2; each is a table of data rows.' } }]);
    for (let i = 0; i < 4; i++) writeFileSync(join(h.dir, `c${i}.txt`), `chunk ${i}\n` + 'data row\n'.repeat(900));
    const rt = runtime({ keepRecentToolResults: 10, lightAtRatio: 0.99 });
    for (let i = 0; i < 4; i++) { rt.submit(`read c${i}`); await rt.idle(); }
    rt.submit('recent question');
    await rt.idle();
    rt.submit('next');
    await rt.idle();
    const c = compactions(rt);
    expect(c.map((e) => e.op)).toContain('collapse');
    const col = c.find((e) => e.op === 'collapse')!;
    expect(col.model).toBe(DEFAULT_COMPACTION.collapseModel);
    const last = allText(posts().length - 1);
    expect(last).toContain('each is a table of data rows');
    expect(last).toContain('recent question');
    expect(pairProblems(body(posts().length - 1).messages as never)).toEqual([]);
  });
});

async function setup(scenario: ScriptItem[], rules: Array<{ match: Record<string, unknown>; reply: ScriptItem }>) {
  h = await harness({ scenario, rules: rules as never, contextWindow: 1_000_000 });
}
