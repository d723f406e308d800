/// <reference types="mocha" />
// Cairn inside a REAL VS Code extension host (code-server's remote Node host in `npm run test:e2e`, or a
// desktop VS Code via @vscode/test-electron in `npm run test:vscode`). The model is the local emulator,
// reached through the USER setting cairn.baseUrl that the runner writes.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { EXT_ID, textOf, waitFor, withTimeout } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';
import type { Snapshot } from '../../../extension/protocol/model';





describe('Cairn in the real extension host', function () {
  let ext: vscode.Extension<CairnApi>;
  let api: CairnApi;
  let testApi: NonNullable<CairnApi['test']>;

  before(async function () {
    console.log(`[cairn-test] vscode ${vscode.version} · ${vscode.env.appName} · uiKind=${vscode.UIKind[vscode.env.uiKind]} · remote=${vscode.env.remoteName ?? 'none'} · node ${process.version}`);
  });

  it('finds and activates the extension', async function () {
    const found = vscode.extensions.getExtension<CairnApi>(EXT_ID);
    assert.ok(found, `extension ${EXT_ID} is not installed in this extension host`);
    ext = found;
    api = await ext.activate();
    assert.ok(ext.isActive, 'extension is not active after activate()');
    assert.equal(api.version, ext.packageJSON.version);
    assert.ok(api.test, 'activate() returned no test API (is the extension running in Test mode?)');
    testApi = api.test;
  });

  it('registers every contributed command', async function () {
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    for (const id of ['cairn.openChatInEditor', 'cairn.newSession', 'cairn.setApiKey', 'cairn.clearApiKey', 'cairn.focusChat']) {
      assert.ok(contributed.includes(id), `package.json does not contribute ${id}`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('reads back the configuration defaults', function () {
    const declared = ext.packageJSON.contributes.configuration.properties;
    const modelDefault: string = declared['cairn.model'].default;
    assert.match(modelDefault, /^claude-/);
    assert.equal(declared['cairn.maxOutputTokens'].default, 8192);
    assert.equal(declared['cairn.baseUrl'].default, '');
    const c = vscode.workspace.getConfiguration('cairn');
    assert.equal(c.inspect('model')?.defaultValue, modelDefault);
    assert.equal(c.inspect('maxOutputTokens')?.defaultValue, 8192);
    assert.equal(c.inspect('baseUrl')?.defaultValue, '');
    // The runner's profile sets neither, so the effective values are the defaults.
    assert.equal(c.get('model'), modelDefault);
    assert.equal(c.get('maxOutputTokens'), 8192);
    assert.equal(testApi.snapshot().model, modelDefault);
  });

  describe('cairn.baseUrl is application-scoped', function () {
    const evil = 'http://127.0.0.1:9/not-the-user-endpoint';
    let settingsUri: vscode.Uri;
    let userUrl: string;

    before(function () {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the test run needs a workspace folder');
      settingsUri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    });

    after(async function () {
      await vscode.workspace.fs.delete(settingsUri).then(undefined, () => undefined);
      await waitFor('workspace settings to be dropped', () => vscode.workspace.getConfiguration('cairn').inspect('maxOutputTokens')?.workspaceValue === undefined, 10_000).catch(() => undefined);
    });

    it('is declared with application scope', function () {
      const props = ext.packageJSON.contributes.configuration.properties;
      assert.equal(props['cairn.baseUrl'].scope, 'application');
    });

    it('comes from user settings (the runner points it at the emulator)', function () {
      userUrl = vscode.workspace.getConfiguration('cairn').inspect<string>('baseUrl')?.globalValue ?? '';
      assert.match(userUrl, /^https?:\/\/127\.0\.0\.1:\d+/, 'the runner should write cairn.baseUrl (the emulator URL) to USER settings');
      assert.deepEqual(testApi.effectiveBaseUrl(), { baseUrl: userUrl, source: 'user' });
    });

    it('ignores a workspace-folder value', async function () {
      // .vscode/settings.json of the (single) folder. maxOutputTokens is window-scoped, so VS Code does
      // apply it there: seeing it proves the file was read before we look at baseUrl.
      await vscode.workspace.fs.writeFile(settingsUri, Buffer.from(JSON.stringify({ 'cairn.baseUrl': evil, 'cairn.maxOutputTokens': 4096 }, null, 2)));
      await waitFor('the workspace settings file to be loaded', () => vscode.workspace.getConfiguration('cairn').inspect('maxOutputTokens')?.workspaceValue === 4096, 15_000);
      const c = vscode.workspace.getConfiguration('cairn');
      const inspected = c.inspect<string>('baseUrl');
      console.log(`[cairn-test] baseUrl inspect: global=${inspected?.globalValue} workspace=${inspected?.workspaceValue} folder=${inspected?.workspaceFolderValue}`);
      assert.equal(c.get('baseUrl'), userUrl, 'VS Code applied a workspace value to an application-scoped setting');
      assert.deepEqual(testApi.effectiveBaseUrl(), { baseUrl: userUrl, source: 'user' }, 'the extension took its base URL from the workspace');
    });

    it('refuses to write it to workspace settings through the API', async function () {
      const c = vscode.workspace.getConfiguration('cairn');
      let error: unknown;
      try {
        await c.update('baseUrl', evil, vscode.ConfigurationTarget.Workspace);
      } catch (err) {
        error = err;
      }
      assert.ok(error, 'writing an application-scoped setting to the workspace should fail');
      assert.deepEqual(testApi.effectiveBaseUrl(), { baseUrl: userUrl, source: 'user' });
    });
  });

  describe('chat round trip through the webview host', function () {
    this.timeout(90_000);

    it('opens the chat view and its webview loads the snapshot', async function () {
      await vscode.commands.executeCommand('cairn.focusChat');
      await withTimeout('webviewReady()', testApi.webviewReady(), 45_000);
      const snap = testApi.snapshot();
      assert.equal(snap.auth.status, 'ready', `auth is ${JSON.stringify(snap.auth)} (the runner sets ANTHROPIC_API_KEY)`);
    });

    it('a message sent through the test API gets a streamed assistant reply from the emulator', async function () {
      const before = testApi.snapshot();
      const text = `ext-host round trip ${Date.now().toString(36)}`;
      const { messageId } = testApi.send(text);
      assert.ok(messageId);
      await withTimeout('idle()', testApi.idle(), 60_000);
      const snap: Snapshot = await waitFor('an assistant reply in the snapshot', () => {
        const s = testApi.snapshot();
        const last = s.messages.at(-1);
        return s.turn === 'idle' && last?.role === 'assistant' && last.status !== 'streaming' ? s : undefined;
      }, 30_000);
      const added = snap.messages.slice(before.messages.length);
      assert.equal(snap.lastError, null, `turn failed: ${JSON.stringify(snap.lastError)}`);
      const user = added.find((m) => m.role === 'user');
      assert.ok(user && textOf(user) === text, `the user message is not in the snapshot: ${JSON.stringify(added)}`);
      const reply = added.at(-1)!;
      assert.equal(reply.role, 'assistant');
      assert.equal(reply.status, 'complete');
      assert.ok(textOf(reply).includes(text), `the emulator echoes the message; got ${JSON.stringify(textOf(reply).slice(0, 300))}`);
      assert.ok(snap.usage.outputTokens > 0, 'usage was not counted');
      assert.ok(snap.seq > before.seq, 'no events were broadcast');
    });

    it('a change to cairn.baseUrl applies to the next request, without a reload', async function () {
      const c = () => vscode.workspace.getConfiguration('cairn');
      const original = c().inspect<string>('baseUrl')?.globalValue ?? '';
      // A second endpoint that only records that it was asked and refuses the key (not retried).
      const hits: string[] = [];
      const server = http.createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        req.resume();
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'second endpoint: key refused' } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const other = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        await c().update('baseUrl', other, vscode.ConfigurationTarget.Global);
        await waitFor('the new base URL to be in effect', () => testApi.effectiveBaseUrl().baseUrl === other, 10_000);
        testApi.send(`to the other endpoint ${Date.now().toString(36)}`);
        await withTimeout('idle()', testApi.idle(), 60_000);
        assert.ok(hits.some((h) => h.startsWith('POST') && h.includes('/v1/messages')), `the request did not go to the new endpoint: ${JSON.stringify(hits)}`);
        const err = await waitFor('the turn to report the refused key', () => testApi.snapshot().lastError ?? undefined, 20_000);
        assert.match(JSON.stringify(err), /auth|key/i, `unexpected error: ${JSON.stringify(err)}`);
      } finally {
        await c().update('baseUrl', original || undefined, vscode.ConfigurationTarget.Global);
        server.close();
      }
      await waitFor('the emulator URL back in effect', () => testApi.effectiveBaseUrl().baseUrl === original, 10_000);
      const text = `back on the emulator ${Date.now().toString(36)}`;
      testApi.send(text);
      await withTimeout('idle()', testApi.idle(), 60_000);
      const reply = await waitFor('a reply from the emulator again', () => {
        const last = testApi.snapshot().messages.at(-1);
        return last?.role === 'assistant' && last.status === 'complete' && textOf(last).includes(text) ? last : undefined;
      }, 30_000);
      assert.ok(reply);
    });

    it('cairn.newSession starts an empty session', async function () {
      const before = testApi.snapshot();
      const id = await vscode.commands.executeCommand<string>('cairn.newSession');
      const after = testApi.snapshot();
      assert.ok(id && id !== before.sessionId, 'no new session id');
      assert.equal(after.sessionId, id);
      assert.deepEqual(after.messages, []);
    });
  });
});
