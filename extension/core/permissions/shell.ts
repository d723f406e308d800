/**
 * A conservative POSIX-shell reader for permission checks. It splits a command line on `&&`, `||`, `;`, `|`, `&`
 * and newlines into segments of words (quotes and escapes removed), and records every construct that can hide or
 * redirect execution as a "risk": command/process substitution, backticks, variable and parameter expansion,
 * redirections (except to /dev/null and fd duplication like 2>&1), here-documents, grouping, control keywords,
 * leading assignments, background jobs, invisible characters. A risk forces a prompt. It never executes anything.
 */

export interface Segment {
  words: string[];
  /** The words joined by single spaces (what rules match against). */
  text: string;
}

export interface ParsedShell {
  segments: Segment[];
  risks: string[];
  /** One segment of plain words that a shell would pass through unchanged: safe to run as argv without a shell. */
  simple: boolean;
}

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFF9-\uFFFB]/;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', 'coproc', '[[', ']]', '!', '{', '}']);
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export function parseShell(cmd: string): ParsedShell {
  const risks = new Set<string>();
  const segments: Segment[] = [];
  let words: string[] = [];
  let cur: string | null = null;
  let plain = true; // no globs, tildes or escapes that a shell would treat specially
  let redirect: string | null = null;
  let ops = 0;
  // Positions of words whose first characters were unquoted (for assignment detection).
  let curQuotedStart = false;
  const assignOk: boolean[] = [];

  if (INVISIBLE.test(cmd)) risks.add('invisible or control characters');
  if (/\r/.test(cmd)) risks.add('carriage return');

  const endWord = () => {
    if (cur === null) return;
    if (redirect !== null) {
      const toNull = cur === '/dev/null' && redirect !== '<';
      if (!toNull) risks.add(`redirection (${redirect} ${cur})`);
      redirect = null;
    } else {
      words.push(cur);
      assignOk.push(!curQuotedStart);
    }
    cur = null;
    curQuotedStart = false;
  };
  const endSegment = () => {
    endWord();
    if (redirect !== null) { risks.add(`redirection (${redirect})`); redirect = null; }
    if (words.length) {
      let k = 0;
      while (k < words.length && assignOk[k] && ASSIGN.test(words[k] ?? '')) k++;
      if (k > 0) risks.add(`variable assignment (${(words[0] ?? '').split('=')[0]}=...)`);
      const first = words[k];
      if (first !== undefined && KEYWORDS.has(first)) risks.add(`shell syntax (${first})`);
      if (first !== undefined && /^=/.test(first)) risks.add('zsh = expansion');
      segments.push({ words: words.slice(k), text: words.slice(k).join(' ') });
    }
    words = [];
    assignOk.length = 0;
  };
  const dollar = (next: string | undefined, next2: string | undefined) => {
    if (next === '(') risks.add(next2 === '(' ? 'arithmetic expansion $((...))' : 'command substitution $(...)');
    else if (next === '{') risks.add('parameter expansion ${...}');
    else if (next === "'") risks.add("ANSI-C quoting $'...'");
    else if (next === '"') risks.add('locale quoting $"..."');
    else if (next !== undefined && /[A-Za-z_0-9@*#?$!-]/.test(next)) risks.add('variable expansion ($...)');
    else return false;
    return true;
  };

  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i] ?? '';
    const n = cmd[i + 1];
    if (c === ' ' || c === '\t' || c === '\r') { endWord(); continue; }
    if (c === '\n') { endSegment(); ops++; continue; }
    if (c === '\\') {
      if (n === '\n') { i++; continue; }
      cur = (cur ?? '') + (n ?? '');
      plain = false;
      i++;
      continue;
    }
    if (c === "'") {
      if (cur === null) curQuotedStart = true;
      const j = cmd.indexOf("'", i + 1);
      if (j === -1) { risks.add('unterminated quote'); cur = (cur ?? '') + cmd.slice(i + 1); i = cmd.length; continue; }
      cur = (cur ?? '') + cmd.slice(i + 1, j);
      i = j;
      continue;
    }
    if (c === '"') {
      if (cur === null) curQuotedStart = true;
      let s = '';
      let j = i + 1;
      for (; j < cmd.length && cmd[j] !== '"'; j++) {
        const d = cmd[j];
        if (d === '\\' && j + 1 < cmd.length && '$`"\\\n'.includes(cmd[j + 1] ?? '')) { s += cmd[j + 1] === '\n' ? '' : cmd[j + 1]; j++; continue; }
        if (d === '$') dollar(cmd[j + 1], cmd[j + 2]);
        if (d === '`') risks.add('backticks `...`');
        s += d;
      }
      if (j >= cmd.length) risks.add('unterminated quote');
      cur = (cur ?? '') + s;
      i = j;
      continue;
    }
    if (c === '$') {
      if (dollar(n, cmd[i + 2])) plain = false;
      cur = (cur ?? '') + c;
      continue;
    }
    if (c === '`') { risks.add('backticks `...`'); cur = (cur ?? '') + c; plain = false; continue; }
    if (c === '<' || c === '>') {
      if ((c === '<' || c === '>') && n === '(') { risks.add('process substitution <(...)'); endWord(); continue; }
      const fd = cur !== null && /^\d+$/.test(cur) ? cur : '';
      if (fd) cur = null; else endWord();
      if (c === '>' && n === '&' && /[\d-]/.test(cmd[i + 2] ?? '')) { i += 2; plain = false; continue; } // 2>&1, >&-
      if (c === '<' && n === '<') { risks.add(cmd[i + 2] === '<' ? 'here-string <<<' : 'here-document <<'); i += cmd[i + 2] === '<' ? 2 : 1; continue; }
      let op: string = c;
      if (n === '>' || n === '|' || (c === '<' && n === '>')) { op += n; i++; }
      if (c === '<' && n === '&') { op += '&'; i++; }
      redirect = fd + op;
      plain = false;
      continue;
    }
    if (c === '&') {
      if (n === '&') { endSegment(); ops++; i++; continue; }
      if (n === '>') { endWord(); redirect = '&>'; if (cmd[i + 2] === '>') { redirect = '&>>'; i++; } i++; plain = false; continue; }
      risks.add('background job (&)');
      endSegment(); ops++;
      continue;
    }
    if (c === '|') { endSegment(); ops++; if (n === '|' || n === '&') i++; continue; }
    if (c === ';') { if (n === ';') risks.add('case syntax (;;)'); endSegment(); ops++; continue; }
    if (c === '(' || c === ')') { risks.add('subshell or grouping ( )'); endWord(); continue; }
    if (c === '#' && cur === null) { const j = cmd.indexOf('\n', i); i = j === -1 ? cmd.length : j - 1; continue; }
    if ((c === '*' || c === '?' || c === '[' || c === '{') || (c === '~' && cur === null)) plain = false;
    cur = (cur ?? '') + c;
  }
  endSegment();
  if (segments.length > 50) risks.add(`too many subcommands (${segments.length})`);
  return { segments, risks: [...risks], simple: plain && ops === 0 && segments.length === 1 && risks.size === 0 };
}
