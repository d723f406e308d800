/**
 * One command line, read and classified for the engine: its segments (every simple command anywhere in the
 * shell tree) with their classification, the risks, the words the shell expands as patterns, and every text a
 * deny/ask/allow rule must be matched against: the line, each segment, the command every wrapper runs
 * (env/sudo/timeout/xargs/find -exec ...) and every command inside a static `sh -c` / `bash -c` / `eval` string,
 * recursively.
 */
import { classify, type Classified } from './commands';
import { parseShell, shellString, type Segment } from './shell';

export interface JudgedSegment { seg: Segment; c: Classified }
export interface JudgedLine { segs: JudgedSegment[]; risks: string[]; texts: string[]; patterns: Set<string> }

const MAX_DEPTH = 8;

export function judgeLine(cmd: string): JudgedLine {
  const parsed = parseShell(cmd);
  const risks = [...parsed.risks];
  const texts = [cmd, ...(parsed.roughTexts ?? [])];
  const patterns = new Set<string>();
  const seen = new Set<string>();
  const addTexts = (words: string[], depth: number, seg?: Segment): void => {
    const text = words.join(' ');
    if (depth > MAX_DEPTH || seen.has(`${depth}\0${text}`)) return;
    seen.add(`${depth}\0${text}`);
    texts.push(text);
    const script = seg ? shellString(seg) : undefined;
    if (script !== undefined) { for (const s of parseShell(script).segments) addTexts(s.words, depth + 1, s); return; }
    const c = classify(words);
    const inner = c.inner;
    if (!inner || !inner.length) return;
    if (inner.length === 1 && /\s|;|&|\|/.test(inner[0] ?? '')) { for (const s of parseShell(inner[0] ?? '').segments) addTexts(s.words, depth + 1, s); return; }
    for (let j = 1; j < inner.length; j++) texts.push(inner.slice(j).join(' '));
    addTexts(inner, depth + 1, { words: inner, text: inner.join(' '), argv: inner.map((value) => ({ value, dynamic: false, pattern: false, tilde: false, escaped: false })), nested: true });
  };
  const segs = parsed.segments.map((seg) => {
    const c = classify(seg.words);
    risks.push(...c.risks);
    for (const w of seg.argv) if (w.pattern && !w.dynamic) patterns.add(w.value);
    addTexts(seg.words, 0, seg);
    return { seg, c };
  });
  return { segs, risks: [...new Set(risks)], texts, patterns };
}
