// Reviewing a worker's change against the workspace as it is now: its hunks on top of the current text, a
// conflict left for the user (nothing written), new and deleted files; and a transcript rendered for reading.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerWorkspace, removeWorkerWorkspace, workerDiff, type WorkerWorkspace } from '../../../extension/core/coordinator/workspace';
import { proposeMerge } from '../../../extension/core/coordinator/merge';
import { renderTranscript } from '../../../extension/core/session/transcript-text';
import { makeRepo } from './helpers';

let dir: string;
let ws: WorkerWorkspace | undefined;
afterEach(async () => { if (ws) await removeWorkerWorkspace(dir, ws); ws = undefined; rmSync(dir, { recursive: true, force: true }); });

describe('proposeMerge', () => {
  it('applies the worker\'s hunks to a workspace that moved on, refuses a conflict, handles new and deleted files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-merge-'));
    const long = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    makeRepo(dir, { 'a.txt': long, 'b.txt': 'keep\nme\n', 'gone.txt': 'bye\n', 'clash.txt': 'one\ntwo\n' });
    ws = await createWorkerWorkspace(dir, 'w1');
    writeFileSync(join(ws.dir, 'a.txt'), long.replace('line 2\n', 'LINE TWO\n'));
    writeFileSync(join(ws.dir, 'new.txt'), 'fresh\n');
    unlinkSync(join(ws.dir, 'gone.txt'));
    writeFileSync(join(ws.dir, 'clash.txt'), 'one\nTWO by worker\n');
    const { files } = await workerDiff(ws);
    expect(files.map((f) => `${f.path}:${f.status}`)).toEqual(['a.txt:modified', 'clash.txt:modified', 'gone.txt:deleted', 'new.txt:added']);
    // Meanwhile the user changed the end of a.txt and the same line of clash.txt.
    writeFileSync(join(dir, 'a.txt'), long.replace('line 11\n', 'line eleven\n'));
    writeFileSync(join(dir, 'clash.txt'), 'one\ntwo by user\n');
    const by = (p: string) => files.find((f) => f.path === p)!;
    const a = await proposeMerge(dir, ws, by('a.txt'));
    expect(a).toMatchObject({ kind: 'change', before: readFileSync(join(dir, 'a.txt'), 'utf8') });
    expect(a.kind === 'change' && a.after).toBe(long.replace('line 2\n', 'LINE TWO\n').replace('line 11\n', 'line eleven\n'));
    expect(await proposeMerge(dir, ws, by('clash.txt'))).toMatchObject({ kind: 'skip', reason: expect.stringContaining('apply its diff by hand') });
    expect(await proposeMerge(dir, ws, by('new.txt'))).toMatchObject({ kind: 'change', before: '', after: 'fresh\n', deletes: false });
    expect(await proposeMerge(dir, ws, by('gone.txt'))).toMatchObject({ kind: 'change', before: 'bye\n', after: '', deletes: true });
    // Once the workspace has the worker's version, there is nothing to offer.
    writeFileSync(join(dir, 'new.txt'), 'fresh\n');
    expect(await proposeMerge(dir, ws, by('new.txt'))).toMatchObject({ kind: 'skip', reason: 'the workspace already has this change' });
  });
});

describe('renderTranscript', () => {
  it('shows the task, each tool call, its result and the answer; a bad line is named, not fatal', () => {
    const lines = [
      { t: 'meta', v: 1, id: 'a1', agent: 'explore', model: 'm' },
      { t: 'msg', role: 'user', content: [{ type: 'text', text: 'Find main' }] },
      { t: 'msg', role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 'grep', input: { pattern: 'main' } }] },
      { t: 'tool_result', toolUseId: 'x', status: 'done', content: 'src/main.ts:1' },
    ].map((l) => JSON.stringify(l));
    const text = renderTranscript([...lines, '{broken', JSON.stringify({ t: 'msg', role: 'assistant', content: [{ type: 'text', text: 'It is src/main.ts.' }] })].join('\n'));
    expect(text).toBe('# explore a1 · model m\n\n## Task / message\nFind main\n\n→ grep {"pattern":"main"}\n← done: src/main.ts:1\n\n[an unreadable line]\n## Answer\nIt is src/main.ts.\n');
  });
});
