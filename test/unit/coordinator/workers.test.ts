// Workers as real processes: the runner bundle started with --worker, each in its own git worktree (or a copy),
// connected over the coordinator's WebSocket, model turns from the emulator through the real SDK.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSavedStatuses, WorkerPool, type WorkerStatus } from '../../../extension/core/coordinator/pool';
import { startEmulator, type Emulator } from '../../emulator';
import { cliBundle } from '../helpers/cli';
import { gitIn, makeRepo, use, workerRules, writeFiles } from './helpers';

let cli: string;
let bundleDir: string;
beforeAll(async () => { bundleDir = mkdtempSync(join(tmpdir(), 'cairn-coord-cli-')); cli = await cliBundle(bundleDir); }, 120_000);
afterAll(() => { rmSync(bundleDir, { recursive: true, force: true }); });

let dir: string;
let emu: Emulator | undefined;
let pool: WorkerPool | undefined;
const kept: string[] = [];
afterEach(async () => {
  await pool?.dispose();
  pool = undefined;
  await emu?.close();
  emu = undefined;
  for (const k of kept.splice(0)) rmSync(k, { recursive: true, force: true });
  if (existsSync(join(dir, '.git'))) gitIn(dir, 'worktree', 'prune');
  rmSync(dir, { recursive: true, force: true });
});

function newPool(): WorkerPool {
  pool = new WorkerPool({
    workspaceRoot: dir, resultsDir: join(dir, '.agent', 'sessions', 's1', 'workers'),
    command: { execPath: process.execPath, script: cli },
    mode: () => 'accept-edits', model: () => 'claude-sonnet-5-5',
    credentials: () => ({ apiKey: 'test-key', baseURL: emu!.url }),
    env: { PATH: process.env.PATH ?? '', HOME: dir, CAIRN_USER_SETTINGS: join(dir, 'no-user-settings.json') },
  });
  return pool;
}

/** read shared.txt, replace it with `text`, report. */
const editShared = (marker: string, text: string) => workerRules(marker, [
  { content: [use('read_file', { path: 'shared.txt' })] },
  { content: [use('write_file', { path: 'shared.txt', content: text })] },
  { text: `Report ${marker}: shared.txt now says ${text.trim()}.` },
]);

describe('workers', () => {
  it('two workers editing the same file work in separate worktrees and end in two separate diffs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-'));
    makeRepo(dir, { 'shared.txt': 'original\n', 'other.txt': 'x\n' });
    emu = await startEmulator({ rules: [...editShared('TASK-A', 'from A\n'), ...editShared('TASK-B', 'from B\n')] });
    const p = newPool();
    const a = await p.start('Edit A', 'TASK-A: change shared.txt');
    const b = await p.start('Edit B', 'TASK-B: change shared.txt');
    expect(a.isolation).toBe('worktree');
    expect(a.worktree).not.toBe(b.worktree);
    const done = await p.wait(undefined, 90_000);
    expect(done.map((s) => [s.workerId, s.state])).toEqual([[a.workerId, 'done'], [b.workerId, 'done']]);
    const [ra, rb] = done as [WorkerStatus, WorkerStatus];
    expect(ra.report).toBe('Report TASK-A: shared.txt now says from A.');
    expect(ra.files).toEqual([{ path: 'shared.txt', status: 'modified', additions: 1, deletions: 1, binary: false }]);
    expect(rb.files).toEqual([{ path: 'shared.txt', status: 'modified', additions: 1, deletions: 1, binary: false }]);
    const da = readFileSync(join(dir, ra.diffPath!), 'utf8');
    const db = readFileSync(join(dir, rb.diffPath!), 'utf8');
    expect(da).toContain('-original\n+from A\n');
    expect(da).not.toContain('from B');
    expect(db).toContain('-original\n+from B\n');
    expect(db).not.toContain('from A');
    // Their sessions (.agent/) are not part of the diffs; the workspace itself is untouched.
    expect(da).not.toContain('.agent/');
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe('original\n');
    expect(ra.toolCount).toBe(2);
    expect(ra.usage.outputTokens).toBeGreaterThan(0);
    expect(existsSync(ra.transcript!)).toBe(true);
    // Each diff applies to the workspace as it was.
    gitIn(dir, 'apply', '--check', join(dir, ra.diffPath!));
  }, 120_000);

  it('a worker killed mid-task is reported as crashed, its worktree kept and its work so far in its diff', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-'));
    makeRepo(dir, { 'shared.txt': 'original\n' });
    emu = await startEmulator({
      rules: workerRules('TASK-K', [
        { content: [use('write_file', { path: 'partial.txt', content: 'half done\n' })] },
        // The second request stalls: the worker is mid-task when it is killed.
        { fault: { kind: 'stall', ms: 25_000 } },
      ]),
    });
    const p = newPool();
    const seen: WorkerStatus[] = [];
    p.subscribe((s) => seen.push(s));
    const k = await p.start('Half a job', 'TASK-K: write partial.txt');
    await expect.poll(() => seen.some((s) => s.toolCount === 1), { timeout: 60_000, interval: 50 }).toBe(true);
    await expect.poll(() => emu!.requests.length, { timeout: 30_000, interval: 50 }).toBe(2);
    process.kill(p.pid(k.workerId)!, 'SIGKILL');
    const [r] = await p.wait([k.workerId], 60_000);
    expect(r!.state).toBe('crashed');
    expect(r!.error).toMatch(/killed \(SIGKILL\)/);
    expect(existsSync(join(r!.worktree, 'partial.txt'))).toBe(true);
    expect(r!.files).toEqual([{ path: 'partial.txt', status: 'added', additions: 1, deletions: 0, binary: false }]);
    expect(readFileSync(join(dir, r!.diffPath!), 'utf8')).toContain('+half done\n');
    // Its last status is saved beside the diff, so a reopened session shows the card; torn or foreign files are skipped.
    const results = join(dir, '.agent', 'sessions', 's1', 'workers');
    writeFileSync(join(results, 'torn.json'), '{"workerId":"torn",');
    writeFileSync(join(results, 'other.json'), JSON.stringify({ ...r!, workerId: 'not-other' }));
    writeFileSync(join(results, 'busy.json'), JSON.stringify({ ...r!, workerId: 'busy', state: 'running' }));
    expect(readSavedStatuses(results)).toEqual([expect.objectContaining({ workerId: k.workerId, state: 'crashed', diffPath: r!.diffPath, files: r!.files, description: 'Half a job' })]);
    expect(readSavedStatuses(join(dir, 'no-such-folder'))).toEqual([]);
    // A crashed worker takes no more messages, and its folder survives the coordinator's end.
    expect(() => p.message(k.workerId, 'go on')).toThrow(/is crashed: it takes no more messages/);
    await p.dispose();
    pool = undefined;
    expect(existsSync(join(r!.worktree, 'partial.txt'))).toBe(true);
    kept.push(r!.worktree);
  }, 120_000);

  it('a worker stopped mid-task is reported as stopped, with what it did so far in its diff', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-'));
    makeRepo(dir, { 'shared.txt': 'original\n' });
    emu = await startEmulator({
      rules: workerRules('TASK-S', [
        { content: [use('write_file', { path: 'started.txt', content: 'begun\n' })] },
        { fault: { kind: 'stall', ms: 25_000 } },
      ]),
    });
    const p = newPool();
    const s = await p.start('Stoppable', 'TASK-S: start something');
    await expect.poll(() => emu!.requests.length, { timeout: 60_000, interval: 50 }).toBe(2);
    const r = await p.stop(s.workerId);
    expect(r.state).toBe('stopped');
    expect(r.files).toEqual([{ path: 'started.txt', status: 'added', additions: 1, deletions: 0, binary: false }]);
    expect(() => p.message(s.workerId, 'more')).toThrow(/is stopped/);
  }, 120_000);

  it('a folder that is not a git repository is copied; a follow-up message continues the finished worker', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-'));
    writeFiles(dir, { 'notes/a.md': 'alpha\n', 'node_modules/big/index.js': 'skip me\n' });
    emu = await startEmulator({
      rules: [
        // The follow-up arrives as the next user message of the same conversation.
        { match: { lastUserText: 'also write c' }, reply: { content: [use('write_file', { path: 'notes/c.md', content: 'gamma\n' })] } },
        { match: { when: (b) => JSON.stringify(b.messages).includes('also write c') && JSON.stringify((b.messages as unknown[]).at(-1)).includes('tool_result') }, reply: { text: 'wrote c too' } },
        ...workerRules('TASK-C', [{ content: [use('write_file', { path: 'notes/b.md', content: 'beta\n' })] }, { text: 'wrote b' }]),
      ],
    });
    const p = newPool();
    const c = await p.start('Notes', 'TASK-C: add notes/b.md');
    expect(c.isolation).toBe('copy');
    expect(existsSync(join(c.worktree, 'notes/a.md'))).toBe(true);
    expect(existsSync(join(c.worktree, 'node_modules'))).toBe(false);
    const [first] = await p.wait([c.workerId], 90_000);
    expect(first).toMatchObject({ state: 'done', report: 'wrote b', files: [{ path: 'notes/b.md', status: 'added' }] });
    p.message(c.workerId, 'also write c');
    expect(p.get(c.workerId)!.state).toBe('running');
    const [second] = await p.wait([c.workerId], 90_000);
    expect(second).toMatchObject({ state: 'done', report: 'wrote c too' });
    expect(second!.files!.map((f) => f.path)).toEqual(['notes/b.md', 'notes/c.md']);
    expect(existsSync(join(dir, 'notes/b.md'))).toBe(false);
  }, 120_000);
});
