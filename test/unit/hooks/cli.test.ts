// The headless runner with hooks: the project's hooks run only with --allow-project-hooks.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
let emu: Emulator;
beforeEach(async () => { dir = mkdtempSync(join(tmpdir(), 'cairn-hooks-cli-')); mkdirSync(join(dir, '.agent')); emu = await startEmulator({}); });
afterEach(async () => { await emu.close(); rmSync(dir, { recursive: true, force: true }); });

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: emu.url, CAIRN_USER_SETTINGS: join(dir, 'none.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli.ts'), '--cwd', dir, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('cairn headless with project hooks', () => {
  it('never runs them without --allow-project-hooks; runs SessionStart, UserPromptSubmit and Stop with it', async () => {
    const log = join(dir, 'hook-log.txt');
    const cmd = (tag: string) => `${JSON.stringify(process.execPath)} -e ${JSON.stringify(`require('fs').appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(tag)} + ' ')`)}`;
    writeFileSync(join(dir, '.agent', 'settings.json'), JSON.stringify({ hooks: { SessionStart: [{ command: cmd('start') }], UserPromptSubmit: [{ command: cmd('prompt') }], Stop: [{ command: cmd('stop') }] } }));
    emu.enqueue({ text: 'one' });
    const a = await cli(['-p', 'hello']);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('hooks: SessionStart hook');
    expect(a.stderr).toContain('not run: a project hook that you have not approved');
    expect(existsSync(log)).toBe(false);
    emu.enqueue({ text: 'two' });
    const b = await cli(['--allow-project-hooks', '-p', 'hello']);
    expect(b.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('start prompt stop ');
  });
});
