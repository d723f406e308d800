/// <reference types="mocha" />
// The chat panel's host-side features (extension/host/panel) in the real extension host: the code action
// provider ("Fix with Cairn" as the preferred quick fix where an error or warning touches the range, "Explain
// with Cairn" / "Add to Cairn chat" on a selection, nothing on a clean empty range), and the commands the
// actions run, which start a chat turn whose prompt quotes the code, the path and the diagnostics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cairnTestApi, textOf, waitFor } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';

const FIX = 'cairn.fixWithCairn';
const EXPLAIN = 'cairn.explainWithCairn';
const ADD = 'cairn.addToChat';



async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'title' in a && typeof (a as vscode.CodeAction).command === 'object');
}
const cairnActions = (actions: vscode.CodeAction[]) => actions.filter((a) => [FIX, EXPLAIN, ADD].includes(a.command?.command ?? ''));
const byTitle = (actions: vscode.CodeAction[], title: string) => actions.find((a) => a.title === title);

describe('chat panel features (extension/host/panel)', function () {
  this.timeout(90_000);
  let testApi: NonNullable<CairnApi['test']>;
  let dir: string;
  let rel: string;
  let uri: vscode.Uri;
  let diagnostics: vscode.DiagnosticCollection;
  const source = [
    'export function area(w: number, h: number): number {', // line 0
    '  return w * h;',                                         // line 1 (clean)
    '}',                                                       // line 2
    'export const broken: number = compute();',               // line 3 (error)
    'export const odd = 1;',                                   // line 4 (warning)
    'export const note = 2;',                                  // line 5 (information only)
    '',
  ].join('\n');
  const ERROR = `Cannot find name 'compute' (panel suite ${Date.now().toString(36)}).`;
  const WARNING = "'odd' is declared but never read.";

  before(async function () {
    testApi = await cairnTestApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file', 'the test run needs a file workspace folder');
    dir = fs.mkdtempSync(path.join(folder.fsPath, 'cairn-panel-'));
    // Plain text: no language server adds diagnostics of its own, so the only ones are this suite's.
    const file = path.join(dir, 'area.txt');
    fs.writeFileSync(file, source);
    rel = path.relative(folder.fsPath, file).split(path.sep).join('/');
    uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // Diagnostics of our own collection: the provider sees them through the CodeActionContext exactly like a
    // language server's (and the commands through vscode.languages.getDiagnostics).
    diagnostics = vscode.languages.createDiagnosticCollection('cairn-panel-suite');
    const err = new vscode.Diagnostic(new vscode.Range(3, 30, 3, 37), ERROR, vscode.DiagnosticSeverity.Error);
    err.source = 'suite';
    err.code = 2304;
    const warn = new vscode.Diagnostic(new vscode.Range(4, 13, 4, 16), WARNING, vscode.DiagnosticSeverity.Warning);
    const info = new vscode.Diagnostic(new vscode.Range(5, 13, 5, 17), 'Just so you know.', vscode.DiagnosticSeverity.Information);
    diagnostics.set(uri, [err, warn, info]);
    await waitFor('the diagnostics to reach the language features', () => vscode.languages.getDiagnostics(uri).length >= 3, 10_000);
  });

  after(async function () {
    diagnostics?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers "Fix with Cairn" as the preferred quick fix on a range an error touches', async function () {
    const actions = cairnActions(await codeActions(uri, new vscode.Range(3, 32, 3, 32)));
    const fix = byTitle(actions, 'Fix with Cairn');
    assert.ok(fix, `no "Fix with Cairn": ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.isPreferred, true, 'Fix with Cairn should be the preferred fix');
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.equal(fix.command?.command, FIX);
    assert.deepEqual(fix.command?.arguments, [uri.toString(), [3, 32, 3, 32]]);
    // An empty range: no explain / add.
    assert.deepEqual(actions.map((a) => a.title), ['Fix with Cairn']);
  });

  it('offers "Fix with Cairn" for a warning too, but not for an information diagnostic', async function () {
    const onWarning = cairnActions(await codeActions(uri, new vscode.Range(4, 14, 4, 14)));
    assert.deepEqual(onWarning.map((a) => a.title), ['Fix with Cairn']);
    assert.equal(byTitle(onWarning, 'Fix with Cairn')?.isPreferred, true);
    const onInfo = cairnActions(await codeActions(uri, new vscode.Range(5, 14, 5, 14)));
    assert.deepEqual(onInfo.map((a) => a.title), [], 'an information diagnostic is not a problem to fix');
  });

  it('offers "Explain with Cairn" and "Add to Cairn chat" (not preferred) for a selection', async function () {
    const range = new vscode.Range(0, 0, 2, 1);
    const actions = cairnActions(await codeActions(uri, range));
    assert.deepEqual(actions.map((a) => a.title).sort(), ['Add to Cairn chat', 'Explain with Cairn']);
    const explain = byTitle(actions, 'Explain with Cairn');
    const add = byTitle(actions, 'Add to Cairn chat');
    assert.equal(explain?.command?.command, EXPLAIN);
    assert.equal(add?.command?.command, ADD);
    assert.deepEqual(explain?.command?.arguments, [uri.toString(), [0, 0, 2, 1]]);
    assert.ok(!explain?.isPreferred && !add?.isPreferred, 'only the fix is preferred');
  });

  it('offers all three on a selection that covers an error', async function () {
    const actions = cairnActions(await codeActions(uri, new vscode.Range(2, 0, 3, 40)));
    assert.deepEqual(actions.map((a) => a.title), ['Fix with Cairn', 'Explain with Cairn', 'Add to Cairn chat']);
  });

  it('offers nothing on a clean range without a selection', async function () {
    const actions = cairnActions(await codeActions(uri, new vscode.Range(1, 4, 1, 4)));
    assert.deepEqual(actions.map((a) => a.title), []);
  });

  it('contributes and registers the three commands', async function () {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of [FIX, EXPLAIN, ADD]) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('"Fix with Cairn" starts a turn quoting the path, the code and the diagnostic', async function () {
    await vscode.commands.executeCommand('cairn.newSession');
    await waitFor('an idle new session', () => testApi.snapshot().turn === 'idle' && testApi.snapshot().messages.length === 0, 10_000);
    await vscode.commands.executeCommand(FIX, uri.toString(), [3, 32, 3, 32]);
    const user = await waitFor('the fix prompt as a user message', () => testApi.snapshot().messages.find((m) => m.role === 'user'), 20_000);
    await testApi.idle();
    const text = textOf(user);
    // Every problem in the quoted lines is listed, so the wording depends on how many the fixture has there.
    assert.ok(/^Fix (this problem|these problems) in `/.test(text) && text.includes(`\`${rel}\``), `prompt: ${text.slice(0, 200)}`);
    assert.ok(text.includes('export const broken: number = compute();'), 'the code is not quoted');
    assert.ok(text.includes(`- error (suite 2304) at line 4, column 31: ${ERROR}`), `the diagnostic is not listed: ${text}`);
    assert.ok(!text.includes('Just so you know.'), 'an information diagnostic was listed');
    assert.ok(user.blocks.some((b) => b.type === 'attachment' && b.label === 'area.txt'), `the file is not attached: ${JSON.stringify(user.blocks.slice(1))}`);
  });

  it('"Explain with Cairn" starts a turn quoting the selected lines', async function () {
    await vscode.commands.executeCommand('cairn.newSession');
    await vscode.commands.executeCommand(EXPLAIN, uri.toString(), [0, 0, 2, 1]);
    const user = await waitFor('the explain prompt as a user message', () => testApi.snapshot().messages.find((m) => m.role === 'user'), 20_000);
    await testApi.idle();
    const text = textOf(user);
    assert.ok(text.startsWith(`Explain this code from \`${rel}\`, lines 1–3:`), `prompt: ${text.slice(0, 200)}`);
    assert.ok(text.includes('return w * h;'));
    assert.ok(!text.includes('compute()'), 'lines outside the selection were quoted');
  });
});
