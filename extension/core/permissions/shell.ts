/**
 * Reads a command line with the bash grammar (tree-sitter, see bash-grammar.ts) for permission checks. It finds
 * every simple command anywhere in the tree (lists, pipelines, `$(...)`, backticks, `<(...)`, here-document
 * bodies, conditions and loop bodies), with its words as the shell would pass them when they are static (quotes
 * and escapes removed), and records every construct that can hide or redirect execution as a "risk":
 * substitutions, variable and parameter expansion, redirections (except to /dev/null and fd duplication like
 * 2>&1), here-documents, grouping and control syntax, assignments, background jobs, syntax errors, invisible
 * characters. A risk forces a prompt. Nothing here executes anything.
 *
 * `sh -c '...'`, `bash -c "..."` and `eval ...` strings are parsed too (shellStrings), so a deny rule sees the
 * commands inside them.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { bashParser, grammarProblem } from './bash-grammar';

export interface Word {
  /** The word as the shell passes it (quotes and escapes removed). Meaningless when `dynamic`. */
  value: string;
  /** Contains an expansion or substitution: its value is only known at run time. */
  dynamic: boolean;
  /** Unquoted glob characters (* ? [) or brace expansion ({a,b}, {1..3}): the shell expands it to file names. */
  pattern: boolean;
  /** Starts with an unquoted ~ (the shell puts the home folder there). */
  tilde: boolean;
  /** Has an unquoted backslash escape. */
  escaped: boolean;
}

export interface Segment {
  words: string[];
  /** The words joined by single spaces (what rules match against). */
  text: string;
  argv: Word[];
  /** Found inside a substitution, here-document or control structure rather than at the top level. */
  nested: boolean;
}

export interface ParsedShell {
  segments: Segment[];
  risks: string[];
  /** One segment of plain words that a shell would pass through unchanged: safe to run as argv without a shell. */
  simple: boolean;
  /**
   * When the line does not parse cleanly, the pieces between shell operators, as a coarse second reading:
   * deny and ask rules are matched against them too, so a parse error cannot hide a denied command.
   */
  roughTexts?: string[];
}

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFF9-\uFFFB]/;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', 'coproc', '[[', ']]', '!', '{', '}']);
/** Shell builtins: they cannot run as a program, so a command line naming one is never run without a shell. */
const BUILTINS = new Set(['eval', 'exec', 'cd', 'export', 'source', '.', 'set', 'unset', 'alias', 'trap', 'read', 'local', 'declare', 'typeset', 'readonly', 'shift', 'return', 'exit', 'builtin', 'command', 'type', 'hash', 'ulimit', 'umask', 'wait', 'jobs', 'fg', 'bg', 'disown', 'history', 'shopt', 'enable', 'let', 'getopts', 'pushd', 'popd', 'dirs', 'caller', 'complete', 'times', 'suspend', 'logout', 'mapfile', 'readarray']);
const MAX_SEGMENTS = 50;
const SYNTAX: Record<string, string> = {
  subshell: 'subshell or grouping ( )', compound_statement: 'grouping { }', if_statement: 'shell syntax (if)', while_statement: 'shell syntax (while)',
  for_statement: 'shell syntax (for)', c_style_for_statement: 'shell syntax (for)', case_statement: 'shell syntax (case)', function_definition: 'shell syntax (function)',
  negated_command: 'shell syntax (!)', declaration_command: 'shell syntax (declare/export)', unset_command: 'shell syntax (unset)',
};

/** Decode the backslash escapes of an unquoted word; note unquoted glob characters and a leading tilde. */
function unquotedWord(raw: string, first: boolean): Word {
  let value = '';
  let pattern = false;
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c === '\\') {
      escaped = true;
      if (raw[i + 1] === '\n') { i++; continue; }
      value += raw[i + 1] ?? '';
      i++;
      continue;
    }
    if (c === '*' || c === '?' || c === '[') pattern = true;
    value += c;
  }
  return { value, dynamic: false, pattern, tilde: first && raw.startsWith('~'), escaped };
}

/** Decode the inside of a double-quoted string (only \$ \` \" \\ and \newline are escapes there). */
function doubleQuoted(inner: string): string {
  return inner.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

class Reader {
  segments: Segment[] = [];
  risks = new Set<string>();
  private depth = 0;
  constructor(private readonly parser: Parser) {}

  risk(r: string): void { this.risks.add(r); }

  /** Evaluate one argument node into a word, visiting any substitutions in it. */
  word(n: Node, first = true): Word {
    switch (n.type) {
      case 'word': return unquotedWord(n.text, first);
      case 'number': return { value: n.text, dynamic: false, pattern: false, tilde: false, escaped: false };
      case 'raw_string': return { value: n.text.slice(1, -1), dynamic: false, pattern: false, tilde: false, escaped: false };
      case 'string': {
        let dynamic = false;
        for (const c of n.namedChildren) if (c.type !== 'string_content') { dynamic = true; this.visit(c, true); }
        return { value: doubleQuoted(n.text.slice(1, -1)), dynamic, pattern: false, tilde: false, escaped: false };
      }
      case 'concatenation': {
        const parts = n.namedChildren.map((c, i) => this.word(c, first && i === 0));
        // Brace expansion needs an unquoted {...,...} or {a..b}: quoted parts are replaced by a quote mark.
        const unquoted = n.namedChildren.map((c) => (c.type === 'word' ? c.text : '"')).join('');
        const brace = /\{[^{}"]*(,|\.\.)[^{}"]*\}/.test(unquoted);
        return {
          value: parts.map((p) => p.value).join(''), dynamic: parts.some((p) => p.dynamic), pattern: brace || parts.some((p) => p.pattern),
          tilde: parts[0]?.tilde ?? false, escaped: parts.some((p) => p.escaped),
        };
      }
      case 'brace_expression': return { value: n.text, dynamic: false, pattern: true, tilde: false, escaped: false };
      case 'ansi_c_string': this.risk("ANSI-C quoting $'...'"); break;
      case 'translated_string': this.risk('locale quoting $"..."'); break;
      default: this.visit(n, true);
    }
    return { value: n.text, dynamic: true, pattern: false, tilde: false, escaped: false };
  }

  command(n: Node, nested: boolean): void {
    const argv: Word[] = [];
    for (const c of n.namedChildren) {
      if (c.type === 'variable_assignment') { this.risk(`variable assignment (${c.childForFieldName('name')?.text ?? c.text.split('=')[0]}=...)`); this.visit(c, true); continue; }
      if (c.type === 'file_redirect' || c.type === 'herestring_redirect' || c.type === 'heredoc_redirect') { this.redirect(c); continue; }
      if (c.type === 'command_name') { const w = c.namedChildren[0]; if (w) argv.push(this.word(w)); continue; }
      if (c.type === 'comment') continue;
      argv.push(this.word(c));
    }
    if (!argv.length) return;
    const name = argv[0]!;
    if (KEYWORDS.has(name.value) && !name.escaped) this.risk(`shell syntax (${name.value})`);
    if (/^=/.test(name.value)) this.risk('zsh = expansion');
    if (name.escaped && /^\\/.test(n.namedChildren.find((c) => c.type === 'command_name')?.text ?? '')) this.risk('escaped command name');
    if (name.dynamic) this.risk('a command name that is only known at run time');
    const words = argv.map((w) => w.value);
    this.segments.push({ words, text: words.join(' '), argv, nested });
  }

  redirect(r: Node): void {
    if (r.type === 'heredoc_redirect') {
      this.risk('here-document <<');
      const start = r.namedChildren.find((c) => c.type === 'heredoc_start')?.text ?? '';
      for (const c of r.namedChildren) {
        if (c.type === 'heredoc_body') { if (!/['"\\]/.test(start)) this.expandText(c.text); } // a quoted delimiter: the body is literal
        else if (c.type !== 'heredoc_start' && c.type !== 'heredoc_end') this.visit(c, true);
      }
      return;
    }
    if (r.type === 'herestring_redirect') { this.risk('here-string <<<'); for (const c of r.namedChildren) this.visit(c, true); return; }
    const op = r.children.find((c) => !c.isNamed)?.type ?? '';
    const dest = r.childForFieldName('destination') ?? r.namedChildren.find((c) => c.type !== 'file_descriptor');
    const d = dest ? this.word(dest) : undefined;
    if (op === '<&-' || op === '>&-') return; // close a descriptor
    if ((op === '>&' || op === '<&') && d && !d.dynamic && /^(\d+|-)$/.test(d.value)) return; // 2>&1, >&2
    if (d && !d.dynamic && d.value === '/dev/null' && op !== '<' && op !== '<>') return;
    this.risk(`redirection (${op} ${dest?.text ?? ''})`.replace(/ \)$/, ')'));
  }

  /**
   * The body of an unquoted here-document expands like a double-quoted string. The grammar does not always see
   * substitutions there (backticks, `<<-` bodies), so the body is read again as one.
   */
  expandText(text: string): void {
    const before = this.segments.length;
    this.parseNested(`: "${text.replace(/"/g, '\\"')}"`);
    this.segments = [...this.segments.slice(0, before), ...this.segments.slice(before).filter((g) => !(g.words[0] === ':' && g.words.length === 2))];
  }

  /** Parse a piece of script found inside the line and visit it as nested. */
  parseNested(script: string): void {
    if (++this.depth > 16) { this.risk('too deeply nested'); return; }
    const tree = this.parser.parse(script);
    if (!tree) { this.risk('the command could not be parsed'); return; }
    try {
      if (tree.rootNode.hasError) this.risk('the command does not parse as shell');
      this.visit(tree.rootNode, true);
    } finally {
      tree.delete();
      this.depth--;
    }
  }

  /** Visit any node, collecting commands and risks. `nested`: inside a substitution or a compound construct. */
  visit(n: Node, nested: boolean): void {
    switch (n.type) {
      case 'program':
      case 'list':
      case 'pipeline':
        for (const c of n.children) {
          if (!c.isNamed) { if (c.type === '&') this.risk('background job (&)'); else if (c.type === ';;') this.risk('case syntax (;;)'); continue; }
          this.visit(c, nested);
        }
        return;
      case 'comment': return;
      case 'command': this.command(n, nested); return;
      case 'redirected_statement':
        for (const c of n.namedChildren) {
          if (c.type === 'file_redirect' || c.type === 'heredoc_redirect' || c.type === 'herestring_redirect') this.redirect(c);
          else this.visit(c, nested);
        }
        return;
      case 'command_substitution':
        if (n.text.startsWith('`')) {
          this.risk('backticks `...`');
          // Inside backticks bash first removes the backslash before ` $ and \, then parses: `echo \`id\`` runs id.
          const inner = n.text.slice(1, n.text.endsWith('`') ? -1 : undefined);
          if (/\\[`$\\]/.test(inner)) { this.parseNested(inner.replace(/\\([`$\\])/g, '$1')); return; }
        } else this.risk('command substitution $(...)');
        for (const c of n.namedChildren) this.visit(c, true);
        return;
      case 'process_substitution':
        this.risk('process substitution <(...)');
        for (const c of n.namedChildren) this.visit(c, true);
        return;
      case 'arithmetic_expansion': this.risk('arithmetic expansion $((...))'); break;
      case 'simple_expansion': this.risk('variable expansion ($...)'); return;
      case 'expansion': this.risk('parameter expansion ${...}'); break;
      case 'variable_assignment': this.risk(`variable assignment (${n.childForFieldName('name')?.text ?? ''}=...)`); break;
      case 'variable_assignments': this.risk('variable assignment'); break;
      case 'file_redirect': case 'heredoc_redirect': case 'herestring_redirect': this.redirect(n); return;
      case 'test_command': {
        const open = n.children[0]?.type;
        if (open === '[' && n.text.endsWith(']')) {
          // `[ ... ]` is the test command: its words are the leaves between the brackets.
          const argv: Word[] = [];
          const lit = (value: string): Word => ({ value, dynamic: false, pattern: false, tilde: false, escaped: false });
          const WORDISH = new Set(['word', 'string', 'raw_string', 'concatenation', 'number', 'simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion', 'ansi_c_string', 'translated_string']);
          const leaves = (m: Node, top: boolean): void => {
            for (const c of m.children) {
              if (!c.isNamed) { if (!top || (c.type !== '[' && c.type !== ']')) argv.push(lit(c.type)); }
              else if (WORDISH.has(c.type)) argv.push(this.word(c));
              else if (c.childCount === 0) argv.push(lit(c.text));
              else leaves(c, false);
            }
          };
          argv.push(lit('['));
          leaves(n, true);
          argv.push(lit(']'));
          const words = argv.map((w) => w.value);
          this.segments.push({ words, text: words.join(' '), argv, nested });
          return;
        }
        this.risk('shell syntax ([[)');
        break;
      }
      case 'ERROR': this.risk('the command does not parse as shell'); break;
      default:
        if (SYNTAX[n.type]) this.risk(SYNTAX[n.type]!);
        else if (n.isNamed && !['heredoc_body', 'heredoc_content', 'heredoc_start', 'heredoc_end', 'string', 'string_content', 'word', 'raw_string', 'number', 'concatenation', 'variable_name', 'do_group', 'else_clause', 'elif_clause', 'case_item', 'binary_expression', 'unary_expression', 'parenthesized_expression', 'postfix_expression', 'ternary_expression', 'test_operator', 'array', 'subscript', 'file_descriptor', 'special_variable_name', 'command_name', 'brace_expression', 'regex', 'extglob_pattern'].includes(n.type)) this.risk(`shell syntax (${n.type})`);
    }
    for (const c of n.namedChildren) this.visit(c, n.type === 'program' ? nested : true);
  }
}

/** Split on every shell operator and drop leading keywords: a coarse reading for rule matching only. */
function rough(cmd: string): string[] {
  return cmd.split(/\$\(|[;&|\n`()<>{}]/).map((p) => p.replace(/["']/g, ' ').trim().replace(/^((if|then|else|elif|fi|do|done|while|until|for|case|esac|!|time|coproc)\s+)+/, '').trim()).filter(Boolean);
}

const NOT_READY = (why: string, cmd: string): ParsedShell => ({ segments: [], risks: [`the command could not be parsed (${why})`], simple: false, roughTexts: rough(cmd) });

export function parseShell(cmd: string): ParsedShell {
  const problem = grammarProblem();
  const parser = bashParser();
  if (problem || !parser) return NOT_READY(problem ?? 'no parser', cmd);
  const tree = parser.parse(cmd);
  if (!tree) return NOT_READY('the parser gave up', cmd);
  try {
    const r = new Reader(parser);
    if (INVISIBLE.test(cmd)) r.risk('invisible or control characters');
    if (/\r/.test(cmd)) r.risk('carriage return');
    const root = tree.rootNode;
    let roughTexts: string[] | undefined;
    if (root.hasError) { r.risk('the command does not parse as shell'); roughTexts = rough(cmd); }
    r.visit(root, false);
    if (r.segments.length > MAX_SEGMENTS) r.risk(`too many subcommands (${r.segments.length})`);
    const only = root.namedChildren.length === 1 && root.childCount === 1 ? root.namedChildren[0] : undefined;
    const seg = r.segments[0];
    const simple = !!only && only.type === 'command' && r.risks.size === 0 && r.segments.length === 1 && !!seg && !seg.nested && !BUILTINS.has(seg.words[0] ?? '')
      && seg.argv.every((w) => !w.dynamic && !w.pattern && !w.tilde && !w.escaped);
    return { segments: r.segments, risks: [...r.risks], simple, ...(roughTexts ? { roughTexts } : {}) };
  } finally {
    tree.delete();
  }
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);

/**
 * The command strings a segment hands to a shell: `bash -c 'script'` (the script is the first operand after a
 * flag cluster containing c), `eval word...` (the words joined by spaces). Only static strings can be read.
 */
export function shellString(seg: Segment): string | undefined {
  const name = (seg.words[0] ?? '').split('/').pop() ?? '';
  if (name === 'eval') return seg.argv.slice(1).every((w) => !w.dynamic) ? seg.words.slice(1).join(' ') : undefined;
  if (!SHELLS.has(name)) return undefined;
  for (let i = 1; i < seg.argv.length; i++) {
    const w = seg.argv[i]!;
    if (w.dynamic) return undefined;
    if (w.value === '--' || !w.value.startsWith('-') && !w.value.startsWith('+')) return undefined;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(w.value)) { const s = seg.argv[i + 1]; return s && !s.dynamic ? s.value : undefined; }
    if (w.value === '-o' || w.value === '+o' || w.value === '-O' || w.value === '+O') i++; // -o option-name
  }
  return undefined;
}

/**
 * Every command a command line runs, as far as it can be known without running it: the segments of the line and,
 * recursively, of every static `sh -c` / `bash -c` / `eval` string (depth-limited). `via` says where it was found.
 */
export function allCommands(cmd: string, depth = 0): Array<Segment & { via: 'line' | 'shell-string' }> {
  const parsed = parseShell(cmd);
  const out: Array<Segment & { via: 'line' | 'shell-string' }> = [];
  for (const s of parsed.segments) {
    out.push({ ...s, via: depth ? 'shell-string' : 'line' });
    const inner = depth < 8 ? shellString(s) : undefined;
    if (inner !== undefined) out.push(...allCommands(inner, depth + 1).map((c) => ({ ...c, via: 'shell-string' as const })));
  }
  return out;
}
