// extension/host/panel/prompt.ts: the text of "Fix with Cairn", "Explain with Cairn" and "Add to Cairn chat" turns.
import { describe, expect, it } from 'vitest';
import { addToChatText, diagnosticLine, explainPrompt, fixPrompt, MAX_EXCERPT_CHARS, quoteCode, type CodeContext, type DiagnosticInfo } from '../../../extension/host/panel/prompt';

const ctx = (over: Partial<CodeContext> = {}): CodeContext => ({
  path: 'src/math/add.ts',
  languageId: 'typescript',
  startLine: 4,
  endLine: 6,
  code: 'export function add(a: number, b: number) {\n  return a + b + "";\n}',
  ...over,
});

const diag = (over: Partial<DiagnosticInfo> = {}): DiagnosticInfo => ({
  severity: 'error',
  message: "Type 'string' is not assignable to type 'number'.",
  line: 5,
  column: 3,
  source: 'ts',
  code: '2322',
  ...over,
});

describe('quoteCode', () => {
  it('names the path and the line range and fences the code with its language', () => {
    const q = quoteCode(ctx());
    expect(q).toBe('`src/math/add.ts`, lines 4–6:\n```typescript\nexport function add(a: number, b: number) {\n  return a + b + "";\n}\n```');
  });

  it('says "line N" for a one-line excerpt', () => {
    expect(quoteCode(ctx({ startLine: 9, endLine: 9, code: 'x();' }))).toMatch(/^`src\/math\/add\.ts`, line 9:\n/);
  });

  it('uses a longer fence than any backtick run inside the code', () => {
    const code = 'const md = `\n```js\nx\n```\n`;';
    const q = quoteCode(ctx({ languageId: 'javascript', code }));
    const lines = q.split('\n');
    expect(lines[1]).toBe('````javascript');
    expect(lines.at(-1)).toBe('````');
    expect(q).toContain(code);
  });

  it('uses a fence longer than a run of four backticks too', () => {
    const q = quoteCode(ctx({ code: 'a ```` b' }));
    expect(q.split('\n')[1]).toBe('`````typescript');
    expect(q.endsWith('\n`````')).toBe(true);
  });

  it('cuts an excerpt longer than MAX_EXCERPT_CHARS and says so', () => {
    const code = 'x'.repeat(MAX_EXCERPT_CHARS + 500);
    const q = quoteCode(ctx({ code }));
    expect(q).toContain(`${'x'.repeat(MAX_EXCERPT_CHARS)}\n… (cut)\n\`\`\``);
    expect(q).not.toContain('x'.repeat(MAX_EXCERPT_CHARS + 1));
  });

  it('keeps an excerpt of exactly MAX_EXCERPT_CHARS whole', () => {
    const q = quoteCode(ctx({ code: 'y'.repeat(MAX_EXCERPT_CHARS) }));
    expect(q).not.toContain('(cut)');
  });
});

describe('diagnosticLine', () => {
  it('lists severity, source and code, position and message', () => {
    expect(diagnosticLine(diag())).toBe("- error (ts 2322) at line 5, column 3: Type 'string' is not assignable to type 'number'.");
  });

  it('omits the parenthesis without source and code', () => {
    const { source: _s, code: _c, ...bare } = diag({ severity: 'warning', message: 'Unused variable.' });
    expect(diagnosticLine(bare)).toBe('- warning at line 5, column 3: Unused variable.');
  });

  it('keeps whichever of source and code is present', () => {
    const { code: _c, ...noCode } = diag();
    expect(diagnosticLine(noCode)).toContain('- error (ts) at');
    const { source: _s, ...noSource } = diag();
    expect(diagnosticLine(noSource)).toContain('- error (2322) at');
  });
});

describe('fixPrompt', () => {
  it('holds the path, the code and every diagnostic, and asks for a minimal reviewed edit', () => {
    const p = fixPrompt(ctx(), [diag()]);
    expect(p.startsWith('Fix this problem in `src/math/add.ts`, lines 4–6:')).toBe(true);
    expect(p).toContain('return a + b + "";');
    expect(p).toContain('Problems reported by the editor:');
    expect(p).toContain("- error (ts 2322) at line 5, column 3: Type 'string' is not assignable to type 'number'.");
    expect(p).toMatch(/smallest change/);
    expect(p).toMatch(/edit tools/);
  });

  it('says "these problems" for several diagnostics and lists them in order', () => {
    const p = fixPrompt(ctx(), [diag({ line: 4, message: 'first' }), diag({ severity: 'warning', line: 6, message: 'second' })]);
    expect(p.startsWith('Fix these problems in ')).toBe(true);
    const a = p.indexOf('at line 4, column 3: first');
    const b = p.indexOf('- warning (ts 2322) at line 6, column 3: second');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });

  it('lists at most 20 diagnostics and counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, i) => diag({ line: i + 1, message: `problem #${i + 1}` }));
    const p = fixPrompt(ctx(), many);
    expect(p).toContain('problem #20');
    expect(p).not.toContain('problem #21');
    expect(p).toContain('- … and 3 more');
    expect(p.split('\n').filter((l) => l.startsWith('- error')).length).toBe(20);
  });

  it('lists exactly 20 diagnostics without a "more" line', () => {
    const p = fixPrompt(ctx(), Array.from({ length: 20 }, (_, i) => diag({ message: `m${i}` })));
    expect(p).not.toContain('more');
  });
});

describe('explainPrompt', () => {
  it('quotes the code with its path and asks not to change files', () => {
    const p = explainPrompt(ctx({ path: 'lib/parse.py', languageId: 'python', startLine: 10, endLine: 12, code: 'def parse(s):\n    return int(s)\n' }));
    expect(p.startsWith('Explain this code from `lib/parse.py`, lines 10–12:\n```python\ndef parse(s):')).toBe(true);
    expect(p).toMatch(/Do not change any files\.$/);
  });
});

describe('addToChatText', () => {
  it('is the quoted code followed by a newline, ready for the composer', () => {
    const c = ctx();
    expect(addToChatText(c)).toBe(`${quoteCode(c)}\n`);
  });
});

describe('Fix with Cairn: what is quoted (issue 12)', () => {
  it('a 4-line file ending in a newline is lines 1–4, not 1–5', async () => {
    const { excerptLines } = await import('../../../extension/host/panel/prompt');
    // VS Code counts 5 lines for "a\nb\nc\nd\n": the last is the empty one after the final newline.
    expect(excerptLines([1, 0, 1, 3], 5, true, 3)).toEqual({ start: 0, end: 3 });
    expect(excerptLines([1, 0, 1, 3], 4, false, 3)).toEqual({ start: 0, end: 3 });
    expect(excerptLines([10, 0, 10, 1], 40, true, 3)).toEqual({ start: 7, end: 13 });
    expect(excerptLines([0, 0, 0, 0], 1, true, 3)).toEqual({ start: 0, end: 0 });
  });

  it('every problem on the lines of the range, not only the one under the cursor; all when none touches', async () => {
    const { diagnosticsFor } = await import('../../../extension/host/panel/prompt');
    const d = (name: string, line: number) => ({ name, range: [line, 2, line, 6] as [number, number, number, number] });
    const all = [d('a', 1), d('b', 3), d('c', 4), d('far', 30)];
    expect(diagnosticsFor(all, [2, 0, 4, 9]).map((x) => x.name)).toEqual(['b', 'c']);
    expect(diagnosticsFor(all, [1, 4, 1, 4]).map((x) => x.name)).toEqual(['a']);
    expect(diagnosticsFor(all, [10, 0, 10, 0]).map((x) => x.name)).toEqual(['a', 'b', 'c', 'far']);
  });
});
