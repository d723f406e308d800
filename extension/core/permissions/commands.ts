/**
 * What a single command segment does, judged by its words: read-only (never changes anything), a routine
 * development command (build, test, lint, local git), or other. Exec wrappers and interpreters that run code
 * from their arguments are risks: the wrapped command is also returned so deny rules can still see it.
 */

export type CommandKind = 'read-only' | 'dev' | 'other';

export interface Classified {
  kind: CommandKind;
  risks: string[];
  /** The command a wrapper runs (env X=1 curl ... -> curl ...), for deny/ask rule matching. */
  inner?: string[];
  /** Words that look like paths (for containment, secret and protected-path checks). */
  pathArgs: string[];
}

const READ_ONLY = new Set([
  'cat', 'head', 'tail', 'wc', 'ls', 'pwd', 'echo', 'printf', 'true', 'false', 'which', 'whoami', 'id', 'date', 'uname',
  'file', 'stat', 'du', 'df', 'tree', 'diff', 'cmp', 'sort', 'uniq', 'cut', 'tr', 'basename', 'dirname', 'realpath', 'readlink',
  'grep', 'egrep', 'fgrep', 'rg', 'find', 'test', '[', 'seq', 'nl', 'od', 'xxd', 'hexdump', 'sha256sum', 'sha1sum', 'md5sum',
  'jq', 'column', 'fold', 'expand', 'paste', 'comm', 'tac', 'rev', 'strings', 'less', 'more',
]);
const GIT_READ = new Set(['status', 'diff', 'log', 'show', 'blame', 'rev-parse', 'ls-files', 'ls-tree', 'describe', 'shortlog', 'cat-file', 'merge-base', 'grep', 'whatchanged']);
const GIT_DEV = new Set(['add', 'commit', 'checkout', 'switch', 'restore', 'stash', 'branch', 'tag', 'merge', 'rebase', 'reset', 'mv', 'rm', 'cherry-pick', 'revert', 'init', 'fetch', 'pull']);
const PKG_DEV = new Set(['test', 't', 'run', 'run-script', 'lint', 'build', 'typecheck', 'format', 'check', 'tsc']);
const DEV_TOOLS = new Set(['tsc', 'eslint', 'prettier', 'vitest', 'jest', 'mocha', 'pytest', 'ruff', 'black', 'mypy', 'make', 'mkdir', 'touch', 'cp', 'mv', 'node', 'python', 'python3', 'go', 'cargo', 'mvn', 'gradle', 'dotnet', 'rustc', 'gcc', 'clang', 'javac']);
const GO_CARGO_DEV = new Set(['build', 'test', 'vet', 'fmt', 'check', 'clippy', 'run', 'doc']);

/** Commands that run another command given in their arguments. */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'su', 'pkexec', 'runuser', 'nohup', 'timeout', 'time', 'nice', 'ionice', 'setsid', 'stdbuf', 'chroot',
  'unshare', 'nsenter', 'strace', 'ltrace', 'watch', 'xargs', 'parallel', 'exec', 'command', 'builtin', 'flock', 'script', 'busybox', 'sg', 'chrt',
  'taskset', 'caffeinate', 'npx', 'bunx', 'pnpx', 'dotenv', 'cross-env', 'firejail', 'proot', 'systemd-run', 'at', 'batch']);
const EVALUATORS = new Set(['eval', 'source', '.', 'trap', 'alias']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash', 'mksh', 'pwsh', 'powershell', 'cmd', 'cmd.exe']);
const CODE_FLAGS: Record<string, string[]> = {
  node: ['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader'], python: ['-c'], python3: ['-c'], perl: ['-e', '-E'], ruby: ['-e'],
  php: ['-r'], lua: ['-e'], deno: ['eval'], bun: ['-e', '--eval'], awk: [], gawk: [],
};
const FIND_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls']);
/** Options that make an otherwise read-only command write or execute. */
const WRITE_FLAGS: Record<string, RegExp> = {
  sort: /^(-o|--output)/, tree: /^-o$/, date: /^(-s|--set)/, git: /^--output/, rg: /^--pre/, diff: /^--to-file=/,
};

const base = (w: string) => w.split('/').pop() ?? w;
const looksLikePath = (w: string) => !w.startsWith('-') && (w.includes('/') || w.startsWith('.') || w.startsWith('~') || /\.[A-Za-z0-9]{1,8}$/.test(w));

export function classify(words: string[]): Classified {
  const risks: string[] = [];
  const name = base(words[0] ?? '');
  const args = words.slice(1);
  const pathArgs = args.filter(looksLikePath).map((w) => (w.startsWith('@') ? w.slice(1) : w));
  for (const a of args) if (a.startsWith('@') && a.length > 1) pathArgs.push(a.slice(1)); // curl -d @file
  if (!name) return { kind: 'other', risks, pathArgs };
  if (/^\\/.test(words[0] ?? '')) risks.push('escaped command name');
  if (EVALUATORS.has(name)) return { kind: 'other', risks: [...risks, `evaluates code (${name})`], pathArgs };
  if (SHELLS.has(name)) {
    const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    return { kind: 'other', risks: [...risks, `runs a shell (${name})`], inner: c >= 0 && args[c + 1] !== undefined ? [args[c + 1] ?? ''] : undefined, pathArgs };
  }
  if (WRAPPERS.has(name)) {
    let k = 0;
    while (k < args.length && (args[k]?.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[k] ?? '') || /^\d+(\.\d+)?[smhd]?$/.test(args[k] ?? ''))) k++;
    return { kind: 'other', risks: [...risks, `runs another command (${name})`], inner: args.slice(k), pathArgs };
  }
  const flags = CODE_FLAGS[name];
  if (flags && (flags.length === 0 || args.some((a) => flags.includes(a) || flags.some((f) => f.startsWith('--') && a.startsWith(f + '='))))) {
    return { kind: 'other', risks: [...risks, `runs code from its arguments (${name})`], pathArgs };
  }
  if (name === 'find') {
    const act = args.find((a) => FIND_ACTIONS.has(a));
    if (act) return { kind: 'other', risks: [...risks, `find ${act} runs or deletes`], inner: act.startsWith('-exec') || act.startsWith('-ok') ? args.slice(args.indexOf(act) + 1).filter((a) => a !== ';' && a !== '+' && a !== '{}') : undefined, pathArgs };
  }
  if (name === 'git') {
    if (args.some((a) => a === '-c' || a.startsWith('--exec-path') || a.startsWith('--config-env') || a === '--upload-pack' || a.startsWith('--upload-pack='))) {
      return { kind: 'other', risks: [...risks, 'git with -c / --exec-path can run arbitrary programs'], pathArgs };
    }
    const sub = args.find((a) => !a.startsWith('-'));
    if (args.some((a) => WRITE_FLAGS.git?.test(a))) return { kind: 'other', risks, pathArgs };
    if (sub && GIT_READ.has(sub)) return { kind: 'read-only', risks, pathArgs };
    if (sub === 'branch' && args.every((a) => a === 'branch' || /^(-a|-r|-v|-vv|--list|--show-current|--all)$/.test(a))) return { kind: 'read-only', risks, pathArgs };
    if (sub === 'remote' && args.every((a) => a === 'remote' || a === '-v')) return { kind: 'read-only', risks, pathArgs };
    return { kind: sub && GIT_DEV.has(sub) ? 'dev' : 'other', risks, pathArgs };
  }
  if (['npm', 'pnpm', 'yarn', 'bun'].includes(name)) {
    const sub = args[0];
    if (sub === 'exec' || sub === 'dlx' || sub === 'x') return { kind: 'other', risks: [...risks, `runs a package binary (${name} ${sub})`], pathArgs };
    if (args.length === 1 && (sub === '--version' || sub === '-v')) return { kind: 'read-only', risks, pathArgs };
    return { kind: sub && PKG_DEV.has(sub) ? 'dev' : 'other', risks, pathArgs };
  }
  if (name === 'go' || name === 'cargo') return { kind: args[0] && GO_CARGO_DEV.has(args[0]) ? 'dev' : 'other', risks, pathArgs };
  if (READ_ONLY.has(name)) {
    const wf = WRITE_FLAGS[name];
    if (wf && args.some((a) => wf.test(a))) return { kind: 'other', risks, pathArgs };
    if (name === 'uniq' && args.filter((a) => !a.startsWith('-')).length > 1) return { kind: 'other', risks, pathArgs };
    return { kind: 'read-only', risks, pathArgs };
  }
  if (DEV_TOOLS.has(name)) return { kind: 'dev', risks, pathArgs };
  return { kind: 'other', risks, pathArgs };
}
