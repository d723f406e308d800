/// <reference types="mocha" />
// The editor-side ports (extension/host/adapters, extension/host/review) against the real VS Code API:
// applyText through a WorkspaceEdit + save, the dirty-buffer refusal, real diagnostics from the built-in JSON
// language features, the per-hunk review, and the watchable terminal process port.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../util/wait';
import { createDiagnosticsPort, createEditorPort, createTerminalProcessPort, ReviewService, watchableProcessPort } from '../../../extension/host/adapters';
import type { EventData } from '../../../extension/protocol/events';
import { DecisionService } from '../../../extension/host/decisions/service';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');

describe('editor ports (extension/host/adapters)', function () {
  let dir: string;
  const editor = createEditorPort();

  before(function () {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = folder?.scheme === 'file' ? folder.fsPath : os.tmpdir();
    dir = fs.mkdtempSync(path.join(base, 'cairn-adapters-'));
  });

  after(async function () {
    // Leave no dirty buffers behind (they would hold the window open).
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === 'file' && d.uri.fsPath.startsWith(dir) && d.isDirty) await d.save();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applyText on a clean open document edits the buffer and saves it to disk', async function () {
    const file = path.join(dir, 'clean.txt');
    fs.writeFileSync(file, 'one\ntwo\n');
    const doc = await vscode.workspace.openTextDocument(file);
    assert.equal(doc.isDirty, false);
    const ok = await editor.applyText(file, 'one\nTWO\nthree\n', 'one\ntwo\n');
    assert.equal(ok, true);
    assert.equal(fs.readFileSync(file, 'utf8'), 'one\nTWO\nthree\n');
    assert.equal(doc.getText(), 'one\nTWO\nthree\n');
    assert.equal(doc.isDirty, false, 'the document was not saved');
    const open = editor.openDocuments().find((d) => d.absPath === file);
    assert.ok(open, 'openDocuments() does not list the file');
    assert.equal(open.isDirty, false);
  });

  it('applyText on a file that is not open, and on a new file, writes through the editor', async function () {
    const file = path.join(dir, 'closed.txt');
    fs.writeFileSync(file, 'a\n');
    assert.equal(await editor.applyText(file, 'b\n', 'a\n'), true);
    assert.equal(fs.readFileSync(file, 'utf8'), 'b\n');
    const created = path.join(dir, 'sub', 'new.txt');
    assert.equal(await editor.applyText(created, 'fresh\n', ''), true);
    assert.equal(fs.readFileSync(created, 'utf8'), 'fresh\n');
  });

  it('applyText refuses a dirty buffer whose text differs (disk and buffer unchanged)', async function () {
    const file = path.join(dir, 'dirty.txt');
    fs.writeFileSync(file, 'disk text\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const typing = new vscode.WorkspaceEdit();
    typing.insert(doc.uri, new vscode.Position(0, 0), 'user typing ');
    assert.ok(await vscode.workspace.applyEdit(typing));
    assert.equal(doc.isDirty, true);
    const ok = await editor.applyText(file, 'agent text\n', 'disk text\n');
    assert.equal(ok, false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'disk text\n', 'the file on disk changed');
    assert.equal(doc.getText(), 'user typing disk text\n', 'the unsaved buffer changed');
    assert.equal(doc.isDirty, true);
    // A dirty buffer whose text IS what the agent read may be replaced (nothing of the user's is lost).
    const same = new vscode.WorkspaceEdit();
    same.replace(doc.uri, new vscode.Range(0, 0, 1, 0), 'disk text\n');
    assert.ok(await vscode.workspace.applyEdit(same));
    assert.equal(await editor.applyText(file, 'agent text\n', 'disk text\n'), true);
    assert.equal(fs.readFileSync(file, 'utf8'), 'agent text\n');
  });

  it('the diagnostics port reports a real JSON diagnostic and settles', async function () {
    this.timeout(40_000);
    const diagnostics = createDiagnosticsPort();
    try {
      const file = path.join(dir, 'broken.json');
      fs.writeFileSync(file, '{\n  "a": 1,\n  "b": \n}\n');
      // Shown (without focus): language clients that pull diagnostics only validate documents in an editor tab.
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc, { preserveFocus: true, preview: true });
      const t0 = Date.now();
      await diagnostics.settle(300, 10_000);
      const settled = Date.now() - t0;
      assert.ok(settled >= 250 && settled <= 11_000, `settle took ${settled}ms`);
      const found = await waitFor('a diagnostic for broken.json', () => {
        const list = diagnostics.get(file);
        return list.length > 0 ? list : undefined;
      }, 30_000, 250);
      console.log(`[cairn-test] diagnostics settled in ${settled}ms: ${JSON.stringify(found)}`);
      assert.ok(found.some((d) => d.severity === 'error'), 'no error-level diagnostic');
      assert.ok(found.every((d) => d.absPath === file && d.line >= 1 && d.col >= 1));
      assert.ok(diagnostics.get().some((d) => d.absPath === file), 'get() without a path does not include the file');
    } finally {
      diagnostics.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the terminal process port shows a visible run and still captures its output', async function () {
    const proc = createTerminalProcessPort({ keepOpen: false });
    try {
      const chunks: string[] = [];
      const res = await proc.run({ command: 'echo cairn-visible-$((40+2))', cwd: dir, timeoutMs: 20_000, visible: true, signal: new AbortController().signal, onOutput: (c) => chunks.push(c) });
      assert.equal(res.exitCode, 0);
      assert.match(res.output, /cairn-visible-42/);
      assert.match(chunks.join(''), /cairn-visible-42/);
      const ctl = new AbortController();
      const t0 = Date.now();
      const slow = proc.run({ command: 'sleep 30', cwd: dir, timeoutMs: 60_000, visible: true, signal: ctl.signal });
      setTimeout(() => ctl.abort(), 300);
      const r2 = await slow;
      assert.equal(r2.aborted, true);
      assert.ok(Date.now() - t0 < 10_000, 'the abort did not kill the process');
    } finally {
      proc.dispose();
    }
  });
});

describe('per-hunk review (extension/host/review)', function () {
  type Ev = { name: string; data: unknown };
  let root: string;
  let events: Ev[];
  let review: ReviewService;
  let decisions: DecisionService;
  const original = lines(30);
  // Two changes far apart: line 3 and line 27.
  const proposal = original.replace('line 3\n', 'line 3 changed\n').replace('line 27\n', 'line 27 changed\nline 27b added\n');

  before(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-review-'));
    // A scheme of its own: the extension under test already registered the default one in this host.
    review = new ReviewService({ root, scheme: 'cairn-test-proposed', editDebounceMs: 50 });
    decisions = new DecisionService((name, data) => events.push({ name, data }));
    review.bind(decisions.reviewSink(), () => true);
  });
  beforeEach(function () { events = []; });
  after(function () {
    review.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  // Reviews reach the webviews as pending decisions of kind 'review'.
  const requested = () => events.filter((e) => e.name === 'decision/requested').map((e) => (e.data as EventData<'decision/requested'>).decision)
    .flatMap((d) => (d.kind === 'review' ? [d.request] : []));
  const resolved = () => events.filter((e) => e.name === 'decision/resolved').map((e) => { const d = e.data as EventData<'decision/resolved'>; return { id: d.id, decision: d.outcome }; });

  it('computes two hunks and applies exactly the accepted one', async function () {
    const file = path.join(root, 'src', 'a.txt');
    const pending = review.review(file, original, proposal, new AbortController().signal);
    const req = await waitFor('review/requested', () => requested()[0]);
    assert.equal(req.path, 'src/a.txt');
    assert.equal(req.isNew, false);
    assert.equal(req.hunks.length, 2, JSON.stringify(req.hunks));
    assert.deepEqual(req.hunks.map((h) => h.index), [0, 1]);
    assert.match(req.hunks[0]!.header, /^@@ -1,6 \+1,6 @@$/);
    assert.ok(req.hunks[0]!.lines.includes('-line 3') && req.hunks[0]!.lines.includes('+line 3 changed'));
    assert.ok(req.hunks[1]!.lines.includes('+line 27b added'));
    assert.deepEqual(review.pending().map((r) => r.id), [req.id]);
    assert.deepEqual(decisions.list().map((d) => d.request.id), [req.id]);
    // The webview's answer goes through the one decision channel; an answer of the wrong kind is refused.
    assert.equal(decisions.answer(req.id, { kind: 'approval', decision: 'approve' }), false);
    assert.equal(decisions.answer(req.id, { kind: 'review', decision: 'apply', acceptedHunks: [1] }), true);
    const out = await pending;
    assert.equal(out?.text, original.replace('line 27\n', 'line 27 changed\nline 27b added\n'));
    assert.deepEqual(resolved(), [{ id: req.id, decision: 'partial' }]);
    assert.deepEqual(review.pending(), []);
    assert.deepEqual(decisions.list(), []);
    assert.equal(decisions.answer(req.id, { kind: 'review', decision: 'apply' }), false, 'a second answer was accepted');
  });

  it('apply with every hunk gives the proposal; reject and "apply none" give undefined', async function () {
    const file = path.join(root, 'b.txt');
    const p1 = review.review(file, original, proposal, new AbortController().signal);
    const r1 = await waitFor('request 1', () => requested()[0]);
    review.answer({ id: r1.id, decision: 'apply' });
    assert.equal((await p1)?.text, proposal);
    const p2 = review.review(file, original, proposal, new AbortController().signal);
    const r2 = await waitFor('request 2', () => requested()[1]);
    review.answer({ id: r2.id, decision: 'reject', reason: 'no' });
    assert.equal(await p2, undefined);
    const p3 = review.review(file, original, proposal, new AbortController().signal);
    const r3 = await waitFor('request 3', () => requested()[2]);
    review.answer({ id: r3.id, decision: 'apply', acceptedHunks: [] });
    assert.equal(await p3, undefined);
    assert.deepEqual(resolved().map((r) => r.decision), ['applied', 'rejected', 'rejected']);
  });

  it('a new file is one all-added hunk', async function () {
    const p = review.review(path.join(root, 'new.ts'), '', 'export const x = 1;\n', new AbortController().signal);
    const r = await waitFor('request', () => requested()[0]);
    assert.equal(r.isNew, true);
    assert.equal(r.tool, 'write_file');
    assert.deepEqual(r.hunks.map((h) => h.lines), [['+export const x = 1;']]);
    review.answer({ id: r.id, decision: 'apply', acceptedHunks: [0] });
    assert.equal((await p)?.text, 'export const x = 1;\n');
  });

  it('withdraws on abort', async function () {
    const ctl = new AbortController();
    const p = review.review(path.join(root, 'c.txt'), original, proposal, ctl.signal);
    const r = await waitFor('request', () => requested()[0]);
    ctl.abort();
    assert.equal(await p, undefined);
    assert.deepEqual(resolved(), [{ id: r.id, decision: 'withdrawn' }]);
    assert.deepEqual(review.pending(), []);
  });

  it('opens the diff editor without focus; an edit of the proposal re-emits hunks and is what gets applied', async function () {
    const focusedBefore = vscode.window.activeTextEditor?.document.uri.toString();
    const p = review.review(path.join(root, 'd.txt'), original, proposal, new AbortController().signal);
    const r = await waitFor('request', () => requested()[0]);
    assert.equal(await review.openDiff(r.id), true);
    const uri = review.proposalUri(r.id);
    assert.ok(uri);
    const diffTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uri.toString());
    await waitFor('a diff tab with the proposal', diffTab, 10_000);
    // The tab names the file and what it is, never the review's internal id.
    assert.equal(diffTab()?.label, 'd.txt ↔ Cairn proposed edit');
    assert.ok(!uri.path.includes(r.id), `the proposal's path shows the review id: ${uri.path}`);
    if (focusedBefore !== undefined) assert.notEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'cairn-test-proposed', 'the diff editor took focus');
    // The user edits the proposal: rewrites line 27's change and leaves the first hunk alone.
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('line 27b added');
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'line 27b added'.length)), 'line 27b by the user');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const updated = await waitFor('re-emitted hunks', () => requested().find((x, i) => i > 0 && x.id === r.id && x.hunks.some((h) => h.lines.includes('+line 27b by the user'))));
    assert.equal(updated.hunks.length, 2);
    assert.deepEqual(review.pending()[0]?.hunks, updated.hunks, 'the snapshot does not show the updated hunks');
    review.answer({ id: r.id, decision: 'apply', acceptedHunks: [1] });
    assert.equal((await p)?.text, original.replace('line 27\n', 'line 27 changed\nline 27b by the user\n'));
    await waitFor('the diff tab to close', () => !diffTab(), 10_000);
  });
});

describe('cairn.runCommandsInTerminal', function () {
  it('shows a hidden run in a terminal the user can watch when the setting is on, and not when it is off', async function () {
    const terminalPort = createTerminalProcessPort({ keepOpen: false });
    const cfg = () => vscode.workspace.getConfiguration('cairn');
    const proc = watchableProcessPort(terminalPort, () => cfg().get<boolean>('runCommandsInTerminal', false));
    const opened: string[] = [];
    const sub = vscode.window.onDidOpenTerminal((t) => opened.push(t.name));
    try {
      await cfg().update('runCommandsInTerminal', false, vscode.ConfigurationTarget.Global);
      const hidden = await proc.run({ command: 'echo cairn-hidden-run', cwd: os.tmpdir(), timeoutMs: 20_000, visible: false, signal: new AbortController().signal });
      assert.match(hidden.output, /cairn-hidden-run/);
      await cfg().update('runCommandsInTerminal', true, vscode.ConfigurationTarget.Global);
      const shown = await proc.run({ command: 'echo cairn-watched-run', cwd: os.tmpdir(), timeoutMs: 20_000, visible: false, signal: new AbortController().signal });
      assert.match(shown.output, /cairn-watched-run/);
      await waitFor('the terminal to open', () => opened.some((n) => n.includes('cairn-watched-run')), 10_000);
      assert.ok(!opened.some((n) => n.includes('cairn-hidden-run')), `a hidden run opened a terminal: ${opened.join(', ')}`);
    } finally {
      sub.dispose();
      await cfg().update('runCommandsInTerminal', undefined, vscode.ConfigurationTarget.Global);
      terminalPort.dispose();
    }
  });
});
