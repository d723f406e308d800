import Anthropic from '@anthropic-ai/sdk';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecordFile, startEmulator, type Emulator } from './index';
import { client, filler, MODEL } from './helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-emu-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('recording', () => {
  let emu: Emulator;
  afterEach(async () => {
    await emu.close();
  });

  it('keeps every exchange in memory and appends it to the JSONL file', async () => {
    const file = join(dir, 'sub', 'record.jsonl');
    emu = await startEmulator({ recordFile: file });
    emu.enqueue({ text: 'streamed reply' });
    await client(emu).messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'one' }] }).finalMessage();
    emu.faults.push({ kind: 'rate_limit', retryAfter: 3 });
    await client(emu).messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'two' }] }).catch(() => undefined);
    await client(emu).messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'three' }] });

    const lines = parseRecordFile(readFileSync(file, 'utf8'));
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(JSON.parse(JSON.stringify(emu.requests)));
    const [s, e, c] = lines;
    expect(s).toMatchObject({ seq: 1, path: '/v1/messages', stream: true, status: 200, outcome: 'complete', source: 'queue' });
    expect((s!.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'one' }]);
    expect(s!.events!.map((x) => x.event)).toContain('content_block_delta');
    expect(s!.usage).toMatchObject({ output_tokens: 4, input_tokens: 1 + 3 + 4 });
    expect(e).toMatchObject({ status: 429, fault: { kind: 'rate_limit', retryAfter: 3 }, json: { type: 'error', error: { type: 'rate_limit_error' } } });
    expect(c).toMatchObject({ path: '/v1/messages/count_tokens', status: 200, json: { input_tokens: 9 } });

    emu.reset();
    expect(emu.requests).toHaveLength(0);
  });
});

describe('cli', () => {
  it('starts with a scenario on a free port, answers, records, and exits cleanly on SIGTERM', async () => {
    const scenario = join(dir, 'scenario.json');
    const record = join(dir, 'out.jsonl');
    writeFileSync(scenario, JSON.stringify([{ text: 'Hello from the script.' }, { fault: { kind: 'overloaded' } }]));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--scenario', scenario, '--port', '0', '--record', record, '--context-window', '500', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no URL line; stderr: ${err}`)), 15_000);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', () => reject(new Error(`cli exited early; stderr: ${err}`)));
      });
      const c = new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0 });
      const msg = await c.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
      expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the script.' }]);
      await expect(c.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.OverloadedError);
      const long = c.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: filler(600) }] });
      await expect(long).rejects.toThrow(/prompt is too long: 607 tokens > 500 maximum/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(parseRecordFile(readFileSync(record, 'utf8')).map((r) => r.status)).toEqual([200, 529, 400]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('control endpoints', () => {
  it('lets a test script turns and read the exchanges of a running emulator', async () => {
    const { startEmulator } = await import('./index');
    const emu = await startEmulator({ port: 0, control: true });
    try {
      const post = (path: string, body: unknown) => fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/_emulator/enqueue', { items: [{ text: 'scripted by control' }] })).status).toBe(200);
      const r = await fetch(`${emu.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }) });
      expect(JSON.stringify(await r.json())).toContain('scripted by control');
      const listed = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: Array<{ path: string }> };
      expect(listed.requests.map((x) => x.path)).toEqual(['/v1/messages']);
    } finally { await emu.close(); }
  });

  it('does not exist unless enabled', async () => {
    const { startEmulator } = await import('./index');
    const emu = await startEmulator({ port: 0 });
    try {
      const r = await fetch(`${emu.url}/_emulator/enqueue`, { method: 'POST', body: '{"items":[]}' });
      expect(r.status).toBe(404);
    } finally { await emu.close(); }
  });
});
