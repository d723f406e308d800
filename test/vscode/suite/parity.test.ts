/// <reference types="mocha" />
// One agent core for every front end: the chat panel (in this real extension host) and the headless runner
// (dist/cli.js, started from here against the same workspace and the same emulator) assemble their session the
// same way, so for the same first message they send byte-identical requests: tools, system prompt, prelude,
// messages and settings. The emulator records both request bodies; the test compares them.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cairnTestApi, waitFor } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';

interface Exchange { path: string; body: { model: string; max_tokens: number; system?: unknown; tools?: unknown; messages: Array<{ role: string; content: unknown }> } }

describe('the panel and the headless runner send the same request', function () {
  this.timeout(120_000);
  let testApi: NonNullable<CairnApi['test']>;
  let emulatorUrl: string;
  let root: string;
  // out/test/vscode/suite -> the repository (the extension under development), where dist/cli.js is built.
  const repo = path.resolve(__dirname, '..', '..', '..', '..');
  const cli = path.join(repo, 'dist', 'cli.js');

  async function emulator<T>(route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${emulatorUrl}/_emulator/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, `${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
  const requestsWith = async (marker: string) => (await emulator<{ requests: Exchange[] }>('requests')).requests
    .filter((r) => r.path === '/v1/messages' && JSON.stringify(r.body.messages).includes(marker));

  before(async function () {
    testApi = await cairnTestApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file', 'the test run needs a file workspace folder');
    root = folder.fsPath;
    emulatorUrl = (vscode.workspace.getConfiguration('cairn').inspect<string>('baseUrl')?.globalValue ?? '').replace(/\/+$/, '');
    assert.match(emulatorUrl, /^https?:\/\/127\.0\.0\.1:\d+$/, 'the runner should write the emulator URL to the user setting cairn.baseUrl');
    assert.ok(fs.existsSync(cli), `${cli} is missing (npm run build bundles it)`);
  });

  it('the same first message gives byte-identical request bodies', async function () {
    const marker = `parity-${Date.now().toString(36)}`;
    const prompt = `Say hello (${marker}).`;
    await emulator('enqueue', { items: [{ text: 'Hello from the panel.' }, { text: 'Hello from the runner.' }] });

    // 1. The panel: a fresh session, one message.
    await vscode.commands.executeCommand('cairn.newSession');
    await waitFor('an idle session', () => testApi.snapshot().turn === 'idle', 30_000);
    testApi.send(prompt);
    await testApi.idle();
    await waitFor('the panel request', async () => (await requestsWith(marker)).length === 1, 30_000);
    const config = vscode.workspace.getConfiguration('cairn');

    // 2. The runner: the same workspace, model and output limit, the same message.
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, '-p', prompt, '--cwd', root, '--model', config.get<string>('model') ?? '', '--max-output-tokens', String(config.get<number>('maxOutputTokens')), '--thinking', config.get<string>('thinking') ?? 'default'], {
        env: { ...process.env, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: emulatorUrl, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(res.code, 0, `the runner failed: ${res.stderr.slice(0, 2000)}`);

    const [panel, runner] = await requestsWith(marker);
    assert.ok(panel && runner, 'both requests were recorded');
    for (const key of ['model', 'max_tokens', 'system', 'tools', 'messages'] as const) {
      assert.equal(JSON.stringify(runner.body[key]), JSON.stringify(panel.body[key]), `"${key}" differs between the panel and the runner`);
    }
    assert.equal(JSON.stringify(runner.body), JSON.stringify(panel.body), 'the request bodies differ');
  });
});
