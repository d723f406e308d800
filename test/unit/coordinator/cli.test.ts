// `cairn --coordinator`: the real runner process orchestrates two real worker processes (each in its own git
// worktree) against the emulator. The coordinator's model sees only orchestration and read-only tools; the
// workers' changes end as two diffs under the session, the workspace untouched.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { cliBundle, runCli } from '../helpers/cli';
import { builtinTools } from '../../../extension/core/tools';
import { parseCli } from '../../../extension/cli/args';
import { gitIn, isCoordinator, makeRepo, step, toolNames, use, workerRules, type Body } from './helpers';

let cli: string;
let bundleDir: string;
beforeAll(async () => { bundleDir = mkdtempSync(join(tmpdir(), 'cairn-coord-cli-')); cli = await cliBundle(bundleDir); }, 120_000);
afterAll(() => { rmSync(bundleDir, { recursive: true, force: true }); });

let dir: string;
let emu: Emulator | undefined;
afterEach(async () => { await emu?.close(); emu = undefined; rmSync(dir, { recursive: true, force: true }); });

const coordinatorTurn = (n: number, reply: Parameters<typeof workerRules>[1][number]) => ({ match: { when: (b: Body) => isCoordinator(b) && step(b) === n }, reply });

describe('cairn --coordinator', () => {
  it('checks its flags, saying what to do', () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-args-'));
    expect(parseCli(['--coordinator', '-p', 'x', '--max-workers', '0'], dir)).toMatchObject({ kind: 'usage', message: expect.stringContaining('--max-workers must be a whole number from 1 to 16') });
    expect(parseCli(['--coordinator', '-p', 'x', '--permission-mode', 'plan'], dir)).toMatchObject({ kind: 'usage', message: expect.stringContaining('choose --permission-mode ask, accept-edits or auto') });
    expect(parseCli(['--worker', '-p', 'x'], dir)).toMatchObject({ kind: 'usage', message: expect.stringContaining('--worker is started by a coordinator') });
    expect(parseCli(['--worker'], dir)).toMatchObject({ kind: 'run', options: { worker: true } });
    expect(parseCli(['--coordinator', '-p', 'x', '--max-workers', '2'], dir)).toMatchObject({ kind: 'run', options: { coordinator: true, maxWorkers: 2 } });
  });

  it('a worker started by hand (no connection on stdin) says so and exits', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-hand-'));
    const r = await runCli(cli, ['--cwd', dir, '--worker'], {}, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--worker reads its connection as one JSON line on stdin; it is started by a coordinator');
  });

  it('orchestrates two workers editing the same file into two diffs, with no tool that writes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-coord-run-'));
    makeRepo(dir, { 'shared.txt': 'original\n' });
    const edit = (marker: string, text: string) => workerRules(marker, [
      { content: [use('read_file', { path: 'shared.txt' })] },
      { content: [use('write_file', { path: 'shared.txt', content: text })] },
      { text: `done ${marker}` },
    ]);
    emu = await startEmulator({
      rules: [
        coordinatorTurn(0, { content: [
          use('start_worker', { description: 'Variant A', task: 'TASK-A: rewrite shared.txt' }),
          use('start_worker', { description: 'Variant B', task: 'TASK-B: rewrite shared.txt' }),
        ] }),
        coordinatorTurn(1, { content: [use('wait_workers', { timeout_seconds: 120 })] }),
        coordinatorTurn(2, { text: 'Both workers finished; their diffs are ready for review.' }),
        ...edit('TASK-A', 'variant A\n'), ...edit('TASK-B', 'variant B\n'),
      ],
    });
    const r = await runCli(cli, ['--cwd', dir, '--coordinator', '--output-format', 'stream-json', '-p', 'Try two variants of shared.txt'], {
      ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: emu.url, CAIRN_MODEL: 'claude-sonnet-5-5', CAIRN_USER_SETTINGS: join(dir, 'none.json'),
    }, 120_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // Started in parallel: order them by what they were asked.
    const workers = lines.filter((l) => l.type === 'worker').sort((a, b) => String(a.description).localeCompare(String(b.description)));
    expect(workers.map((w) => [w.description, w.state])).toEqual([['Variant A', 'done'], ['Variant B', 'done']]);
    const diffs = workers.map((w) => readFileSync(join(dir, w.diff as string), 'utf8'));
    expect(diffs[0]).toContain('+variant A\n');
    expect(diffs[0]).not.toContain('variant B');
    expect(diffs[1]).toContain('+variant B\n');
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe('original\n');
    const session = lines.find((l) => l.type === 'session')!.session as string;
    expect(workers[0]!.diff).toBe(`.agent/sessions/${session}/workers/${workers[0]!.workerId as string}.diff`);

    // What the coordinator's model was offered: orchestration and looking, nothing that writes or runs.
    const coord = emu.requests.filter((x) => isCoordinator(x.body as Body));
    expect(coord).toHaveLength(3);
    const names = toolNames(coord[0]!.body as Body);
    expect(names).toEqual(['editor_context', 'get_diagnostics', 'glob', 'grep', 'list_files', 'message_worker', 'read_file', 'start_worker', 'stop_worker', 'wait_workers',
      // Memory's read-only tools (contributed after the built-ins); its writing tools are left out.
      'memory_read', 'memory_view', 'transcript_read', 'transcript_search']);
    const writers = builtinTools().filter((t) => !t.readOnly).map((t) => t.name);
    expect(writers).toEqual(expect.arrayContaining(['edit_file', 'write_file', 'run_command']));
    for (const w of [...writers, 'agent', 'memory_write', 'memory_delete']) expect(names).not.toContain(w);
    // Byte-stable across its turns (the cache holds).
    expect(new Set(coord.map((x) => JSON.stringify((x.body as Body).tools))).size).toBe(1);
    // The workers had the usual tools, in their own worktrees.
    const worker = emu.requests.find((x) => !isCoordinator(x.body as Body))!;
    expect(toolNames(worker.body as Body)).toEqual(expect.arrayContaining(['edit_file', 'write_file', 'run_command']));
    // The wait's result carries both reports, framed as data.
    const waitResult = JSON.stringify((coord[2]!.body as Body).messages);
    expect(waitResult).toContain('All 2 finished.');
    expect(waitResult).toMatch(/<worker_report id=\\"w[12]-[0-9a-f]+\\">\\ndone TASK-A/);
    expect(waitResult).toMatch(/<worker_report id=\\"w[12]-[0-9a-f]+\\">\\ndone TASK-B/);
    // The worktrees of finished workers are removed at the end; git knows of none left.
    for (const w of workers) expect(existsSync(w.worktree as string ?? '/nonexistent')).toBe(false);
    expect(gitIn(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 180_000);
});
