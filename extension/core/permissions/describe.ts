/**
 * describeForApproval: show a command exactly as it will run, with everything a user could miss made visible:
 * zero-width and bidi characters, ANSI escapes and other control characters, \r, tabs, odd spaces, look-alike
 * quotes, long whitespace runs, and a first line that is only a comment.
 */
export interface ApprovalText { text: string; warnings: string[]; suspicious: boolean }

const NAMED: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\x1b': '\\e', '\0': '\\0', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\x7f': '\\x7f' };
const hex = (c: string) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
const INVISIBLE_RANGES: Array<[number, number]> = [
  [0xad, 0xad], [0x34f, 0x34f], [0x61c, 0x61c], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180e, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e],
  [0x2060, 0x2064], [0x2066, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff9, 0xfffb], [0xe0000, 0xe01ef],
];
const isInvisible = (code: number) => INVISIBLE_RANGES.some(([a, b]) => code >= a && code <= b);
const SPACES = /[\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;
const LOOKALIKE = /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u2032\u2033\uFF02\uFF07\u02BC\u02B9\u2010-\u2015\u2212\uFF0D\uFF1B\uFF5C\u037E]/;

export function describeForApproval(command: string): ApprovalText {
  const warnings = new Set<string>();
  let out = '';
  for (const ch of command) {
    if (ch === '\n') { out += '\u21B5\n'; continue; }
    if (NAMED[ch]) { out += NAMED[ch]; warnings.add(ch === '\t' ? 'tab characters' : ch === '\r' ? 'carriage return (\\r) can hide text' : ch === '\x1b' ? 'ANSI escape sequence' : 'control characters'); continue; }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x80 && code < 0xa0)) { out += hex(ch); warnings.add('control characters'); continue; }
    if (isInvisible(code)) { out += hex(ch); warnings.add(/[\u202A-\u202E\u2066-\u2069\u061C\u200E\u200F]/.test(ch) ? 'bidirectional override characters (text may display in a different order than it runs)' : 'invisible (zero-width) characters'); continue; }
    if (SPACES.test(ch)) { out += hex(ch); warnings.add('unusual space characters'); continue; }
    if (LOOKALIKE.test(ch)) { out += `${ch}${hex(ch)}`; warnings.add('look-alike quote or dash characters'); continue; }
    out += ch;
  }
  out = out.replace(/ {8,}/g, (m) => `\u2423\u00D7${m.length} `);
  if (/\u2423\u00D7/.test(out)) warnings.add('long runs of spaces (padding can push text out of view)');
  const lines = command.split('\n');
  if (lines.length > 1) {
    warnings.add(`the command has ${lines.length} lines`);
    if (/^\s*#/.test(lines[0] ?? '')) warnings.add('the first line is a comment; the command continues on the next lines');
  }
  return { text: out, warnings: [...warnings], suspicious: warnings.size > 0 };
}
