import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { cliBundle } from '../helpers/cli';
import { readMemoryFiles } from '../../../extension/core/scheduler/dream/snapshot';
import { bgWs, fakeSession, seedMemory, type BgWs } from './fixtures';

let ws: BgWs;
let emu: Emulator;
let tmp: string;
beforeEach(async () => { ws = bgWs(); emu = await startEmulator({ port: 0 }); tmp = mkdtempSync(join(tmpdir(), 'cairn-daemon-')); });
afterEach(async () => { await emu.close(); ws.cleanup(); rmSync(tmp, { recursive: true, force: true }); });

it('cairn --daemon dreams without a window once its gates open, prints JSON lines, and stops on SIGTERM', async () => {
  seedMemory(ws.agentDir, [{ slug: 'build-cmd', body: 'npm run build' }, { slug: 'build-command', body: 'Build: npm run build' }]);
  // Five sessions, the first begun two days ago (before the first dream the time gate counts from there).
  for (let i = 0; i < 5; i++) fakeSession(ws.agentDir, `s${i}`, 'hello', Date.now() - 48 * 3_600_000 + i);
  emu.enqueue(
    { content: [{ type: 'tool_use', name: 'dream_delete', input: { slug: 'build-cmd', why: 'duplicate of build-command' } }] },
    { text: 'Merged one duplicate.' },
  );
  const cli = await cliBundle(tmp);
  const child = spawn(process.execPath, [cli, '--daemon', '--cwd', ws.root, '--model', 'claude-haiku-4-5'], {
    env: { PATH: process.env.PATH ?? '', HOME: tmp, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: emu.url }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += String(d); });
  const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no dream result; stdout: ${out} stderr: ${err}`)), 30_000);
    child.stdout.on('data', (d) => { out += String(d); if (out.includes('"type":"dream"')) { clearTimeout(t); resolve(); } });
  });
  child.kill('SIGTERM');
  expect(await closed).toBe(0);
  const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines[0]).toMatchObject({ type: 'daemon', status: 'started', proactive: false });
  expect(lines.find((l) => l.type === 'dream')).toMatchObject({ status: 'done', changes: [expect.objectContaining({ op: 'delete', slug: 'build-cmd', why: 'duplicate of build-command' })] });
  expect(lines.at(-1)).toMatchObject({ type: 'daemon', status: 'stopped' });
  expect(Object.keys(readMemoryFiles(ws.agentDir))).toEqual(['MEMORY.md', 'memory/build-command.md']);
}, 90_000);
