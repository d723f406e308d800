import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordChange, writeFilesSnapshot, writeManifest } from '../../../extension/core/scheduler/dream/snapshot';
import { appendNotice, noticeKey, type Notice } from '../../../extension/core/scheduler/proactive/state';
import { dismissNotice, dreamInfoById, lastDreamInfo, noticeFeed, noticeInfo, readDismissed } from '../../../extension/host/background/feed';
import { backgroundEventSchemas, backgroundRequestSchemas } from '../../../extension/protocol/background';

let root: string;
let agentDir: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'cairn-feed-')); agentDir = join(root, '.agent'); });
afterEach(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.parse('2026-12-02T10:00:00Z');
const notice = (id: string, title: string, ts: number, fix?: string): Notice => ({
  id, ts, title, whyNow: 'tests passed at the last check', lookedAt: ['npm test output'], urgency: 'urgent', key: noticeKey(title, fix), ...(fix ? { suggestedFix: fix } : {}),
});

describe('the notices feed the panel shows', () => {
  it('newest first, one per key (the newest), valid protocol data, the fix prompt not sent', () => {
    appendNotice(agentDir, notice('a', '2 tests fail in test/math.test.js', T0, 'Fix test/math.test.js'));
    appendNotice(agentDir, notice('b', 'The build fails', T0 + 1_000));
    appendNotice(agentDir, notice('c', '3 tests fail in test/math.test.js', T0 + 2_000, 'Fix test/math.test.js')); // same key as a: digits normalised
    const feed = noticeFeed(agentDir);
    expect(feed.map((n) => n.id)).toEqual(['c', 'b']);
    expect(feed[0]).toMatchObject({ title: '3 tests fail in test/math.test.js', whyNow: 'tests passed at the last check', lookedAt: ['npm test output'], hasFix: true });
    expect(feed[1]!.hasFix).toBe(false);
    expect(JSON.stringify(feed)).not.toContain('Fix test/math.test.js');
    for (const n of feed) expect(backgroundEventSchemas['proactive/notice'].safeParse(n).success).toBe(true);
  });

  it('a dismissed notice stays out of the feed (and does not bring back the older duplicate); an unknown id is refused', () => {
    appendNotice(agentDir, notice('a', 'Lint fails', T0));
    appendNotice(agentDir, notice('b', 'Lint fails', T0 + 1));
    appendNotice(agentDir, notice('x', 'Build fails', T0 + 2));
    expect(dismissNotice(agentDir, 'b')).toBe(true);
    expect(noticeFeed(agentDir).map((n) => n.id)).toEqual(['x']);
    expect(dismissNotice(agentDir, 'nope')).toBe(false);
    expect([...readDismissed(agentDir)]).toEqual(['b']);
  });

  it('long fields are capped to what the protocol accepts', () => {
    const n = noticeInfo({ ...notice('a', 'x'.repeat(500), T0), whyNow: 'y'.repeat(5_000), lookedAt: Array.from({ length: 50 }, () => 'z'.repeat(400)) });
    expect(backgroundEventSchemas['proactive/notice'].safeParse(n).success).toBe(true);
    expect(n.title.length).toBe(200);
    expect(n.lookedAt).toHaveLength(30);
  });
});

describe('a dream as the memory view shows it', () => {
  it('its changes with reasons, the per-file diff and the proposals; the newest ended dream is the last', () => {
    expect(lastDreamInfo(agentDir)).toBeNull();
    const id = '2026-12-02-aaaa0001';
    writeFilesSnapshot(agentDir, id, 'before', { 'MEMORY.md': 'i1\n', 'memory/a.md': 'A\n', 'memory/b.md': 'B\n' });
    writeFilesSnapshot(agentDir, id, 'after', { 'MEMORY.md': 'i2\n', 'memory/a.md': 'A\nB\n' });
    recordChange(agentDir, id, { ts: T0, op: 'update', slug: 'a', why: 'merged b' });
    recordChange(agentDir, id, { ts: T0 + 1, op: 'delete', slug: 'b', why: 'duplicate of a' });
    writeManifest(agentDir, { id, startedAt: T0, endedAt: T0 + 5, status: 'done', costUsd: 0.01, proposals: [{ slug: 'u', why: 'contradicted', state: 'proposed' }] });
    // A dream still running is not "the last dream" the view offers to undo.
    writeManifest(agentDir, { id: '2026-12-02-bbbb0002', startedAt: T0 + 10, status: 'running', proposals: [] });
    const d = lastDreamInfo(agentDir)!;
    expect(d.id).toBe(id);
    expect(d.changes.map((c) => `${c.op} ${c.slug}: ${c.why}`)).toEqual(['update a: merged b', 'delete b: duplicate of a']);
    expect(d.diff.map((f) => `${f.path} ${f.status}`)).toEqual(['MEMORY.md changed', 'memory/a.md changed', 'memory/b.md removed']);
    expect(d.diff[2]).toEqual({ path: 'memory/b.md', status: 'removed', before: 'B\n' });
    expect(d.proposals).toEqual([{ slug: 'u', why: 'contradicted', state: 'proposed' }]);
    expect(backgroundEventSchemas['dream/changed'].safeParse({ dream: d }).success).toBe(true);
    expect(backgroundRequestSchemas['dream/now'].result.safeParse({ status: 'done', dream: d }).success).toBe(true);
    expect(dreamInfoById(agentDir, 'none-such')).toBeNull();
  });

  it('a rolled-back dream has no diff but says why', () => {
    const id = '2026-12-02-cccc0003';
    writeFilesSnapshot(agentDir, id, 'before', { 'memory/a.md': 'A\n' });
    writeManifest(agentDir, { id, startedAt: T0, status: 'rolled_back', note: 'the dream stopped (aborted); memory was restored', proposals: [] });
    expect(lastDreamInfo(agentDir)).toMatchObject({ id, status: 'rolled_back', diff: [], note: 'the dream stopped (aborted); memory was restored' });
  });
});
