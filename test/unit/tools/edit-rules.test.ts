/**
 * Edit rules found in other agents' test suites: an empty replacement deletes whole lines with their line break;
 * the indentation fallback re-indents only the lines that need it; an unclosed final SEARCH/REPLACE block is an
 * error and nothing is written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../../extension/core/tools/edit-engine';
import { parseBlocks } from '../../../extension/core/tools/edit-blocks';
import { editFileTool } from '../../../extension/core/tools/edit-file';
import { readFileTool } from '../../../extension/core/tools/read-file';
import { makeCtx, tempWorkspace } from './helpers';

const apply = (text: string, oldText: string, newText: string) => {
  const r = applyEdits(text, [{ oldText, newText }]);
  if (!r.ok) throw new Error(r.failures.map((f) => f.message).join('\n'));
  return r.text;
};

describe('an empty replacement', () => {
  it('deletes whole lines including their line break', () => {
    expect(apply('a\nb\nc\n', 'b', '')).toBe('a\nc\n');
    expect(apply('a\nb\nc\nd\n', 'b\nc', '')).toBe('a\nd\n');
    expect(apply('a\r\nb\r\nc\r\n', 'b', '')).toBe('a\r\nc\r\n');
    expect(apply('a\nb', 'b', '')).toBe('a'); // the last line, without a final line break
    expect(apply('only\n', 'only', '')).toBe('');
    expect(apply('    x();\n    y();\n', '  y();', '')).toBe('    x();\n    y();\n'.replace('  y();', '')); // mid-line: only the text
  });
  it('keeps deleting exactly what was matched when the match carries its own line break', () => {
    expect(apply('a\nb\nc\n', 'b\n', '')).toBe('a\nc\n');
    expect(apply('a\n\nb\nc\n', '\nb', '')).toBe('a\n\nc\n');
  });
  it('from a SEARCH/REPLACE block with nothing between ======= and REPLACE', () => {
    const p = parseBlocks('<<<<<<< SEARCH\nb\n=======\n>>>>>>> REPLACE');
    expect(p.ok).toBe(true);
    if (p.ok) expect(applyEdits('a\nb\nc\n', p.blocks)).toMatchObject({ ok: true, text: 'a\nc\n' });
  });
});

describe('the indentation fallback', () => {
  const file = 'function f() {\n    if (x) {\n        a();\n        b();\n    }\n}\n';
  it('re-indents only the lines whose level differs from the file', () => {
    // The model got the first line's indentation right and the body's wrong.
    const out = apply(file, '    if (x) {\n    a();\n    b();', '    if (y) {\n    a();\n    c();');
    expect(out).toBe('function f() {\n    if (y) {\n        a();\n        c();\n    }\n}\n');
  });
  it('still shifts a wholly dedented block, deeper new lines included', () => {
    const out = apply(file, 'if (x) {\n    a();\n    b();', 'if (x) {\n    a();\n    if (z) {\n        b();\n    }');
    expect(out).toBe('function f() {\n    if (x) {\n        a();\n        if (z) {\n            b();\n        }\n    }\n}\n');
  });
  it('maps spaces onto a tab-indented file level by level', () => {
    const tabs = 'f() {\n\tif (x) {\n\t\ta();\n\t}\n}\n';
    expect(apply(tabs, '    if (x) {\n        a();', '    if (x) {\n        a();\n        b();')).toBe('f() {\n\tif (x) {\n\t\ta();\n\t\tb();\n\t}\n}\n');
  });
});

describe('an unclosed final block', () => {
  let root: string;
  beforeEach(() => { root = tempWorkspace(); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  it('is an error, and the file is not written', async () => {
    expect(parseBlocks('<<<<<<< SEARCH\na\n=======\nb')).toMatchObject({ ok: false, error: expect.stringMatching(/Block 1 is not closed.*Nothing was written/) });
    expect(parseBlocks('<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc\n=======\nd')).toMatchObject({ ok: false, error: expect.stringMatching(/Block 2 is not closed/) });
    const file = path.join(root, 'f.txt');
    fs.writeFileSync(file, 'a\nc\n');
    const ctx = makeCtx(root);
    await readFileTool.execute({ path: 'f.txt' }, ctx);
    const res = await editFileTool.execute({ path: 'f.txt', blocks: '<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc\n=======\nd' }, ctx);
    expect(res.isError).toBe(true);
    expect(res.content).toMatch(/not closed/);
    expect(fs.readFileSync(file, 'utf8')).toBe('a\nc\n');
  });
});
