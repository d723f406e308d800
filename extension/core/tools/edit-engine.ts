/**
 * The edit engine: exact search/replace blocks applied to a text, one or many, in any order, all or nothing.
 * Pure (no I/O) so it can be tested and benchmarked alone.
 *
 * Matching, strictest first; the first strategy that finds anything decides (a unique hit applies, several hits
 * are "not unique", never a guess):
 *   1. exact substring (also with the file's line endings substituted for the search text's);
 *   2. the same with curly/straight quotes, Unicode dashes and odd spaces treated as equal (positions map 1:1);
 *   3. whole lines ignoring trailing whitespace, then ignoring indentation, then ignoring all whitespace runs;
 *   4. the same with leading/trailing blank lines of the search text dropped; JSON-escaped newlines repaired.
 * Lines the edit does not change are taken from the file byte for byte (quotes, trailing spaces, tabs); changed
 * lines are re-indented to the file's style and get the file's line ending. The BOM is handled by the caller.
 */
import { closestMatch, convertIndent, indentOf, indentUnit, lineOf, normPunct, numbered, splitLines, type Lines } from './edit-match';
import { eolOf } from './fsutil';

export interface EditBlock { oldText: string; newText: string }
export type MatchHow = 'exact' | 'line-endings' | 'punctuation' | 'trailing-whitespace' | 'indentation' | 'whitespace' | 'blank-lines' | 'unescaped';
export interface Applied { index: number; startLine: number; endLine: number; how: MatchHow }
export interface EditFailure { index: number; kind: 'empty' | 'no-op' | 'not-found' | 'not-unique' | 'overlap'; message: string; lines?: number[] }
export type ApplyOutcome = { ok: true; text: string; applied: Applied[] } | { ok: false; failures: EditFailure[] };

interface Span { start: number; end: number; replacement: string; how: MatchHow }
type Located = { kind: 'found'; span: Span } | { kind: 'multiple'; positions: number[]; lineLevel: boolean } | { kind: 'none' };

const LEVELS: Array<[MatchHow, (s: string) => string]> = [
  ['trailing-whitespace', (s) => normPunct(s).trimEnd()],
  ['indentation', (s) => normPunct(s).trim()],
  ['whitespace', (s) => normPunct(s).trim().replace(/\s+/g, ' ')],
];

class Doc {
  readonly eol: '\r\n' | '\n';
  /** New text gets the file's line endings when the file uses one style only. */
  readonly fixEol: (s: string) => string;
  readonly pureCrlf: boolean;
  private _lines?: Lines;
  private _norm?: string;
  private readonly _levels = new Map<MatchHow, string[]>();
  constructor(readonly text: string) {
    this.eol = eolOf(text);
    const pureCrlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
    this.pureCrlf = pureCrlf;
    const pureLf = !text.includes('\r\n');
    this.fixEol = pureCrlf ? (x) => x.replace(/\r?\n/g, '\r\n') : pureLf ? (x) => x.replace(/\r\n/g, '\n') : (x) => x;
  }
  get lines(): Lines { return (this._lines ??= splitLines(this.text)); }
  get norm(): string { return (this._norm ??= normPunct(this.text)); }
  level(how: MatchHow, f: (s: string) => string): string[] {
    let v = this._levels.get(how);
    if (!v) { v = this.lines.content.map(f); this._levels.set(how, v); }
    return v;
  }
}

/**
 * An empty replacement of whole lines deletes the lines, line breaks included (not leaving an empty line behind).
 * A match that starts or ends inside a line only removes the matched text.
 */
function wholeLineDelete(t: string, span: Span): Span {
  if (span.replacement !== '' || span.end <= span.start) return span;
  let { start, end } = span;
  if (!(start === 0 || t[start - 1] === '\n')) return span;
  // The match already carries a line break (at its start or its end): removing it removes whole lines.
  if (t[end - 1] === '\n' || t[start] === '\n' || t.startsWith('\r\n', start)) return span;
  if (t.startsWith('\r\n', end)) end += 2;
  else if (t[end] === '\n') end += 1;
  else if (end === t.length) { if (start > 0) start -= t[start - 2] === '\r' ? 2 : 1; }
  else return span;
  return { ...span, start, end };
}

function findAll(hay: string, needle: string, max = 11): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1 && out.length < max; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

const splitText = (s: string): string[] => { const l = s.split(/\r?\n/); if (l.length > 1 && l[l.length - 1] === '') l.pop(); return l; };

function commonPrefix(a: string[] | string, b: string[] | string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}
function commonSuffix(a: string[] | string, b: string[] | string, prefix: number): number {
  let k = 0;
  while (k < a.length - prefix && k < b.length - prefix && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

/** Straight quotes in text the model wrote -> the curly style the file uses. */
function curlQuotes(s: string, fileSample: string): string {
  const dbl = /[\u201C\u201D]/.test(fileSample);
  const sgl = /[\u2018\u2019]/.test(fileSample);
  if (!dbl && !sgl) return s;
  return s.replace(/["']/g, (q, i: number) => {
    if ((q === '"' && !dbl) || (q === "'" && !sgl)) return q;
    const prev = i > 0 ? s[i - 1] ?? '' : '';
    const opening = prev === '' || /[\s([{,=:\u2014-]/.test(prev);
    return q === '"' ? (opening ? '\u201C' : '\u201D') : (opening ? '\u2018' : '\u2019');
  });
}

/** Char-level replacement where the file slice and the search text correspond 1:1: keep unchanged parts from the file. */
function preserveChars(fileSlice: string, search: string, repl: string): string {
  const p = commonPrefix(search, repl);
  const s = commonSuffix(search, repl, p);
  const mid = curlQuotes(repl.slice(p, repl.length - s), fileSlice);
  return fileSlice.slice(0, p) + mid + fileSlice.slice(fileSlice.length - s);
}

/**
 * How to move the model's indentation onto the file's: from the first line pair whose indentation differs.
 * Same style: add or remove the missing prefix. Tabs vs spaces: convert, with the unit taken from that pair.
 */
function indentMapper(searchLines: string[], fileWin: string[], modelLines: string[], fileLines: string[]): ((line: string) => string) | undefined {
  for (let k = 0; k < searchLines.length; k++) {
    const sl = searchLines[k] ?? '';
    const fl = fileWin[k] ?? '';
    if (!sl.trim() || !fl.trim()) continue;
    const sInd = indentOf(sl);
    const fInd = indentOf(fl);
    if (sInd === fInd) continue;
    const sTabs = /^\t*$/.test(sInd);
    const fTabs = /^\t*$/.test(fInd);
    const sSp = /^ *$/.test(sInd);
    const fSp = /^ *$/.test(fInd);
    let fromU = indentUnit(modelLines);
    let toU = indentUnit(fileLines);
    const modelIndented = modelLines.some((l) => l.trim() && indentOf(l));
    const sameStyle = sInd && fInd ? (sTabs && fTabs) || (sSp && fSp) : !modelIndented || fromU.tabs === toU.tabs;
    if (sameStyle) {
      if (fInd.length > sInd.length) { const pre = fInd.slice(0, fInd.length - sInd.length); return (l) => pre + l; }
      const cut = sInd.length - fInd.length;
      const pre = sInd.slice(0, cut);
      return (l) => (l.startsWith(pre) ? l.slice(cut) : l.replace(/^[ \t]+/, ''));
    }
    if (sSp && fTabs && fInd.length && sInd.length && sInd.length % fInd.length === 0) { fromU = { tabs: false, width: sInd.length / fInd.length }; toU = { tabs: true, width: fromU.width }; }
    if (sTabs && fSp && sInd.length && fInd.length && fInd.length % sInd.length === 0) { toU = { tabs: false, width: fInd.length / sInd.length }; fromU = { tabs: true, width: toU.width }; }
    return (l) => {
      const ind = indentOf(l);
      const mapped = ind.startsWith(sInd) ? fInd + convertIndent(ind.slice(sInd.length), fromU, toU) : convertIndent(ind, fromU, toU);
      return mapped + l.slice(ind.length);
    };
  }
  return undefined;
}

/**
 * Re-indent only the lines that need it: a new line takes the file's indentation of the search line at the same
 * level (the same position when one model level maps to several file levels), or extends the closest level it
 * is deeper than. Lines whose level the file already shares stay as they are. Without any level to go by, the
 * whole-block mapping (indentMapper) applies.
 */
function levelMapper(searchLines: string[], fileWin: string[], modelLines: string[], fileLines: string[]): ((line: string, k: number) => string) | undefined {
  const pairs: Array<{ k: number; s: string; f: string }> = [];
  for (let k = 0; k < searchLines.length; k++) {
    const sl = searchLines[k] ?? '';
    const fl = fileWin[k] ?? '';
    if (sl.trim() && fl.trim()) pairs.push({ k, s: indentOf(sl), f: indentOf(fl) });
  }
  if (pairs.every((p) => p.s === p.f)) return undefined;
  const whole = indentMapper(searchLines, fileWin, modelLines, fileLines);
  const fromU = indentUnit(modelLines);
  const toU = indentUnit(fileLines);
  const nearest = (ps: typeof pairs, k: number) => [...ps].sort((a, b) => Math.abs(a.k - k) - Math.abs(b.k - k))[0]!;
  return (line, k) => {
    const ind = indentOf(line);
    const same = pairs.filter((p) => p.s === ind);
    if (same.length) {
      const targets = new Set(same.map((p) => p.f));
      const pick = targets.size === 1 ? same[0]! : (same.find((p) => p.k === k) ?? nearest(same, k));
      return pick.f + line.slice(ind.length);
    }
    const under = pairs.filter((p) => p.s.length < ind.length && ind.startsWith(p.s));
    if (under.length) {
      const deepest = Math.max(...under.map((p) => p.s.length));
      const base = nearest(under.filter((p) => p.s.length === deepest), k);
      return base.f + convertIndent(ind.slice(base.s.length), fromU, toU) + line.slice(ind.length);
    }
    return whole ? whole(line) : line;
  };
}

function lineSpan(doc: Doc, i: number, m: number, searchLines: string[], newText: string, how: MatchHow, oldEndsNl: boolean): Span {
  const L = doc.lines;
  const fileWin = L.content.slice(i, i + m);
  // A trailing newline of the new text is a line terminator only when the search text ended with one too.
  const repl = newText === '' ? [] : oldEndsNl ? splitText(newText) : newText.split(/\r?\n/);
  const p = commonPrefix(searchLines, repl);
  const s = commonSuffix(searchLines, repl, p);
  const reindent = levelMapper(searchLines, fileWin, [...searchLines, ...repl], L.content.slice(Math.max(0, i - 100), i + m + 100));
  const sample = fileWin.join('\n');
  const out: string[] = [];
  for (let k = 0; k < repl.length; k++) {
    if (k < p) { out.push(fileWin[k] ?? ''); continue; }
    if (k >= repl.length - s) { out.push(fileWin[m - (repl.length - k)] ?? ''); continue; }
    const line = curlQuotes(repl[k] ?? '', sample);
    out.push(reindent && line.trim() ? reindent(line, k) : line);
  }
  const eol = L.term[i] || doc.eol;
  const lastTerm = L.term[i + m - 1] ?? '';
  let start = L.start[i] ?? 0;
  const end = (L.start[i + m - 1] ?? 0) + (L.content[i + m - 1] ?? '').length + lastTerm.length;
  if (out.length === 0) {
    if (lastTerm === '' && i > 0) start -= (L.term[i - 1] ?? '').length;
    return { start, end, replacement: '', how };
  }
  return { start, end, replacement: out.map((l, k) => l + (k === out.length - 1 ? lastTerm : eol)).join(''), how };
}

function matchLines(doc: Doc, searchLines: string[], newText: string, how: MatchHow, f: (s: string) => string, oldEndsNl: boolean): Located {
  const ns = searchLines.map(f);
  if (ns.every((x) => x === '')) return { kind: 'none' };
  const nf = doc.level(how, f);
  const m = ns.length;
  const hits: number[] = [];
  for (let i = 0; i + m <= nf.length && hits.length < 11; i++) {
    if (nf[i] !== ns[0]) continue;
    let k = 1;
    while (k < m && nf[i + k] === ns[k]) k++;
    if (k === m) hits.push(i);
  }
  if (hits.length === 1) return { kind: 'found', span: lineSpan(doc, hits[0] ?? 0, m, searchLines, newText, how, oldEndsNl) };
  if (hits.length > 1) return { kind: 'multiple', positions: hits, lineLevel: true };
  return { kind: 'none' };
}

function locate(doc: Doc, b: EditBlock, allowRepair = true): Located {
  const cands: Array<[string, string, MatchHow]> = [];
  // In a file that uses CRLF only, a bare \n in the search text could only match inside a CRLF pair.
  if (!(doc.pureCrlf && /(^|[^\r])\n/.test(b.oldText))) cands.push([b.oldText, b.newText, 'exact']);
  if (doc.eol === '\r\n' && /(^|[^\r])\n/.test(b.oldText)) {
    cands.push([b.oldText.replace(/\r?\n/g, '\r\n'), b.newText.replace(/\r?\n/g, '\r\n'), 'line-endings']);
  } else if (doc.eol === '\n' && b.oldText.includes('\r\n')) {
    cands.push([b.oldText.replace(/\r\n/g, '\n'), b.newText.replace(/\r\n/g, '\n'), 'line-endings']);
  }
  for (const [s, r, how] of cands) {
    const pos = findAll(doc.text, s);
    if (pos.length === 1) return { kind: 'found', span: wholeLineDelete(doc.text, { start: pos[0] ?? 0, end: (pos[0] ?? 0) + s.length, replacement: doc.fixEol(r), how }) };
    if (pos.length > 1) return { kind: 'multiple', positions: pos, lineLevel: false };
  }
  const [s, r] = cands[cands.length - 1] ?? [b.oldText, b.newText];
  const ns = normPunct(s);
  if (ns !== s || doc.norm !== doc.text) {
    const pos = findAll(doc.norm, ns);
    if (pos.length === 1) {
      const at = pos[0] ?? 0;
      return { kind: 'found', span: wholeLineDelete(doc.text, { start: at, end: at + s.length, replacement: preserveChars(doc.text.slice(at, at + s.length), s, doc.fixEol(r)), how: 'punctuation' }) };
    }
    if (pos.length > 1) return { kind: 'multiple', positions: pos, lineLevel: false };
  }
  const searchLines = splitText(b.oldText);
  for (const [how, f] of LEVELS) {
    const got = matchLines(doc, searchLines, b.newText, how, f, /\n$/.test(b.oldText));
    if (got.kind !== 'none') return got;
  }
  let lo = 0;
  let hi = searchLines.length;
  while (lo < hi && !(searchLines[lo] ?? '').trim()) lo++;
  while (hi > lo && !(searchLines[hi - 1] ?? '').trim()) hi--;
  if ((lo > 0 || hi < searchLines.length) && hi > lo) {
    const rl = splitText(b.newText);
    let rlo = 0;
    let rhi = rl.length;
    while (rlo < rhi && !(rl[rlo] ?? '').trim()) rlo++;
    while (rhi > rlo && !(rl[rhi - 1] ?? '').trim()) rhi--;
    const [how, f] = LEVELS[1] ?? LEVELS[0]!;
    const got = matchLines(doc, searchLines.slice(lo, hi), rl.slice(rlo, rhi).join('\n'), how, f, true);
    if (got.kind === 'found') got.span.how = 'blank-lines';
    if (got.kind !== 'none') return got;
  }
  if (allowRepair && !b.oldText.includes('\n') && /\\[nt"]/.test(b.oldText)) {
    const un = (x: string) => x.replace(/\\r\\n|\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    const got = locate(doc, { oldText: un(b.oldText), newText: un(b.newText) }, false);
    if (got.kind === 'found') got.span.how = 'unescaped';
    return got;
  }
  return { kind: 'none' };
}

function describeMultiple(doc: Doc, index: number, loc: Extract<Located, { kind: 'multiple' }>): EditFailure {
  const lines = loc.lineLevel ? loc.positions.map((p) => p + 1) : loc.positions.map((p) => lineOf(doc.lines, p));
  const more = loc.positions.length > 10 ? ' and more' : '';
  return {
    index, kind: 'not-unique', lines,
    message: `Edit ${index + 1}: the search text is not unique: it matches ${loc.positions.length > 10 ? 'more than 10' : loc.positions.length} places (lines ${lines.slice(0, 10).join(', ')}${more}). Include more surrounding lines so that it matches exactly one place.`,
  };
}

function describeMissing(doc: Doc, index: number, b: EditBlock): EditFailure {
  const c = closestMatch(doc.lines, splitText(b.oldText));
  if (!c) return { index, kind: 'not-found', message: `Edit ${index + 1}: the search text was not found in the file, and nothing in it looks similar. Re-read the file and copy the text exactly.` };
  const from = Math.max(1, c.startLine - 2);
  const to = Math.min(c.endLine + 2, from + 39);
  return {
    index, kind: 'not-found', lines: [c.startLine],
    message: `Edit ${index + 1}: the search text was not found in the file. The closest match (${Math.round(c.similarity * 100)}% similar) is at lines ${c.startLine}-${c.endLine}:\n${numbered(doc.lines, from, to)}\nCopy the search text exactly from the current file (whitespace included), then retry.`,
  };
}

/** Apply search/replace blocks to `text`. All apply, or nothing does (the outcome then explains each failure). */
export function applyEdits(text: string, blocks: EditBlock[]): ApplyOutcome {
  const failures: EditFailure[] = [];
  blocks.forEach((b, i) => {
    if (b.oldText === '') failures.push({ index: i, kind: 'empty', message: `Edit ${i + 1}: the search text is empty. To create a file use write_file; to add text, include a nearby existing line in the search text.` });
    else if (b.oldText === b.newText) failures.push({ index: i, kind: 'no-op', message: `Edit ${i + 1}: the search and replace texts are identical; nothing would change.` });
  });
  if (failures.length) return { ok: false, failures };
  const doc = new Doc(text);
  const located = blocks.map((b) => locate(doc, b));
  located.forEach((l, i) => { if (l.kind === 'multiple') failures.push(describeMultiple(doc, i, l)); });
  if (failures.length) return { ok: false, failures };
  if (located.every((l) => l.kind === 'found')) {
    const spans = located.map((l, index) => ({ index, span: (l as Extract<Located, { kind: 'found' }>).span }));
    const sorted = [...spans].sort((a, b) => a.span.start - b.span.start);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.span.start < prev.span.end) {
        return { ok: false, failures: [{ index: cur.index, kind: 'overlap', message: `Edits ${prev.index + 1} and ${cur.index + 1} change overlapping text (line ${lineOf(doc.lines, cur.span.start)}). Merge them into one edit.` }] };
      }
    }
    let out = text;
    for (const { span } of [...sorted].reverse()) out = out.slice(0, span.start) + span.replacement + out.slice(span.end);
    const applied = spans.map(({ index, span }) => ({ index, startLine: lineOf(doc.lines, span.start), endLine: lineOf(doc.lines, Math.max(span.start, span.end - 1)), how: span.how }));
    return { ok: true, text: out, applied };
  }
  // Some block depends on another one's result: apply in passes, any order, until nothing more applies.
  let cur = new Doc(text);
  const pending = new Set(blocks.map((_, i) => i));
  const applied: Applied[] = [];
  for (let progress = true; progress && pending.size;) {
    progress = false;
    for (const i of [...pending]) {
      const l = locate(cur, blocks[i]!);
      if (l.kind === 'multiple') return { ok: false, failures: [describeMultiple(cur, i, l)] };
      if (l.kind !== 'found') continue;
      applied.push({ index: i, startLine: lineOf(cur.lines, l.span.start), endLine: lineOf(cur.lines, Math.max(l.span.start, l.span.end - 1)), how: l.span.how });
      cur = new Doc(cur.text.slice(0, l.span.start) + l.span.replacement + cur.text.slice(l.span.end));
      pending.delete(i);
      progress = true;
    }
  }
  if (pending.size) return { ok: false, failures: [...pending].map((i) => describeMissing(doc, i, blocks[i]!)) };
  return { ok: true, text: cur.text, applied };
}
