// An edit to a file the approved plan does not name is flagged on its tool card: core decides (the tool
// executor asks the plan), the view puts the flag on the tool block and on the live tool/result event (the protocol
// carries it), and a reopened session shows it again. Edits of named files, reads, and edits made with no plan
// in force are never flagged.
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolUseBlock } from '../../../extension/protocol/model';
import { eventSchemas } from '../../../extension/protocol/events';
import type { z } from 'zod';
import { harness, type Harness } from '../agent/harness';
import { planSession, propose, step, workspace, write } from './helpers';

let h: Harness;
afterEach(async () => { await h?.close(); });

type Tool = z.infer<typeof ToolUseBlock>;
const toolBlocks = (snap: { messages: Array<{ blocks: Array<{ type: string }> }> }): Tool[] =>
  snap.messages.flatMap((m) => m.blocks.filter((b): b is Tool => b.type === 'tool_use'));
const read = (path: string) => ({ type: 'tool_use' as const, name: 'read_file', input: { path } });

describe('off-plan flag', () => {
  it('an edit of a file the approved plan does not name is flagged (live event, snapshot, after a reopen); named files and reads are not', async () => {
    h = await harness({ scenario: [
      { content: [propose()] },
      { content: [step(1, 'in_progress'), write('src/greet.ts', 'export const greet = 1;\n'), write('src/extra.ts', 'export const x = 2;\n'), read('src/other.ts')] },
      { text: 'done' },
    ] });
    workspace(h);
    const s = planSession(h, 'accept-edits');
    const events: Array<{ name: string; data: unknown }> = [];
    s.rt.subscribe((e) => { events.push(e); });
    s.rt.submit('plan it');
    await s.rt.idle();
    expect(s.plans.held()).toBe(true);
    const a = s.plans.answer({ choice: 'approve-auto' });
    s.rt.submit(a.message, a.context ? { context: [a.context] } : {});
    await s.rt.idle();

    const blocks = toolBlocks(s.rt.snapshot());
    const byPath = (name: string, path: string) => blocks.find((b) => b.name === name && JSON.parse(b.inputJson).path === path)!;
    expect(byPath('write_file', 'src/extra.ts').offPlan).toBe('src/extra.ts is not named by the approved plan (.agent/plans/add-a-greeting.md)');
    expect(byPath('write_file', 'src/greet.ts').offPlan).toBeUndefined();
    expect(byPath('read_file', 'src/other.ts').offPlan).toBeUndefined();
    expect(blocks.find((b) => b.name === 'propose_plan')!.offPlan).toBeUndefined();

    // The live event carries it, and it passes the protocol's schema (what the webview accepts).
    const results = events.filter((e) => e.name === 'tool/result').map((e) => e.data as { toolUseId: string; offPlan?: string });
    const flagged = results.filter((r) => r.offPlan);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.toolUseId).toBe(byPath('write_file', 'src/extra.ts').id);
    expect(eventSchemas['tool/result'].safeParse(flagged[0]).success).toBe(true);

    // A reopened session shows the flag again (it is in the transcript's tool result).
    s.rt.close();
    const again = planSession(h, 'accept-edits', { sessionId: s.sessionId });
    const reopened = toolBlocks(again.rt.snapshot());
    expect(reopened.filter((b) => b.offPlan).map((b) => JSON.parse(b.inputJson).path)).toEqual(['src/extra.ts']);
    again.rt.close();
  });

  it('without an approved plan nothing is flagged', async () => {
    h = await harness({ scenario: [{ content: [write('src/extra.ts', 'export const x = 2;\n')] }, { text: 'ok' }] });
    workspace(h);
    const s = planSession(h, 'accept-edits');
    s.rt.submit('write it');
    await s.rt.idle();
    const w = toolBlocks(s.rt.snapshot()).find((b) => b.name === 'write_file')!;
    expect(w.status).toBe('done');
    expect(w.offPlan).toBeUndefined();
    s.rt.close();
  });
});
