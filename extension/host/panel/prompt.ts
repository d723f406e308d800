/** The text of a "Fix with Cairn" / "Explain with Cairn" / "Add to Cairn chat" turn. Pure: tested without VS Code. */

export interface CodeContext {
  /** Workspace-relative path (or the file name when outside the workspace). */
  path: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  code: string;
}

export interface DiagnosticInfo {
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** 1-based. */
  line: number;
  column: number;
  source?: string;
  code?: string;
}

/** A plain, 0-based range: [startLine, startCharacter, endLine, endCharacter]. */
export type PlainRange = [number, number, number, number];

/**
 * The lines to quote (0-based, inclusive) around `range`, `pad` lines each side, inside the document. The empty
 * line after a final newline is not a line of the file: a 4-line file ending in a newline is quoted as lines 1–4.
 */
export function excerptLines(range: PlainRange, lineCount: number, lastLineEmpty: boolean, pad: number): { start: number; end: number } {
  const last = lastLineEmpty && lineCount > 1 ? lineCount - 2 : lineCount - 1;
  const start = Math.min(Math.max(0, range[0] - pad), last);
  const end = Math.max(start, Math.min(last, range[2] + pad));
  return { start, end };
}

/**
 * The diagnostics a fix should address: every one that overlaps the lines of `range` (a selection or the
 * lightbulb's range), not just the one under the cursor; all of them when none does.
 */
export function diagnosticsFor<D extends { range: PlainRange }>(all: readonly D[], range: PlainRange): D[] {
  const touching = all.filter((d) => d.range[0] <= range[2] && d.range[2] >= range[0]);
  return touching.length ? touching : [...all];
}

/** Longest code excerpt quoted into a prompt (the whole file is attached separately). */
export const MAX_EXCERPT_CHARS = 12_000;
const MAX_DIAGNOSTICS = 20;

function fence(code: string): string {
  let ticks = '```';
  while (code.includes(ticks)) ticks += '`';
  return ticks;
}

export function quoteCode(c: CodeContext): string {
  const code = c.code.length > MAX_EXCERPT_CHARS ? `${c.code.slice(0, MAX_EXCERPT_CHARS)}\n… (cut)` : c.code;
  const f = fence(code);
  const lines = c.startLine === c.endLine ? `line ${c.startLine}` : `lines ${c.startLine}–${c.endLine}`;
  return `\`${c.path}\`, ${lines}:\n${f}${c.languageId}\n${code}\n${f}`;
}

export function diagnosticLine(d: DiagnosticInfo): string {
  const tag = [d.source, d.code].filter(Boolean).join(' ');
  return `- ${d.severity}${tag ? ` (${tag})` : ''} at line ${d.line}, column ${d.column}: ${d.message}`;
}

export function fixPrompt(c: CodeContext, diagnostics: DiagnosticInfo[]): string {
  const list = diagnostics.slice(0, MAX_DIAGNOSTICS).map(diagnosticLine);
  if (diagnostics.length > MAX_DIAGNOSTICS) list.push(`- … and ${diagnostics.length - MAX_DIAGNOSTICS} more`);
  return [
    `Fix ${diagnostics.length === 1 ? 'this problem' : 'these problems'} in ${quoteCode(c)}`,
    '',
    'Problems reported by the editor:',
    ...list,
    '',
    'Find the cause (the whole file is attached), then make the smallest change that fixes it with the edit tools, so I can review the diff. Do not change unrelated code.',
  ].join('\n');
}

export function explainPrompt(c: CodeContext): string {
  return `Explain this code from ${quoteCode(c)}\n\nWhat does it do, how does it fit into the file (attached), and is there anything surprising or risky in it? Do not change any files.`;
}

export function addToChatText(c: CodeContext): string {
  return `${quoteCode(c)}\n`;
}
