// The loop with the real built-in tools and permission engine: approvals, diff review, checkpoints.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { ApprovalPort, DiffReviewPort } from '../../../extension/core/ports';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import { harness, type Harness } from './harness';
import { undoDoneText, undoQuestion } from '../../../extension/protocol/undo';

let h: Harness;
afterEach(async () => { await h?.close(); });

function setup(hh: Harness, mode: 'ask' | 'accept-edits', ports: { approval?: ApprovalPort; diffReview?: DiffReviewPort }) {
  mkdirSync(join(hh.dir, 'src'), { recursive: true });
  writeFileSync(join(hh.dir, 'src', 'a.txt'), 'alpha\nbeta\ngamma\n');
  return hh.runtime({
    tools: createRegistry(builtinTools()),
    permissions: createPermissionEngine({ workspaceRoot: hh.dir, trusted: true, mode }),
    ports: { workspaceTrusted: true, ...ports },
  });
}

const editTurns = [
  { content: [{ type: 'tool_use' as const, name: 'read_file', input: { path: 'src/a.txt' } }] },
  { content: [{ type: 'tool_use' as const, name: 'edit_file', input: { path: 'src/a.txt', edits: [{ old_text: 'beta', new_text: 'BETA' }] } }] },
  { text: 'edited' },
];

describe('edits through the loop', () => {
  it('in ask mode with a diff review, the review is the approval (no second prompt) and the file changes', async () => {
    h = await harness({ scenario: editTurns });
    const asked: string[] = [];
    const reviews: string[] = [];
    const rt = setup(h, 'ask', {
      approval: { ask: async (req) => { asked.push(req.tool); return { decision: 'approve', scope: 'once' }; } },
      diffReview: { review: async (_p, _before, after) => { reviews.push(after); return { text: after }; } },
    });
    rt.submit('change beta');
    expect(await rt.idle()).toBe('completed');
    expect(asked).toEqual([]);
    expect(reviews).toHaveLength(1);
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toBe('alpha\nBETA\ngamma\n');
  });

  it('in ask mode without a diff review, the edit waits for an approval and a rejection leaves the file alone', async () => {
    h = await harness({ scenario: editTurns });
    const asked: string[] = [];
    const rt = setup(h, 'ask', { approval: { ask: async (req) => { asked.push(req.tool); return { decision: 'reject', reason: 'not now' }; } } });
    rt.submit('change beta');
    expect(await rt.idle()).toBe('completed');
    expect(asked).toEqual(['edit_file']);
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toBe('alpha\nbeta\ngamma\n');
    expect(JSON.stringify(h.emu.requests.at(-1)!.body)).toContain('rejected this call: not now');
  });

  it('undo restores the files the last turn changed', async () => {
    h = await harness({ scenario: editTurns });
    const rt = setup(h, 'accept-edits', {});
    rt.submit('change beta');
    expect(await rt.idle()).toBe('completed');
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toContain('BETA');
    const report = await rt.undoLastTurn();
    expect(report?.restored).toEqual(['src/a.txt']);
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toBe('alpha\nbeta\ngamma\n');
    expect(await rt.undoLastTurn()).toBeUndefined();
  });

  it('undo names the turn it restores: the newest with edits, maybe not the last, and only the one confirmed', async () => {
    h = await harness({ scenario: [...editTurns, { text: 'nothing to change' }] });
    const rt = setup(h, 'accept-edits', {});
    rt.submit('change beta please\nand keep the rest');
    expect(await rt.idle()).toBe('completed');
    rt.submit('now just tell me about it');
    expect(await rt.idle()).toBe('completed');
    const preview = await rt.undoPreview();
    // The last turn changed nothing: the one before it is named, with its prompt's first line and its files.
    expect(preview).toMatchObject({ prompt: 'change beta please', turnsAgo: 1, files: ['src/a.txt'] });
    expect(undoQuestion(preview!)).toBe('Undo the edits of the turn before the last one (the last one changed no files) “change beta please”? Restores src/a.txt.');
    // A turn other than the confirmed one is never undone.
    await expect(rt.undoLastTurn(preview!.turn + 1)).rejects.toThrow(/changed since you confirmed/);
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toBe('alpha\nBETA\ngamma\n');
    const report = await rt.undoLastTurn(preview!.turn);
    expect(report).toMatchObject({ turn: preview!.turn, restored: ['src/a.txt'], turnsAgo: 1 });
    expect(readFileSync(join(h.dir, 'src', 'a.txt'), 'utf8')).toBe('alpha\nbeta\ngamma\n');
    expect(undoDoneText(report!)).toBe('Restored 1 file.');
    expect(await rt.undoPreview()).toBeUndefined();
  });
});
