/**
 * Matching helpers for the edit engine: punctuation normalization (length-preserving, so positions map 1:1),
 * line splitting with terminators, indentation re-mapping, and the closest-match search for failure messages.
 */

/** Curly quotes, primes, Unicode dashes and odd spaces -> ASCII. One char in, one char out (positions map 1:1). */
const PUNCT: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u00B4': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u00A0': ' ', '\u2007': ' ', '\u202F': ' ', '\u2009': ' ', '\u200A': ' ', '\u3000': ' ',
};
const PUNCT_RE = /[\u2018\u2019\u201A\u201B\u2032\u00B4\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2010-\u2015\u2212\u00A0\u2007\u202F\u2009\u200A\u3000]/g;

export function normPunct(s: string): string {
  return s.replace(PUNCT_RE, (c) => PUNCT[c] ?? c);
}

export interface Lines { content: string[]; term: string[]; start: number[] }

/** Split keeping each line's terminator ('\n', '\r\n', or '' for an unterminated last line). */
export function splitLines(text: string): Lines {
  const content: string[] = [];
  const term: string[] = [];
  const start: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    start.push(pos);
    if (nl === -1) { content.push(text.slice(pos)); term.push(''); pos = text.length; break; }
    const cr = nl > pos && text.charCodeAt(nl - 1) === 13;
    content.push(text.slice(pos, cr ? nl - 1 : nl));
    term.push(cr ? '\r\n' : '\n');
    pos = nl + 1;
  }
  return { content, term, start };
}

/** 1-based line number of a character offset. */
export function lineOf(lines: Lines, offset: number): number {
  let lo = 0;
  let hi = lines.start.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines.start[mid] ?? 0) <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

export const indentOf = (s: string): string => /^[ \t]*/.exec(s)?.[0] ?? '';

/** The indentation unit of a set of lines: '\t' when tabs dominate, else the smallest common space step. */
export function indentUnit(lines: string[]): { tabs: boolean; width: number } {
  let tabs = 0;
  let spaces = 0;
  const widths = new Set<number>();
  for (const l of lines) {
    const ind = indentOf(l);
    if (!ind || ind.length === l.length) continue;
    if (ind.includes('\t')) tabs++; else { spaces++; widths.add(ind.length); }
  }
  if (tabs > spaces) return { tabs: true, width: 4 };
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let width = 0;
  for (const w of widths) width = gcd(w, width);
  if (width === 0) width = 4;
  return { tabs: false, width: Math.max(1, Math.min(width, 8)) };
}

/** Re-express an indentation string from one style in another. */
export function convertIndent(ind: string, from: { tabs: boolean; width: number }, to: { tabs: boolean; width: number }): string {
  if (from.tabs === to.tabs && !(to.tabs ? / /.test(ind) : /\t/.test(ind))) return ind;
  from = { ...from, width: Math.max(1, from.width) };
  to = { ...to, width: Math.max(1, to.width) };
  let cols = 0;
  for (const ch of ind) cols += ch === '\t' ? from.width : 1;
  const levels = Math.floor(cols / from.width);
  const rest = cols % from.width;
  return to.tabs ? '\t'.repeat(levels) + ' '.repeat(rest) : ' '.repeat(levels * to.width + rest);
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) { const g = s.slice(i, i + 2); m.set(g, (m.get(g) ?? 0) + 1); }
  return m;
}

/** Dice coefficient over character bigrams (0..1). */
export function dice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const A = bigrams(a);
  const B = bigrams(b);
  let inter = 0;
  for (const [g, n] of A) inter += Math.min(n, B.get(g) ?? 0);
  return (2 * inter) / (a.length - 1 + b.length - 1);
}

export interface Closest { startLine: number; endLine: number; similarity: number }

/**
 * The file window most like the search text (1-based lines). Bounded work: exact line hits pick candidate
 * windows; without any, the first distinctive search lines are compared to every file line by bigram similarity.
 */
export function closestMatch(file: Lines, searchLines: string[]): Closest | undefined {
  const n = file.content.length;
  const m = Math.max(1, searchLines.length);
  if (n === 0) return undefined;
  const want = new Map<string, number[]>();
  searchLines.forEach((l, k) => { const t = normPunct(l).trim(); if (t.length > 2) (want.get(t) ?? want.set(t, []).get(t)!).push(k); });
  const votes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ks = want.get(normPunct(file.content[i] ?? '').trim());
    if (!ks) continue;
    for (const k of ks) { const s = i - k; if (s > -m && s < n) votes.set(s, (votes.get(s) ?? 0) + 1); }
  }
  let starts = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([s]) => s);
  if (starts.length === 0) {
    const probes = searchLines.map((l, k) => [normPunct(l).trim(), k] as const).filter(([t]) => t.length > 3).slice(0, 3);
    let best = { s: 0, score: 0 };
    for (const [t, k] of probes) {
      for (let i = 0; i < n; i++) {
        const line = (file.content[i] ?? '').trim();
        if (Math.abs(line.length - t.length) > Math.max(t.length, 8)) continue;
        const sc = dice(t, normPunct(line));
        if (sc > best.score) best = { s: i - k, score: sc };
      }
    }
    if (best.score < 0.3) return undefined;
    starts = [best.s];
  }
  const target = searchLines.map((l) => normPunct(l).trim()).join('\n');
  let best: Closest | undefined;
  for (const s0 of starts) {
    const s = Math.max(0, Math.min(s0, n - 1));
    const e = Math.min(n, s + m);
    const sim = dice(target, file.content.slice(s, e).map((l) => normPunct(l).trim()).join('\n'));
    if (!best || sim > best.similarity) best = { startLine: s + 1, endLine: e, similarity: sim };
  }
  return best;
}

/** `cat -n` style excerpt of lines [from, to] (1-based, inclusive). */
export function numbered(file: Lines, from: number, to: number): string {
  const out: string[] = [];
  const lo = Math.max(1, from);
  const hi = Math.min(file.content.length, to);
  const w = String(hi).length;
  for (let i = lo; i <= hi; i++) out.push(`${String(i).padStart(w)}\t${file.content[i - 1] ?? ''}`);
  return out.join('\n');
}
