// The offline demo's tour end to end in the core: a session assembled as the panel assembles it (assembleSession:
// the real tools, permission engine in ask mode, memory), the real agent loop and @anthropic-ai/sdk against the
// emulator (whose brain answers the demo model's id), on a temp copy of the sample workspace that `npm start`
// opens; approvals and the per-hunk review are answered here.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemory, memoryContribution, type Memory } from '../../../extension/core/memory';
import type { ApprovalRequest, DiffReviewPort } from '../../../extension/core/ports';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import { DEFAULT_COMPACTION, type CompactionSettings } from '../../../extension/core/compaction/settings';
import { assembleSession } from '../../../extension/core/session/assemble';
import { createNodeProcessPort } from '../../../extension/core/tools';
import { applyHunks, computeHunks } from '../../../extension/host/review/hunks';
import type { ChatMessage } from '../../../extension/protocol/model';
import { DEMO_MODEL_ID, FOOTER, SCRIPTED } from '../../emulator/demo';
import { harness, type Harness } from '../agent/harness';

const FIXTURE = join(__dirname, '../../fixtures/sample-workspace');

let h: Harness;
let memory: Memory | undefined;
afterEach(async () => { memory?.dispose(); memory = undefined; await h?.close(); });

interface Answers {
  /** Approve this command? (default: yes) */
  approve?: (req: ApprovalRequest) => boolean;
  /** Which hunks to accept (default: all); 'reject' rejects the whole edit. */
  review?: (hunkCount: number) => number[] | 'reject';
  /** Leave memory tools out of the request. */
  noMemory?: boolean;
  /** Context management settings (default: Cairn's). */
  compaction?: Partial<CompactionSettings>;
}

async function tour(answers: Answers = {}) {
  h = await harness();
  cpSync(FIXTURE, h.dir, { recursive: true });
  memory = createMemory({ agentDir: h.agentDir, workspaceRoot: h.dir });
  const asked: string[] = [];
  const reviews: Array<{ path: string; hunks: number }> = [];
  const diffReview: DiffReviewPort = {
    review: async (abs, before, after) => {
      const { ranges } = computeHunks(before, after);
      reviews.push({ path: abs.slice(h.dir.length + 1), hunks: ranges.length });
      const pick = (answers.review ?? ((n) => [...Array(n).keys()]))(ranges.length);
      return pick === 'reject' ? undefined : { text: applyHunks(before, after, ranges, pick) };
    },
  };
  const provider = createAnthropicProvider({ apiKey: 'test-key', baseURL: h.emu.url });
  const { options } = assembleSession({
    agentDir: h.agentDir, workspaceRoot: h.dir, trusted: true, mode: 'ask',
    provider: () => provider,
    model: () => ({ id: DEMO_MODEL_ID, maxTokens: 8192 }),
    limits: () => ({ maxTurns: 50, maxCostUsd: 5 }),
    compaction: () => ({ ...DEFAULT_COMPACTION, ...answers.compaction }),
    contributions: [...(answers.noMemory ? [] : [memoryContribution(memory)]), { ports: () => ({ diffReview }) }],
    ports: {
      process: createNodeProcessPort(),
      approval: { ask: async (req) => { asked.push(`${req.tool}: ${commandOf(req)}`); return (answers.approve ?? (() => true))(req) ? { decision: 'approve', scope: 'once' } : { decision: 'reject' }; } },
    },
  });
  const rt = h.runtime(options);
  const say = async (text: string) => {
    const before = rt.snapshot().messages.length;
    rt.submit(text);
    expect(await rt.idle()).toBe('completed');
    const turn = rt.snapshot().messages.slice(before).filter((m) => m.role === 'assistant');
    return { tools: toolsOf(turn), text: textOf(turn), final: finalText(turn), turn };
  };
  return { rt, asked, reviews, say };
}

/** The command of a run_command approval (the summary is the tool's one-line description of the call). */
const commandOf = (req: ApprovalRequest) => {
  try { return String((JSON.parse(req.summary) as { command?: string }).command ?? req.summary); } catch { return req.summary; }
};
const blocks = (ms: ChatMessage[]) => ms.flatMap((m) => m.blocks);
const toolsOf = (ms: ChatMessage[]) => blocks(ms).flatMap((b) => (b.type === 'tool_use' ? [`${b.name} ${b.status}`] : []));
const textOf = (ms: ChatMessage[]) => blocks(ms).flatMap((b) => (b.type === 'text' ? [b.text] : []));
const finalText = (ms: ChatMessage[]) => textOf(ms).at(-1) ?? '';
const file = (rel: string) => readFileSync(join(h.dir, rel), 'utf8');
const brainOnly = () => h.emu.requests.filter((r) => r.path === '/v1/messages').every((r) => r.source === 'brain' && r.status === 200);

/** Every text is labelled as scripted; the answer ends with the footer that says what the demo is. */
function expectHonest(texts: string[]) {
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(t.startsWith(SCRIPTED), t).toBe(true);
  expect(texts.at(-1)!.endsWith(FOOTER)).toBe(true);
}

describe('the demo tour through the real loop, SDK and tools', () => {
  it('full task: run the tests (approved), read, fix after review, re-run (approved), remember (held: the task read command output), sum up; it costs $0', async () => {
    const t = await tour();
    const r = await t.say('Run the tests and fix whatever fails.');
    expect(r.tools).toEqual(['run_command error', 'read_file done', 'read_file done', 'edit_file done', 'run_command done', 'memory_write done']);
    expect(t.asked).toEqual(['run_command: npm test', 'run_command: npm test']);
    expect(t.reviews).toEqual([{ path: 'src/cart.js', hunks: 1 }]);
    expect(file('src/cart.js')).toContain('return Math.round(sub * (1 - discountPercent / 100));');
    expectHonest(r.text);
    // Each step reads the previous results: the failing test's name and place, the buggy line's number, the counts.
    expect(r.text[1]).toMatch(/1 of 5 tests failed: “total applies a percentage discount” at `test\/cart\.test\.js:15`, `2999 !== 2699`/);
    expect(r.text[2]).toMatch(/Found it: line 14 of `src\/cart\.js` \(`return Math\.round\(sub - discountPercent \/ 100\);`\) subtracts/);
    expect(r.text[2]).toContain('The test expects `assert.equal(total(items, 10), 2699);`');
    expect(r.final).toMatch(/Verified\*\*: all 5 tests pass/);
    expect(r.final).toContain('waiting for your review');
    expect(memory!.store.listPending().map((p) => p.request.slug)).toEqual(['sample-tests']);
    expect(brainOnly()).toBe(true);
    expect(t.rt.snapshot().costUsd).toBe(0);
    expect(t.rt.snapshot().usage.inputTokens).toBeGreaterThan(0);
  });

  it('full task, asked again once the fix is in: the tests pass, nothing to fix', async () => {
    const t = await tour();
    await t.say('Run the tests and fix whatever fails.');
    const again = await t.say('Run the tests and fix whatever fails.');
    expect(again.tools).toEqual(['run_command done']);
    expect(again.final).toContain('all 5 tests pass, so there is nothing to fix');
  });

  it('full task: a declined test run stops the tour and changes nothing', async () => {
    const t = await tour({ approve: () => false });
    const r = await t.say('Run the tests and fix whatever fails.');
    expect(r.tools).toEqual(['run_command error']);
    expect(r.final).toMatch(/You declined `npm test`, so nothing ran/);
    expect(file('src/cart.js')).toContain('sub - discountPercent / 100');
  });

  it('full task: a rejected fix is reported, the file and the test stay as they were, no second run', async () => {
    const t = await tour({ review: () => 'reject' });
    const r = await t.say('Run the tests and fix whatever fails.');
    expect(r.tools).toEqual(['run_command error', 'read_file done', 'read_file done', 'edit_file error']);
    expect(r.final).toContain('You rejected the fix');
    expect(file('src/cart.js')).toContain('sub - discountPercent / 100');
    expect(t.asked).toHaveLength(1);
  });

  it('full task without memory tools: it sums up without remembering', async () => {
    const t = await tour({ noMemory: true });
    const r = await t.say('Run the tests and fix whatever fails.');
    expect(r.tools.at(-1)).toBe('run_command done');
    expect(r.final).toContain('no memory tool in this request');
  });

  it('explain: list_files, then README, package.json and grep in one step, then an overview built from their results', async () => {
    const t = await tour();
    const r = await t.say('Explain how this project is organised and where to start reading.');
    expect(r.tools).toEqual(['list_files done', 'read_file done', 'read_file done', 'grep done']);
    expect(r.final).toContain('`README.md` says: “A tiny project to try Cairn on');
    expect(r.final).toContain('`npm test` runs `node --test --test-reporter=spec`');
    expect(r.final).toContain('`subtotal`, `total` in `src/cart.js`');
    expect(r.final).toContain('**Where to start reading:** `README.md`, then `src/cart.js`, then its tests in `test/`');
    expectHonest(r.text);
    expect(t.asked).toEqual([]);
  });

  it('search: grep for TODOs, read the files, list them with their functions and pick one by the stated rule', async () => {
    const t = await tour();
    const r = await t.say('Find the TODO comments and suggest which to tackle first.');
    expect(r.tools).toEqual(['grep done', 'read_file done', 'read_file done']);
    expect(r.final).toContain('`src/cart.js:10` (at `total()`): TODO: reject a discount outside 0-100');
    expect(r.final).toContain('`src/greet.js:8` (at `farewell()`)');
    expect(r.final).toMatch(/\*\*Tackle first:\*\* `src\/cart\.js:10`/);
    expectHonest(r.text);
  });

  it('search with no match says so', async () => {
    const t = await tour();
    const r = await t.say('search for "nonexistentThing"');
    expect(r.tools).toEqual(['grep done']);
    expect(r.final).toContain('No matches for `/nonexistentThing/`');
  });

  it('edit: read, then a two-hunk review; accepting one hunk writes exactly that one', async () => {
    const t = await tour({ review: () => [0] });
    const r = await t.say('Make greet handle a blank name');
    expect(r.tools).toEqual(['read_file done', 'edit_file done']);
    expect(t.reviews).toEqual([{ path: 'src/greet.js', hunks: 2 }]);
    expect(file('src/greet.js')).toContain("return `Hello, ${name.trim() || 'there'}!`;");
    expect(file('src/greet.js')).toContain('return `Goodbye, ${name}!`;');
    expect(r.final).toContain('You accepted only part of it');
    expectHonest(r.text);
  });

  it('edit of a file the script does not know: a comment line at its top, for review', async () => {
    const t = await tour();
    const r = await t.say('edit README.md please');
    expect(r.tools).toEqual(['read_file done', 'edit_file done']);
    expect(file('README.md').split('\n')[0]).toBe("<!-- Reviewed in Cairn's offline demo: this line was proposed by the script. -->");
  });

  it('run: the command asks first; the report quotes the counts and the failing test', async () => {
    const t = await tour();
    const r = await t.say('Run the tests');
    expect(t.asked).toEqual(['run_command: npm test']);
    expect(r.final).toContain('5 tests: 4 passed, 1 failed.');
    expect(r.final).toContain('- total applies a percentage discount (`2999 !== 2699`)');
  });

  it('run: a command in backticks, read-only, runs without asking', async () => {
    const t = await tour();
    const r = await t.say('run `ls src`');
    expect(t.asked).toEqual([]);
    expect(r.final).toMatch(/`ls src` exited with code 0[\s\S]*cart\.js[\s\S]*greet\.js/);
  });

  it('memory: "remember that …" saves a topic and an index line that the next session starts with', async () => {
    const t = await tour();
    const r = await t.say('Remember that I prefer small commits');
    expect(r.tools).toEqual(['memory_write done']);
    expect(existsSync(join(h.agentDir, 'memory'))).toBe(true);
    expect(readFileSync(join(h.agentDir, 'MEMORY.md'), 'utf8')).toContain('- [I prefer small](memory/i-prefer-small.md)');
    expect(r.final).toMatch(/Saved memory "i-prefer-small"/);
    expect(readFileSync(join(h.agentDir, 'memory', 'i-prefer-small.md'), 'utf8')).toContain('I prefer small commits');
    expectHonest(r.text);
  });

  it('/compact after the full task: the summary request gets text only, built from the conversation; the compaction is recorded', async () => {
    const t = await tour();
    await t.say('Run the tests and fix whatever fails.');
    const before = h.emu.requests.length;
    expect(await t.rt.compact()).toBe(true);
    const side = h.emu.requests.slice(before).filter((r) => r.path === '/v1/messages');
    expect(side).toHaveLength(1);
    const reply = (side[0]!.events ?? []).filter((e) => e.event === 'content_block_start').map((e) => (e.data.content_block as { type: string }).type);
    expect(reply).toEqual(['text']);
    const text = (side[0]!.events ?? []).flatMap((e) => (e.event === 'content_block_delta' && (e.data.delta as { type: string }).type === 'text_delta' ? [(e.data.delta as { text: string }).text] : [])).join('');
    expect(text).toContain('<summary>');
    expect(text).toContain(SCRIPTED);
    expect(text).toContain('- src/cart.js was changed');
    expect(text).toContain('- Run the tests and fix whatever fails.');
    expect(text).toMatch(/run_command npm test: Exit code 1\./);
    // The conversation goes on from the summary: the next request starts a new task as usual.
    const next = await t.say('Find the TODO comments');
    expect(next.tools[0]).toBe('grep done');
  });

  it('the session notes request (context grown past the mark) gets notes, not a tour step', async () => {
    const t = await tour({ compaction: { notesEveryTokens: 1_000 } });
    await t.say(`what is this? ${'x'.repeat(40_000)}`);
    await t.rt.pipeline!.settled();
    const notes = t.rt.notes()?.text ?? '';
    expect(notes).toContain(SCRIPTED);
    expect(notes).toContain('## Current task');
    expect(notes).toContain('## Next step');
    expect(h.emu.requests.filter((r) => r.path === '/v1/messages').every((r) => !JSON.stringify(r.events ?? []).includes('"tool_use"'))).toBe(true);
  });

  it('anything else gets the list of what to try, each entry a request the tour understands', async () => {
    const t = await tour();
    const r = await t.say('what is the capital of France?');
    expect(r.tools).toEqual([]);
    expect(r.final).toContain('did not recognise that request');
    expect(r.final).toContain('**Run the tests and fix whatever fails**');
    expectHonest(r.text);
  });
});
