// The headless runner and plans: --permission-mode plan writes the plan and exits printing its path (nothing else
// changes, whatever the model tries); --plan FILE executes it; bad plan files and flags are refused clearly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../../extension/cli/args';
import { parsePlan } from '../../../extension/core/planner/format';
import { startEmulator, type Emulator } from '../../emulator';
import { PLAN, propose, run, step, write } from './helpers';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
let emu: Emulator | undefined;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cairn-plan-cli-')); mkdirSync(join(dir, 'src')); writeFileSync(join(dir, 'src/main.ts'), 'x\n'); });
afterEach(async () => { await emu?.close(); emu = undefined; rmSync(dir, { recursive: true, force: true }); });

function cli(args: string[], url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: url, CAIRN_USER_SETTINGS: join(dir, 'none.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli.ts'), '--cwd', dir, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('runner and plans', () => {
  it('parses --plan and refuses it with plan mode, with --resume, or empty', () => {
    expect(parseCli(['--cwd', dir, '--plan', '.agent/plans/a.md'], dir)).toMatchObject({ kind: 'run', options: { planFile: '.agent/plans/a.md' } });
    expect(parseCli(['--cwd', dir, '--plan', 'a.md', '--permission-mode', 'plan'], dir)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/--plan executes a plan, which plan mode cannot do/) });
    expect(parseCli(['--cwd', dir, '--plan', 'a.md', '--resume', 'x'], dir)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/leave out --resume/) });
    expect(parseCli(['--cwd', dir, '--plan', ' '], dir)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/--plan needs the plan file/) });
  });

  it('--permission-mode plan (with auto-like allow rules absent): writes the plan, prints its path, changes nothing else; --plan FILE then executes it', async () => {
    emu = await startEmulator({ scenario: [
      { content: [propose(), write('src/main.ts', 'pwned\n'), run('touch made')] },
      { content: [step(1, 'in_progress'), write('src/greet.ts', 'export const greet = 1;\n'), step(1, 'done')] },
      { text: 'done' },
    ] });
    const planned = await cli(['--permission-mode', 'plan', '-p', 'add a greeting'], emu.url);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout.trim().split('\n').at(-1)).toBe('.agent/plans/add-a-greeting.md');
    expect(planned.stderr).toContain('run it with --plan .agent/plans/add-a-greeting.md');
    expect(readFileSync(join(dir, 'src/main.ts'), 'utf8')).toBe('x\n');
    expect(existsSync(join(dir, 'made'))).toBe(false);
    expect(emu.requests.length).toBe(1);
    const file = join(dir, '.agent/plans/add-a-greeting.md');
    expect(parsePlan(readFileSync(file, 'utf8'))).toMatchObject({ status: 'open', title: PLAN.title });

    const ran = await cli(['--permission-mode', 'accept-edits', '--plan', '.agent/plans/add-a-greeting.md'], emu.url);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('executing the plan .agent/plans/add-a-greeting.md (3 steps) in accept-edits mode');
    expect(JSON.stringify((emu.requests[1]!.body as { messages: unknown }).messages)).toContain('Write greet in src/greet.ts');
    expect(readFileSync(join(dir, 'src/greet.ts'), 'utf8')).toBe('export const greet = 1;\n');
    const after = parsePlan(readFileSync(file, 'utf8'));
    expect(after).toMatchObject({ status: 'approved', mode: 'accept-edits' });
    expect(after.steps[0]!.state).toBe('done');
  }, 60_000);

  it('--plan refuses a file outside .agent/plans, a malformed plan and a finished one, saying what to do', async () => {
    emu = await startEmulator({ scenario: [] });
    const outside = await cli(['--plan', 'src/main.ts'], emu.url);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/src\/main\.ts is not a plan file: plans are \.md files directly inside \.agent\/plans\//);
    mkdirSync(join(dir, '.agent/plans'), { recursive: true });
    writeFileSync(join(dir, '.agent/plans/bad.md'), '---\ntitle: x\nstatus: open\n---\n\n## Steps\n\nnot a step\n');
    const bad = await cli(['--plan', '.agent/plans/bad.md'], emu.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.md: "not a step" is not a step/);
    writeFileSync(join(dir, '.agent/plans/old.md'), '---\ntitle: x\nstatus: done\nmode: ask\ncreated: x\n---\n\n## Steps\n\n- [x] a\n');
    const done = await cli(['--plan', '.agent/plans/old.md'], emu.url);
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/old\.md is done; set its status to open or approved to run it again/);
    expect(emu.requests.length).toBe(0);
  }, 60_000);
});
