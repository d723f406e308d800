import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFileTool } from '../../../extension/core/tools/read-file';
import { editFileTool } from '../../../extension/core/tools/edit-file';
import { writeFileTool } from '../../../extension/core/tools/write-file';
import { listFilesTool } from '../../../extension/core/tools/list-files';
import { globTool } from '../../../extension/core/tools/glob';
import { createGrepTool, findRgOnPath, grepJs, grepRg } from '../../../extension/core/tools/grep';
import { runCommandTool } from '../../../extension/core/tools/run-command';
import { SessionJobs } from '../../../extension/core/tools/jobs';
import { createNodeProcessPort } from '../../../extension/core/tools/node-process';
import { getDiagnosticsTool } from '../../../extension/core/tools/get-diagnostics';
import { editorContextTool } from '../../../extension/core/tools/editor-context';
import { createTodoTool, TodoStore } from '../../../extension/core/tools/todo';
import { createRegistry } from '../../../extension/core/tools/registry';
import { builtinTools } from '../../../extension/core/tools';
import { createCheckpointStore } from '../../../extension/core/checkpoints';
import type { EditorPort, OpenDocument } from '../../../extension/core/ports';
import { makeCtx, tempWorkspace } from './helpers';

let root: string;
beforeEach(() => { root = tempWorkspace(); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
const put = (rel: string, data: string | Buffer) => { const p = path.join(root, rel); fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, data); return p; };

describe('registry', () => {
  it('sorts built-ins by name, then external tools; API tools serialize identically twice', () => {
    const reg = createRegistry(builtinTools());
    const names = reg.list().map((t) => t.name);
    expect(names).toEqual([...names].sort());
    const a = JSON.stringify(reg.toApiTools());
    const b = JSON.stringify(createRegistry(builtinTools().reverse()).toApiTools());
    expect(a).toBe(b);
    expect(reg.get('edit_file')?.name).toBe('edit_file');
    expect(reg.toApiTools()[0]).toHaveProperty('input_schema.type', 'object');
  });
});

describe('read_file', () => {
  it('numbers lines, reads ranges, notes a cut, records the read', async () => {
    const p = put('a.txt', Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const ctx = makeCtx(root);
    const r = await readFileTool.execute({ path: 'a.txt' }, ctx);
    expect(r.content).toMatch(/^ {3}1\tline 1\n/);
    expect(r.content).toContain('[Showing lines 1-2000 of 3000. Read more with offset=2001.]');
    expect(ctx.reads.get(p)?.sha256).toHaveLength(64);
    expect((await readFileTool.execute({ path: 'a.txt', offset: 2999, limit: 5 }, ctx)).content).toBe('2999\tline 2999\n3000\tline 3000');
  });
  it('detects binary and non-UTF-8 files', async () => {
    put('b.bin', Buffer.from([1, 2, 0, 3]));
    put('l.txt', Buffer.from('caf\xe9 cr\xe8me', 'latin1'));
    const ctx = makeCtx(root);
    expect((await readFileTool.execute({ path: 'b.bin' }, ctx)).content).toMatch(/binary/);
    expect((await readFileTool.execute({ path: 'l.txt' }, ctx)).content).toMatch(/not UTF-8/);
  });
});

describe('edit_file', () => {
  it('requires a read first, and refuses a file changed since (E6), with no false positive on its own writes', async () => {
    const p = put('a.ts', 'let a = 1;\nlet b = 2;\n');
    const ctx = makeCtx(root);
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'a = 1', new_text: 'a = 3' }] }, ctx)).content).toMatch(/not read/);
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    for (let i = 0; i < 1000; i++) {
      const r = await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: `let b = ${i + 2};`, new_text: `let b = ${i + 3};` }] }, ctx);
      expect(r.isError, r.content).toBeFalsy();
    }
    fs.writeFileSync(p, 'let a = 1;\nlet b = 999;\n// formatter\n');
    const r = await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'let a = 1;', new_text: 'let a = 2;' }] }, ctx);
    expect(r.content).toMatch(/changed since you read it/);
    expect(fs.readFileSync(p, 'utf8')).toContain('// formatter');
    const t = new Date(Date.now() + 5000);
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    fs.utimesSync(p, t, t); // touch only: not a change
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'let a = 1;', new_text: 'let a = 2;' }] }, ctx)).isError).toBeFalsy();
  }, 90_000); // 1,000 atomic, fsynced writes: slow on a busy disk, never a timing assertion
  it('after 2 failed edits the model must re-read (E9)', async () => {
    put('a.ts', 'x\n');
    const ctx = makeCtx(root);
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    const bad = { path: 'a.ts', edits: [{ old_text: 'nope', new_text: 'y' }] };
    await editFileTool.execute(bad, ctx);
    await editFileTool.execute(bad, ctx);
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'x', new_text: 'y' }] }, ctx)).content).toMatch(/Read the file again/);
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'x', new_text: 'y' }] }, ctx)).isError).toBeFalsy();
  });
  it('never overwrites a dirty buffer (E7), applies through the editor otherwise', async () => {
    const p = put('a.ts', 'one\n');
    let dirty: OpenDocument = { absPath: p, languageId: 'ts', isDirty: true, text: 'one\nunsaved\n', version: 2 };
    const applied: string[] = [];
    const editor: EditorPort = {
      openDocuments: () => [dirty], activeFile: () => p, selection: () => undefined, visibleRanges: () => [],
      applyText: async (abs, text, expected) => { if (dirty.isDirty && dirty.text !== expected) return false; applied.push(text); fs.writeFileSync(abs, text); return true; },
    };
    const ctx = makeCtx(root, {}, { editor });
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    const r = await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'one', new_text: 'two' }] }, ctx);
    expect(r.content).toMatch(/unsaved changes/);
    expect(fs.readFileSync(p, 'utf8')).toBe('one\n');
    dirty = { ...dirty, isDirty: false, text: 'one\n' };
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'one', new_text: 'two' }] }, ctx)).isError).toBeFalsy();
    expect(applied).toEqual(['two\n']);
  });
  it('when the user must approve, writes what the diff review returns, and nothing when rejected', async () => {
    const p = put('a.ts', 'a\nb\n');
    let answer: { text: string } | undefined = { text: 'a\nB-user\n' };
    const ctx = makeCtx(root, { review: async () => answer });
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    const r = await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'b', new_text: 'B' }] }, ctx);
    expect(r.content).toMatch(/user changed your proposed edit/);
    expect(fs.readFileSync(p, 'utf8')).toBe('a\nB-user\n');
    answer = undefined;
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'a', new_text: 'A' }] }, ctx)).content).toMatch(/rejected/);
    expect(fs.readFileSync(p, 'utf8')).toBe('a\nB-user\n');
  });
  it('reports not unique with places, and refuses writing through a symlink out of the workspace', async () => {
    put('a.ts', 'x();\ny();\nx();\n');
    const ctx = makeCtx(root);
    await readFileTool.execute({ path: 'a.ts' }, ctx);
    expect((await editFileTool.execute({ path: 'a.ts', edits: [{ old_text: 'x();', new_text: 'z();' }] }, ctx)).content).toMatch(/not unique.*lines 1, 3/s);
    fs.symlinkSync('/etc/hostname', path.join(root, 'h'));
    expect((await readFileTool.execute({ path: 'h' }, ctx)).content).toMatch(/outside the workspace/);
  });
});

describe('write_file', () => {
  it('creates new files, replaces only read files, refuses rewriting large files (E11)', async () => {
    const ctx = makeCtx(root);
    expect((await writeFileTool.execute({ path: 'new/dir/a.txt', content: 'hi\n' }, ctx)).content).toMatch(/Created/);
    put('b.txt', 'old\n');
    expect((await writeFileTool.execute({ path: 'b.txt', content: 'x' }, ctx)).content).toMatch(/not read it/);
    await readFileTool.execute({ path: 'b.txt' }, ctx);
    expect((await writeFileTool.execute({ path: 'b.txt', content: 'x' }, ctx)).content).toMatch(/Replaced/);
    put('big.txt', 'l\n'.repeat(500));
    await readFileTool.execute({ path: 'big.txt' }, ctx);
    expect((await writeFileTool.execute({ path: 'big.txt', content: 'x' }, ctx)).content).toMatch(/edit_file/);
  });
});

describe('list_files, glob, grep', () => {
  beforeEach(() => {
    put('.gitignore', 'dist/\n*.log\n');
    put('src/.agentignore', 'gen/\n');
    put('src/a.ts', 'export const needle = 1;\n');
    put('src/gen/b.ts', 'needle\n');
    put('src/c.log', 'needle\n');
    put('dist/d.js', 'needle\n');
    put('.env', 'needle=secret\n');
    put('lib/e.ts', 'const x = "needle";\n');
  });
  it('respects .gitignore and .agentignore, sorted', async () => {
    const ctx = makeCtx(root);
    expect((await listFilesTool.execute({ depth: 3 }, ctx)).content.split('\n')).toEqual(['.env', '.gitignore', 'lib/', 'lib/e.ts', 'src/', 'src/.agentignore', 'src/a.ts']);
    expect((await globTool.execute({ pattern: '**/*.ts' }, ctx)).content).toBe('lib/e.ts\nsrc/a.ts');
  });
  it('grep JS fallback: file:line, ignores, secrets skipped; rg gives the same when present', async () => {
    const ctx = makeCtx(root);
    const r = await createGrepTool().execute({ pattern: 'needle' }, ctx);
    expect(r.content).toBe('lib/e.ts:1: const x = "needle";\nsrc/a.ts:1: export const needle = 1;');
    const rg = findRgOnPath();
    if (rg) {
      const args = { pattern: 'needle' };
      expect(await grepRg(rg, root, '', args, ctx.signal, 100)).toEqual(await grepJs(root, '', false, args, ctx.signal, 100));
    }
  });
});

describe('run_command with the Node process port', () => {
  it('runs argv-safe, caps output and saves the full output, times out and kills the group', async () => {
    const ctx = makeCtx(root, {}, { process: createNodeProcessPort() });
    put('$(touch pwned).ts', 'x');
    expect((await runCommandTool.execute({ command: "cat '$(touch pwned).ts'" }, ctx)).content).toBe('Exit code 0.\nx');
    expect(fs.existsSync(path.join(root, 'pwned'))).toBe(false);
    const big = await runCommandTool.execute({ command: 'node -e "process.stdout.write(\'y\'.repeat(100000))"' }, ctx);
    expect(big.content).toMatch(/characters omitted; the full output is in .agent\/sessions\/s1\/tool-results\/tu1.txt/);
    expect(fs.readFileSync(path.join(ctx.sessionDir, 'tool-results', 'tu1.txt'), 'utf8')).toHaveLength(100000);
    const t0 = Date.now();
    const slow = await runCommandTool.execute({ command: 'sleep 30 & sleep 30; echo done', timeout_ms: 1000 }, ctx);
    expect(slow.content).toMatch(/timeout/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('kills on abort and runs background jobs', async () => {
    const ac = new AbortController();
    const ctx = makeCtx(root, { signal: ac.signal }, { process: createNodeProcessPort() });
    setTimeout(() => ac.abort(), 300);
    expect((await runCommandTool.execute({ command: 'sleep 20' }, ctx)).content).toMatch(/interrupted/);
    const jobs = new SessionJobs();
    const bg = await runCommandTool.execute({ command: 'echo started; sleep 20', background: true }, makeCtx(root, { jobs }, { process: createNodeProcessPort() }));
    expect(bg.content).toMatch(/job\d+/);
    expect(jobs.list().map((j) => j.running)).toEqual([true]);
    await jobs.stopAll();
    expect(jobs.list()).toEqual([]);
  });
});

describe('diagnostics, editor context, todo', () => {
  it('caps and filters diagnostics; shows editor state; todo store notifies', async () => {
    const diags = Array.from({ length: 150 }, (_, i) => ({ absPath: path.join(root, 'a.ts'), line: i + 1, col: 1, severity: (i % 2 ? 'warning' : 'error') as 'warning' | 'error', message: `m${i}` }));
    const ctx = makeCtx(root, {}, { diagnostics: { get: () => diags, settle: async () => undefined } });
    const d = await getDiagnosticsTool.execute({}, ctx);
    expect(d.content).toMatch(/^75 error\(s\), 0 warning/);
    expect((await getDiagnosticsTool.execute({ include_warnings: true }, ctx)).content).toMatch(/50 more not shown/);
    expect((await editorContextTool.execute({}, makeCtx(root))).content).toMatch(/No editor/);
    const store = new TodoStore();
    const seen: number[] = [];
    store.subscribe((items) => seen.push(items.length));
    await createTodoTool(store).execute({ todos: [{ content: 'a', status: 'completed' }] }, makeCtx(root));
    expect(seen).toEqual([1]);
  });
});

describe('checkpoints', () => {
  it('undo restores edited files, deletes created ones, never follows symlinks or deletes user files', async () => {
    const store = createCheckpointStore({ workspaceRoot: root, sessionId: 's1' });
    const a = put('a.txt', 'original');
    put('user.txt', 'user file');
    const ctx = makeCtx(root, { checkpoint: (p) => store.snapshot(1, p) });
    await readFileTool.execute({ path: 'a.txt' }, ctx);
    await editFileTool.execute({ path: 'a.txt', edits: [{ old_text: 'original', new_text: 'changed' }] }, ctx);
    await writeFileTool.execute({ path: 'created.txt', content: 'new' }, ctx);
    // Something replaces a.txt with a symlink to an outside file after the turn.
    const outside = path.join(path.dirname(root), `outside-${path.basename(root)}.txt`);
    fs.writeFileSync(outside, 'outside');
    fs.rmSync(a);
    fs.symlinkSync(outside, a);
    const rep = await store.undo(1);
    expect(rep.restored).toEqual(['a.txt']);
    expect(rep.deleted).toEqual(['created.txt']);
    expect(fs.lstatSync(a).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(a, 'utf8')).toBe('original');
    expect(fs.readFileSync(outside, 'utf8')).toBe('outside');
    expect(fs.readFileSync(path.join(root, 'user.txt'), 'utf8')).toBe('user file');
    fs.rmSync(outside);
  });
});
