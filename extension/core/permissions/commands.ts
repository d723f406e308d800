/**
 * What a single command segment does, judged by its words: read-only (never changes anything), a routine
 * development command (build, test, lint, local git), or other. Read-only means: the name is on the read-only
 * list AND every option and operand form is on that command's allowlist (readonly-specs.ts, git.ts); anything
 * else is 'other' and asks. Exec wrappers and interpreters that run code from their arguments are risks: the
 * wrapped command is also returned so deny rules can still see it.
 */
import { type OptSpec, parseArgs, shorts, flags, V, READS, DIR } from './flags';
import { findCheck, type PathUse, READ_ONLY_SPECS } from './readonly-specs';
import { judgeGit, type GitVerdict } from './git';

export type CommandKind = 'read-only' | 'dev' | 'other';
export type { PathUse };

export interface Classified {
  kind: CommandKind;
  risks: string[];
  /** The command a wrapper runs (env X=1 curl ... -> curl ...), for deny/ask rule matching. */
  inner?: string[];
  /** Words that look like paths (for commands without a precise spec: containment, secret and protected checks). */
  pathArgs: string[];
  /** The paths a command with a precise spec reads, lists or writes. */
  paths?: PathUse[];
  /** Why this is not read-only (shown when it asks). */
  why?: string;
  /** git: where it would look for its repository (checked before git is trusted). */
  git?: GitVerdict['repo'];
}

const PKG_DEV = new Set(['test', 't', 'run', 'run-script', 'lint', 'build', 'typecheck', 'format', 'check', 'tsc']);
const DEV_TOOLS = new Set(['tsc', 'eslint', 'prettier', 'vitest', 'jest', 'mocha', 'pytest', 'ruff', 'black', 'mypy', 'make', 'go', 'cargo', 'mvn', 'gradle', 'dotnet', 'rustc', 'gcc', 'clang', 'javac']);
const GO_CARGO_DEV = new Set(['build', 'test', 'vet', 'fmt', 'check', 'clippy', 'run', 'doc']);
/** Commands whose operands are ignored for the checks (they only print or test their arguments). */
const TEXT_ONLY = new Set(['echo', 'printf', 'true', 'false', 'test', '[']);

/** Commands that run another command given in their arguments. */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'su', 'pkexec', 'runuser', 'nohup', 'timeout', 'time', 'nice', 'ionice', 'setsid', 'stdbuf', 'chroot',
  'unshare', 'nsenter', 'strace', 'ltrace', 'watch', 'xargs', 'parallel', 'exec', 'command', 'builtin', 'flock', 'script', 'busybox', 'sg', 'chrt',
  'taskset', 'caffeinate', 'npx', 'bunx', 'pnpx', 'dotenv', 'cross-env', 'firejail', 'proot', 'systemd-run', 'at', 'batch']);
const EVALUATORS = new Set(['eval', 'source', '.', 'trap', 'alias']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash', 'mksh', 'pwsh', 'powershell', 'cmd', 'cmd.exe']);
/** Interpreters that are not routine dev tools: flags that make them run code from the command line. */
const CODE_FLAGS: Record<string, RegExp | true> = {
  perl: /^-[a-zA-Z]*[eE]/, ruby: /^-[a-zA-Z]*e/, php: /^-[a-zA-Z]*r|^--run/, lua: /^-[a-zA-Z]*e/, deno: /^eval$|^repl$/, bun: /^-[a-zA-Z]*e|^--eval|^--print|^-p/,
  awk: true, gawk: true, mawk: true, nawk: true,
};

const base = (w: string) => w.split('/').pop() ?? w;
const looksLikePath = (w: string) => !w.startsWith('-') && (w.includes('/') || w.startsWith('.') || w.startsWith('~') || /\.[A-Za-z0-9]{1,8}$/.test(w));

const NODE: OptSpec = {
  short: { v: 0, h: 0, c: 0 },
  long: {
    ...flags('test test-only enable-source-maps no-warnings trace-warnings trace-uncaught trace-deprecation no-deprecation throw-deprecation experimental-vm-modules experimental-strip-types no-experimental-strip-types experimental-test-coverage experimental-test-module-mocks pending-deprecation preserve-symlinks check version help'),
    ...flags('test-reporter test-reporter-destination test-name-pattern test-skip-pattern test-concurrency test-timeout max-old-space-size stack-size stack-trace-limit unhandled-rejections conditions input-type', V),
  },
  denyShort: { e: 'runs code from its arguments', p: 'runs code from its arguments', r: 'loads a module of your choice first', i: 'starts an interactive interpreter' },
  denyLong: {
    eval: 'runs code from its arguments', print: 'runs code from its arguments', require: 'loads a module of your choice first', import: 'loads a module of your choice first',
    loader: 'loads a module of your choice first', 'experimental-loader': 'loads a module of your choice first', interactive: 'starts an interactive interpreter', 'env-file': 'loads variables from a file', 'env-file-if-exists': 'loads variables from a file',
    inspect: 'opens a debugger port', 'inspect-brk': 'opens a debugger port', run: 'runs a package.json script',
  },
  stopAtOperand: true,
};
const PYTHON: OptSpec = {
  short: { ...shorts('bBdEhiIOqsSuvVxP'), W: V, X: V, m: V },
  long: { version: 0, help: 0 },
  denyShort: { c: 'runs code from its arguments', i: 'starts an interactive interpreter' },
  stopAtOperand: true,
};
const PY_MODULES = new Set(['pytest', 'unittest', 'mypy', 'pyflakes', 'flake8', 'pylint', 'black', 'isort', 'ruff', 'doctest', 'compileall', 'py_compile', 'venv', 'json.tool', 'coverage', 'tox', 'nox']);

/** node / python: a script in the workspace or a known test/lint module; code from the arguments is a risk. */
function interpreter(name: string, args: string[]): Classified {
  const py = name.startsWith('python');
  // Everything after the script (or python's -m MODULE) belongs to the script, not to the interpreter.
  let cut = args.length;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') { cut = a === '--' ? i + 2 : i + 1; break; }
    if (py && /^-[a-zA-Z]*m/.test(a)) { cut = /^-[a-zA-Z]*m$/.test(a) ? i + 2 : i + 1; break; }
  }
  const own = args.slice(0, Math.min(cut, args.length));
  const p = parseArgs(own, py ? PYTHON : NODE, name);
  const rest = args.slice(cut).filter(looksLikePath);
  if (!p.ok) return { kind: 'other', risks: p.denied ? [p.why] : [], why: p.why, pathArgs: [...own.filter(looksLikePath), ...rest] };
  const mod = p.opts.find((o) => o.name === 'm')?.value;
  if (mod !== undefined) return PY_MODULES.has(mod) ? { kind: 'dev', risks: [], pathArgs: rest } : { kind: 'other', risks: [], why: `${name} -m ${mod} runs a module that is not a known test or lint tool`, pathArgs: rest };
  const script = p.operands[0];
  if (script === undefined) {
    if (p.opts.some((o) => ['v', 'V', 'version', 'help', 'h'].includes(o.name))) return { kind: 'read-only', risks: [], pathArgs: [], paths: [] };
    return { kind: 'other', risks: [], why: `${name} without a script reads code from its input`, pathArgs: [] };
  }
  if (script === '-') return { kind: 'other', risks: ['runs code from its input'], why: `${name} - runs code from its input`, pathArgs: [] };
  return { kind: 'dev', risks: [], pathArgs: rest, paths: [{ path: script, use: 'read' }] };
}

const FILE_CMDS: Record<string, { spec: OptSpec; sources: 'read' | 'write' | 'none' }> = {
  cp: {
    spec: {
      short: { ...shorts('afinpvuLPHdxTrRb'), t: DIR, S: V }, abbrev: true,
      long: { ...flags('archive force interactive no-clobber verbose dereference no-dereference no-target-directory recursive parents strip-trailing-slashes attributes-only one-file-system remove-destination debug help version'), ...flags('suffix sparse no-preserve', V), preserve: '?', update: '?', reflink: '?', backup: '?', 'target-directory': DIR },
      denyShort: { s: 'creates symbolic links', l: 'creates hard links' }, denyLong: { 'symbolic-link': 'creates symbolic links', link: 'creates hard links' },
    },
    sources: 'read',
  },
  mv: {
    spec: { short: { ...shorts('finvuTb'), t: DIR, S: V }, abbrev: true, long: { ...flags('force interactive no-clobber verbose no-target-directory strip-trailing-slashes no-copy exchange debug help version'), suffix: V, update: '?', backup: '?', 'target-directory': DIR } },
    sources: 'write',
  },
  mkdir: { spec: { short: { p: 0, v: 0, m: V }, abbrev: true, long: { ...flags('parents verbose help version'), mode: V } }, sources: 'none' },
  touch: { spec: { short: { ...shorts('acmhf'), d: V, t: V, r: READS }, abbrev: true, long: { ...flags('no-create no-dereference help version'), ...flags('date time', V), reference: READS } }, sources: 'none' },
};

function fileCommand(name: string, args: string[]): Classified {
  const f = FILE_CMDS[name]!;
  const p = parseArgs(args, f.spec, name);
  if (!p.ok) return { kind: 'other', risks: p.denied ? [p.why] : [], why: p.why, pathArgs: args.filter(looksLikePath) };
  const paths: PathUse[] = [];
  for (const o of p.opts) if (o.info.dir && o.value) paths.push({ path: o.value, use: 'write' });
  for (const o of p.opts) if (o.info.reads && o.value) paths.push({ path: o.value, use: 'read' });
  const target = p.opts.some((o) => o.info.dir) || f.sources === 'none';
  p.operands.forEach((w, i) => {
    const isDest = target || i === p.operands.length - 1;
    paths.push({ path: w, use: isDest || f.sources === 'write' ? 'write' : 'read' });
  });
  return { kind: 'dev', risks: [], pathArgs: [], paths };
}

/** A read-only command judged against its allowlist. */
function readOnly(name: string, args: string[]): Classified {
  if (TEXT_ONLY.has(name)) return { kind: 'read-only', risks: [], pathArgs: [], paths: [] };
  if (name === 'find') {
    const f = findCheck(args);
    if (!f.ok) return { kind: 'other', risks: f.denied ? [f.why] : [], why: f.why, pathArgs: args.filter(looksLikePath), ...(f.why.includes('runs a program') ? { inner: findInner(args) } : {}) };
    return { kind: 'read-only', risks: [], pathArgs: [], paths: f.paths.map((p) => ({ path: p, use: 'name' as const })) };
  }
  const spec = READ_ONLY_SPECS[name]!;
  const p = parseArgs(args, spec.opts, name);
  if (!p.ok) return { kind: 'other', risks: p.denied ? [p.why] : [], why: p.why, pathArgs: args.filter(looksLikePath) };
  const why = spec.check?.(p.opts, p.operands);
  if (why) return { kind: 'other', risks: [why], why, pathArgs: args.filter(looksLikePath) };
  const operands = spec.firstIsText?.(p.opts) ? p.operands.slice(1) : p.operands;
  if (spec.maxOperands !== undefined && operands.length > spec.maxOperands) {
    const why = spec.maxOperands === 0 ? `${name} takes no operands` : `${name} writes its output to ${operands[spec.maxOperands]}`;
    return { kind: 'other', risks: spec.maxOperands === 0 ? [] : [why], why, pathArgs: args.filter(looksLikePath) };
  }
  const paths: PathUse[] = [];
  for (const o of p.opts) {
    if (!o.info.reads && !o.info.names) continue;
    for (const v of o.values ? o.values.slice(1) : o.value !== undefined ? [o.value] : []) paths.push({ path: v, use: o.info.reads ? 'read' : 'name' });
  }
  const recursive = spec.recursive?.(p.opts);
  const follow = spec.follow?.(p.opts) ?? false;
  const ops = operands.length ? operands : [spec.defaultOperand?.(p.opts)].filter((x): x is string => x !== undefined);
  if (spec.operands !== 'text') {
    for (const w of ops) if (w !== '-') paths.push({ path: w, use: spec.operands === 'read' ? 'read' : 'name', ...(recursive ? { recursive } : {}), ...(follow ? { follow } : {}) });
  }
  return { kind: 'read-only', risks: [], pathArgs: [], paths };
}

function findInner(args: string[]): string[] | undefined {
  const at = args.findIndex((a) => /^-(exec|execdir|ok|okdir)$/.test(a));
  return at >= 0 ? args.slice(at + 1).filter((a) => a !== ';' && a !== '+' && a !== '{}') : undefined;
}

export function classify(words: string[]): Classified {
  const risks: string[] = [];
  const name = base(words[0] ?? '');
  const args = words.slice(1);
  const pathArgs = args.filter(looksLikePath).map((w) => (w.startsWith('@') ? w.slice(1) : w));
  for (const a of args) if (a.startsWith('@') && a.length > 1) pathArgs.push(a.slice(1)); // curl -d @file
  if (!name) return { kind: 'other', risks, pathArgs };
  if (EVALUATORS.has(name)) return { kind: 'other', risks: [`evaluates code (${name})`], pathArgs };
  if (SHELLS.has(name)) {
    const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    return { kind: 'other', risks: [`runs a shell (${name})`], inner: c >= 0 && args[c + 1] !== undefined ? [args[c + 1] ?? ''] : undefined, pathArgs };
  }
  if (WRAPPERS.has(name)) {
    let k = 0;
    while (k < args.length && (args[k]?.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[k] ?? '') || /^\d+(\.\d+)?[smhd]?$/.test(args[k] ?? ''))) k++;
    return { kind: 'other', risks: [`runs another command (${name})`], inner: args.slice(k), pathArgs };
  }
  const code = CODE_FLAGS[name];
  if (code && (code === true || args.some((a) => code.test(a)))) return { kind: 'other', risks: [`runs code from its arguments (${name})`], pathArgs };
  if (name === 'node' || name === 'python' || name === 'python3') return interpreter(name, args);
  if (name === 'git') {
    const g = judgeGit(args);
    return { kind: g.kind, risks: g.risky && g.why ? [g.why] : [], why: g.why, pathArgs: g.kind === 'other' ? pathArgs : [], paths: g.paths, git: g.repo };
  }
  if (['npm', 'pnpm', 'yarn', 'bun'].includes(name)) {
    const sub = args[0];
    if (sub === 'exec' || sub === 'dlx' || sub === 'x') return { kind: 'other', risks: [`runs a package binary (${name} ${sub})`], pathArgs };
    if (args.length === 1 && (sub === '--version' || sub === '-v')) return { kind: 'read-only', risks, pathArgs: [], paths: [] };
    return { kind: sub && PKG_DEV.has(sub) ? 'dev' : 'other', risks, pathArgs };
  }
  if (name === 'go' || name === 'cargo') return { kind: args[0] && GO_CARGO_DEV.has(args[0]) ? 'dev' : 'other', risks, pathArgs };
  if (FILE_CMDS[name]) return fileCommand(name, args);
  if (READ_ONLY_SPECS[name] || name === 'find' || TEXT_ONLY.has(name)) return readOnly(name, args);
  if (DEV_TOOLS.has(name)) return { kind: 'dev', risks, pathArgs };
  return { kind: 'other', risks, pathArgs };
}
