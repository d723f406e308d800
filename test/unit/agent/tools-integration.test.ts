// The loop with the real built-in tools and permission engine: approvals, diff review, checkpoints.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { ApprovalPort, DiffReviewPort } from '../../../extension/core/ports';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import { harness, type Harness } from './harness';

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
});
