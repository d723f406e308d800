/// <reference types="mocha" />
// A waiting plan's file edited in a real VS Code editor and saved (issue 13): the host's file watcher re-reads it
// and the pending plan decision (what the panel's card shows) carries the file's steps, with the same id and nonce.
// The plan is proposed through the emulator; the test sends it back with "Keep planning" and restores the mode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cairnTestApi, waitFor, withTimeout } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';
import type { PendingDecision } from '../../../extension/protocol/model';

type PlanDecision = Extract<PendingDecision, { kind: 'plan' }>;

describe('the plan card follows its file edited in an editor', function () {
  this.timeout(90_000);
  let testApi: NonNullable<CairnApi['test']>;
  let emulatorUrl: string;
  let root: string;
  let modeBefore: Parameters<NonNullable<CairnApi['test']>['setMode']>[0] | undefined;
  let planFile: string | undefined;
  const tag = Date.now().toString(36);
  const title = `Plan watcher check ${tag}`;

  async function emulator(route: string, body?: unknown): Promise<void> {
    const res = await fetch(`${emulatorUrl}/_emulator/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, `${route}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  const card = () => (testApi.snapshot().pendingDecisions ?? []).find((d): d is PlanDecision => d.kind === 'plan' && d.request.title === title);

  before(async function () {
    testApi = await cairnTestApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file' && vscode.workspace.isTrusted, 'the test run needs a trusted file workspace folder');
    root = folder.fsPath;
    emulatorUrl = (vscode.workspace.getConfiguration('cairn').inspect<string>('baseUrl')?.globalValue ?? '').replace(/\/+$/, '');
    assert.match(emulatorUrl, /^https?:\/\/127\.0\.0\.1:\d+$/, 'the runner should write the emulator URL to the user setting cairn.baseUrl');
    modeBefore = testApi.snapshot().mode;
    await emulator('reset', {});
  });

  after(async function () {
    const c = card();
    if (c) {
      testApi.answer(c.request.id, { kind: 'plan', nonce: c.request.nonce, choice: 'keep-planning', feedback: 'That is all for this test.' });
      await withTimeout('idle() after Keep planning', testApi.idle(), 30_000).catch(() => undefined);
    }
    if (modeBefore) testApi.setMode(modeBefore);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (planFile) fs.rmSync(planFile, { force: true });
    await emulator('reset', {}).catch(() => undefined);
  });

  it('a step reworded in the editor and saved reaches the pending plan with the same id and nonce', async function () {
    await emulator('enqueue', { items: [
      { content: [{ type: 'tool_use', name: 'propose_plan', input: { title, summary: 'A plan to check the watcher.', steps: [{ text: 'Read the README', files: ['README.md'] }, { text: 'Run the tests', files: [] }], risks: ['None'], verification: 'npm test' } }] },
      { text: 'Understood; I will keep planning.' },
    ] });
    testApi.send(`propose a plan (${tag})`);
    await withTimeout('idle()', testApi.idle(), 60_000);
    const first = await waitFor('the plan card', () => card(), 30_000);
    assert.deepEqual(first.request.steps.map((s) => s.text), ['Read the README', 'Run the tests']);
    planFile = path.join(root, first.request.path);
    assert.ok(fs.existsSync(planFile), `the plan file ${first.request.path} was not written`);

    // The user's path: the file open in an editor, a step reworded, saved.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(planFile));
    await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('Run the tests');
    assert.ok(at >= 0, `the plan file has no "Run the tests" step:\n${doc.getText()}`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'Run the tests'.length)), 'Run the tests and the linter');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    assert.ok(await doc.save(), 'the plan file was not saved');

    const updated = await waitFor('the pending plan to carry the saved step', () => {
      const c = card();
      return c?.request.steps.some((s) => s.text === 'Run the tests and the linter') ? c : undefined;
    }, 20_000);
    assert.deepEqual(updated.request.steps.map((s) => s.text), ['Read the README', 'Run the tests and the linter']);
    assert.equal(updated.request.id, first.request.id);
    assert.equal(updated.request.nonce, first.request.nonce);
  });
});
