/**
 * Differential test of the shell grammar: for a corpus of tricky command lines, the commands the parser finds
 * (allCommands: every simple command in the tree, plus the insides of static `sh -c` / `bash -c` / `eval`
 * strings) must be exactly the commands bash really executes.
 *
 * What bash executes is traced in a sandbox folder: PATH holds only logging shims (each records its name and
 * arguments and exits; nothing real runs), builtins that have a program twin (echo, printf, true, false, test,
 * [, pwd) are disabled through BASH_ENV so they go through PATH too, and `sh`/`bash` shims log and then hand the
 * script to a real bash that again only finds shims. Words only known at run time (substitutions, expansions)
 * are compared by command name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBashGrammar } from '../../../extension/core/permissions/bash-grammar';
import { allCommands } from '../../../extension/core/permissions/shell';

const BASH = ['/bin/bash', '/usr/bin/bash'].find((b) => fs.existsSync(b));
const SHIMS = ['ls', 'cat', 'rm', 'curl', 'id', 'whoami', 'touch', 'cp', 'git', 'grep', 'head', 'wc', 'sort', 'find', 'xargs', 'timeout', 'env', 'nohup', 'tee',
  'base64', 'node', 'python3', 'echo', 'printf', 'true', 'false', 'test', '[', 'pwd', 'sleep', 'mkdir', 'uniq', 'fail', 'lister'];
/** Builtins a shim cannot stand in for: the parser reports them, bash runs them inside itself. */
const UNOBSERVABLE = new Set(['eval', ':', 'cd', 'export', 'declare', 'local', 'set', 'read', 'wait', 'shift', 'unset', 'source', '.', 'alias', 'trap', 'type', 'let', 'readonly', 'typeset']);
/** Prefix words that make bash run the next word (the prefix itself is not a program). */
const PREFIXES = new Set(['exec', 'time', 'command', 'coproc']);

/**
 * A line, or a line with the commands its control flow does not reach in this run (the parser reports every
 * command that could run: more is safe, fewer would not be). Those must be exactly the extras.
 */
type Case = string | { cmd: string; unreached: string[] };
const CORPUS: Case[] = [
  'ls -la',
  'ls; cat a',
  'ls && cat a',
  'fail || rm -rf b',
  'ls | grep x | wc -l',
  'ls |& cat',
  'ls&&cat a;id',
  'echo $(id)',
  'echo "a $(id) b"',
  'echo `id`',
  'echo `echo \\`id\\``',
  'echo $(ls $(id))',
  'echo "$(echo "$(whoami)")"',
  'cat <(ls) >(wc -l)',
  'ls <(cat <(id))',
  'x=$(ls) cat a',
  'a=$(id)',
  'export B=$(id)',
  'declare -a arr=($(id))',
  'arr=($(id) x)',
  'echo ${v:-$(id)}',
  'echo $(( $(id) + 1 ))',
  'if ls; then cat a; fi',
  'if [ -n "$(id)" ]; then ls; fi',
  'for f in $(lister); do cat "$f"; done',
  'case $(id) in *) cat a;; esac',
  '{ ls; cat a; }',
  '(ls; cat a)',
  'ls && (cat a | wc)',
  'ls | { cat a; wc; }',
  'bash -c "ls; cat a"',
  "sh -c 'id && whoami'",
  'bash -c "bash -c \'rm x\'"',
  "bash -ec 'id'",
  "sh -c 'ls' -- arg",
  'bash -c "$(echo ls)"',
  'eval "ls; cat a"',
  "eval 'echo $(id)'",
  'eval $(id)',
  'cat <<EOF\n$(id)\nEOF',
  'cat <<EOF\na `whoami` b\nEOF\nls',
  "cat <<'EOF'\n$(id)\nEOF",
  'cat <<\\EOF\n`id`\nEOF',
  'cat <<-EOF\n\t$(id)\n\tEOF',
  'echo $(cat <<EOF\nx\nEOF\n)',
  'ls # ; rm x',
  'ls \\; rm x',
  "ls ';' rm",
  'l\\s -a',
  '"ls" -a',
  "'l's -a",
  'l"s" -a',
  'ls \\\n-la',
  "ls $'\\x41'",
  'time ls',
  '! ls',
  'ls & cat a; wait',
  '[[ -n $(id) ]]',
  '[ -f a ] && cat a',
  'test -n "$(id)"',
  'echo ${#x} $((1+2)) $x',
  'ls > /dev/null 2>&1',
  'ls | xargs cat',
  'timeout 5 ls',
  'env X=1 ls',
  'X=1 ls',
  'coproc ls',
  'command ls',
  'exec ls',
  'echo a#b #c',
  'a=1; echo $a',
  'cat "$(ls)"',
  'echo "\\$(id)"',
  "echo '$(id)'",
  'ls $(fail || id)',
  ': $(id)',
  'ls -- -rf',
  'ls "ä b"',
  'ls -la | tee /dev/null',
  'printf "%s\\n" a b',
  'true && false; id',
  'pwd',
  'ls\nid\ncat a',
  'find . -name x -exec rm {} \\;',
  'echo $(case x in x) id;; esac)',
  "echo $(echo ')')",
  'echo "$(echo "a)b")"',
  { cmd: 'echo ${x/$(id)/y}', unreached: ['id'] },
  'echo ${x:=$(whoami)}',
  '$(lister) -la',
  'ls; `lister` x',
  'cat <<EOF | sh\nid\nEOF',
  'echo $(echo `id`)',
  { cmd: 'until ls; do id; done', unreached: ['id'] },
  { cmd: 'while fail; do id; done; ls', unreached: ['id'] },
  { cmd: 'select x in a; do break; done < /dev/null; ls', unreached: ['break'] },
  { cmd: 'fail && rm x; ls', unreached: ['rm'] },
  'echo $[1+2]; ls',
  'ls >| /dev/null',
  { cmd: 'ls 2>/dev/null || id', unreached: ['id'] },
  'echo "a"\'b\'c$(id)',
];

interface Run { name: string; argv: string[] }

let dir: string;
let bin: string;
let log: string;
let envFile: string;

beforeAll(async () => {
  await loadBashGrammar();
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-shell-diff-')));
  bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(dir, 'work'));
  log = path.join(dir, 'trace.log');
  envFile = path.join(dir, 'bash_env');
  // Only builtins in the shims: with PATH pointing here, nothing else can be found.
  // A guard against runaway recursion (a shim must never end up calling itself): give up beyond a small depth.
  const guard = '(( ${SHIM_DEPTH:-0} > 6 )) && exit 99; export SHIM_DEPTH=$(( ${SHIM_DEPTH:-0} + 1 ))';
  // One write per record (O_APPEND keeps concurrent records whole: pipelines and process substitutions run at once).
  const record = 'rec="${0##*/}"; for a in "$@"; do rec+=$\'\\037\'"$a"; done; printf \'%s\\036\' "$rec" >> "$TRACE_LOG"';
  for (const name of SHIMS) {
    const body = name === 'fail' ? `${record}\nexit 1\n` : name === 'lister' ? `${record}\nbuiltin echo x y\n` : `${record}\nexit 0\n`;
    fs.writeFileSync(path.join(bin, name), `#!${BASH}\n${guard}\n${body}`, { mode: 0o755 });
  }
  for (const name of ['sh', 'bash']) fs.writeFileSync(path.join(bin, name), `#!${BASH}\n${guard}\n${record}\nexec ${BASH} "$@"\n`, { mode: 0o755 });
  // Every non-interactive bash reads BASH_ENV: the traced shells (not the shims, which need their builtins) send
  // these commands through PATH.
  fs.writeFileSync(envFile, `case "$0" in ${bin}/*) ;; *) enable -n echo printf true false test [ pwd ;; esac\n`);
});
afterAll(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

function trace(cmd: string): Run[] {
  fs.writeFileSync(log, '');
  const r = spawnSync(BASH!, ['-c', cmd], {
    cwd: path.join(dir, 'work'), timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: bin, BASH_ENV: envFile, TRACE_LOG: log, HOME: path.join(dir, 'work') },
  });
  if (r.error) throw r.error;
  // Process substitutions may still be finishing: wait until the trace stops growing.
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const size = fs.statSync(log).size;
    if (size === last) break;
    last = size;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 40);
  }
  return fs.readFileSync(log, 'utf8').split('\u001e').filter(Boolean).map((rec) => {
    const [name, ...argv] = rec.split('\u001f');
    return { name: name ?? '', argv };
  });
}

interface Found { name: string; argv?: string[] }

function found(cmd: string): Found[] {
  const out: Found[] = [];
  for (const c of allCommands(cmd)) {
    let argv = c.argv;
    while (argv.length > 1 && !argv[0]!.dynamic && PREFIXES.has(argv[0]!.value)) argv = argv.slice(1).filter((w, i) => !(i === 0 && w.value === '-p'));
    const name = argv[0];
    if (!name || (!name.dynamic && UNOBSERVABLE.has(name.value))) continue;
    out.push(name.dynamic ? { name: '*' } : { name: name.value, ...(argv.slice(1).some((w) => w.dynamic || w.pattern || w.tilde) ? {} : { argv: argv.slice(1).map((w) => w.value) }) });
  }
  return out;
}

const matches = (f: Found, r: Run) => (f.name === '*' || f.name === r.name) && (!f.argv || JSON.stringify(f.argv) === JSON.stringify(r.argv));

describe.skipIf(!BASH)('the parser finds exactly the commands bash executes', () => {
  it('the sandbox traces shims and nothing else', () => {
    expect(trace('ls -l; echo hi')).toEqual([{ name: 'ls', argv: ['-l'] }, { name: 'echo', argv: ['hi'] }]);
    expect(trace('nosuchprogram; id')).toEqual([{ name: 'id', argv: [] }]); // not a shim: not found, nothing runs
  });
  for (const c of CORPUS) {
    const { cmd, unreached } = typeof c === 'string' ? { cmd: c, unreached: [] } : c;
    it(JSON.stringify(cmd), () => {
      const ran = trace(cmd);
      const saw = found(cmd);
      const missed = ran.filter((r) => !saw.some((f) => matches(f, r)));
      const extra = saw.filter((f) => !ran.some((r) => matches(f, r))).map((f) => f.name);
      expect({ missed, extra }, `bash ran ${JSON.stringify(ran)}; the parser found ${JSON.stringify(saw)}`).toEqual({ missed: [], extra: unreached });
    });
  }
  it('the corpus is large and mostly fully reached', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(CORPUS.filter((c) => typeof c !== 'string').length).toBeLessThan(10);
  });
});
