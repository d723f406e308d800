/// <reference types="mocha" />
// "Cairn: Dream Now" in the real extension host (issue 15): on a seeded memory, the dream (scripted through the
// emulator) rewrites a topic through dream_write; the command returns the result with the diff the "Show Changes"
// editors are built from, the topic and the index changed on disk, the diff's two sides are served by the
// cairn-dream: content provider, and undo puts every memory file back exactly as it was.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cairnTestApi } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';
import { indexLine, serializeTopic } from '../../../extension/core/memory/format';
import { readMemoryFiles, type MemoryFiles } from '../../../extension/core/scheduler/dream/snapshot';
import type { DreamResult } from '../../../extension/core/scheduler/dream/run';

describe('dream now in the real extension host', function () {
  this.timeout(90_000);
  let testApi: NonNullable<CairnApi['test']>;
  let emulatorUrl: string;
  let agentDir: string;
  let original: MemoryFiles;
  const tag = Date.now().toString(36);
  const slug = `deploy-${tag}`;

  async function emulator<T>(route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${emulatorUrl}/_emulator/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, `${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  function writeAll(files: MemoryFiles) {
    // Back to exactly these files: remove topics that are not in the set, write the rest.
    const topics = path.join(agentDir, 'memory');
    for (const f of fs.existsSync(topics) ? fs.readdirSync(topics) : []) if (f.endsWith('.md') && !(`memory/${f}` in files)) fs.rmSync(path.join(topics, f));
    if (!('MEMORY.md' in files)) fs.rmSync(path.join(agentDir, 'MEMORY.md'), { force: true });
    for (const [p, text] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(agentDir, p)), { recursive: true }); fs.writeFileSync(path.join(agentDir, p), text); }
  }

  before(async function () {
    testApi = await cairnTestApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file' && vscode.workspace.isTrusted, 'the test run needs a trusted file workspace folder');
    agentDir = path.join(folder.fsPath, '.agent');
    emulatorUrl = (vscode.workspace.getConfiguration('cairn').inspect<string>('baseUrl')?.globalValue ?? '').replace(/\/+$/, '');
    assert.match(emulatorUrl, /^https?:\/\/127\.0\.0\.1:\d+$/, 'the runner should write the emulator URL to the user setting cairn.baseUrl');
    await emulator('reset', {});
    original = readMemoryFiles(agentDir);
    // Seed: one topic with a relative date, as an earlier session left it.
    const name = 'deploy day';
    fs.mkdirSync(path.join(agentDir, 'memory'), { recursive: true });
    fs.writeFileSync(path.join(agentDir, 'memory', `${slug}.md`), serializeTopic({ slug, name, description: name, type: 'project', updated: '2026-11-25T10:00:00.000Z', source: 'user', body: `We deploy next Friday (${tag}).` }));
    const l = indexLine(slug, name, name);
    assert.ok(!('error' in l), JSON.stringify(l));
    const index = original['MEMORY.md'] ?? '# Memory\n\n';
    fs.writeFileSync(path.join(agentDir, 'MEMORY.md'), `${index.replace(/\n*$/, '\n')}${l.line}\n`);
  });

  after(async function () {
    if (agentDir && original) writeAll(original);
    await emulator('reset', {}).catch(() => undefined);
  });

  it('Dream Now changes the seeded memory, shows the diff sides, and undo restores every file', async function () {
    const seeded = readMemoryFiles(agentDir);
    assert.ok(seeded[`memory/${slug}.md`]?.includes('next Friday'), 'the seed was not written');
    const content = `We deploy on 2026-11-28 (${tag}).`;
    await emulator('enqueue', { items: [
      { content: [{ type: 'tool_use', name: 'dream_write', input: { slug, name: 'deploy day', description: 'deploy day', type: 'project', hook: 'on 2026-11-28', content, why: '"next Friday" written on 2026-11-25 is 2026-11-28' } }] },
      { text: 'Consolidated one memory.' },
    ] });
    const r = await vscode.commands.executeCommand<DreamResult | undefined>('cairn.dreamNow');
    assert.ok(r, 'Dream Now returned nothing (refused: is dreaming on and the workspace trusted?)');
    assert.equal(r.status, 'done', `the dream did not finish: ${JSON.stringify(r)}`);
    if (r.status !== 'done') return;
    assert.deepEqual(r.changes.map((c) => `${c.op} ${c.slug}`), [`update ${slug}`]);
    assert.deepEqual(r.diff.map((d) => `${d.status} ${d.path}`).sort(), ['changed MEMORY.md', `changed memory/${slug}.md`]);

    const now = readMemoryFiles(agentDir);
    assert.ok(now[`memory/${slug}.md`]?.includes('2026-11-28'), `the topic did not change:\n${now[`memory/${slug}.md`]}`);
    assert.ok(!now[`memory/${slug}.md`]?.includes('next Friday'));
    // The index line carries the new hook (shortened to the index's line limit).
    assert.ok(now['MEMORY.md']?.includes(`(memory/${slug}.md): on 2026-`), `the index line was not rewritten:\n${now['MEMORY.md']}`);
    assert.notEqual(now['MEMORY.md'], seeded['MEMORY.md']);

    // The two sides of the diff editor "Show Changes" opens.
    const before = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'cairn-dream', path: `/${r.id}/before/memory/${slug}.md` }));
    const afterDoc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'cairn-dream', path: `/${r.id}/after/memory/${slug}.md` }));
    assert.equal(before.getText(), seeded[`memory/${slug}.md`]);
    assert.equal(afterDoc.getText(), now[`memory/${slug}.md`]);

    const u = await testApi.undoLastDream();
    assert.ok(u?.ok, `undo failed: ${JSON.stringify(u)}`);
    assert.deepEqual(u.conflicts, []);
    assert.deepEqual(readMemoryFiles(agentDir), seeded, 'undo did not restore the memory exactly');
  });
});
