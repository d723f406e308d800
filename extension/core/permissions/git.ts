/**
 * git, judged per subcommand and per option. Read-only subcommands are auto-allowed only with options on their
 * allowlist; global options that change which configuration git reads or which programs it runs (-c,
 * --config-env, --exec-path, --bare) ask; -C / --git-dir / --work-tree are followed so the repository git
 * would use can be checked (repoTrustProblem): git runs programs named in its configuration (core.fsmonitor,
 * core.pager, core.sshCommand, hooks, filters), so the configuration must live where the agent cannot have
 * written it unasked: a `.git` folder (protected) or outside the workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type OptSpec, type ParsedOpt, flags, parseArgs, READS, shorts, V } from './flags';
import type { PathUse } from './readonly-specs';

export interface GitVerdict {
  kind: 'read-only' | 'dev' | 'other';
  why?: string;
  /** The reason is a known option that writes, runs a program or changes configuration (forces a prompt). */
  risky?: boolean;
  paths: PathUse[];
  /** Folders git changes into (-C, in order) and explicit repository locations. */
  repo: { chdir: string[]; gitDir?: string; workTree?: string };
}

const CONFIG_RUNS = 'sets configuration, which can name programs git runs (core.pager, core.fsmonitor, core.sshCommand, hooks, filters)';
const GLOBAL: OptSpec = {
  short: { P: 0, C: V },
  long: {
    ...flags('no-pager no-optional-locks literal-pathspecs glob-pathspecs noglob-pathspecs icase-pathspecs no-replace-objects no-lazy-fetch no-advice version'),
    'git-dir': V, 'work-tree': V, namespace: V,
  },
  denyShort: { c: CONFIG_RUNS, p: 'pipes output through a pager program' },
  denyLong: {
    'config-env': CONFIG_RUNS, 'exec-path': 'runs git programs from a folder of your choice', bare: 'treats the working folder as a repository (reading its configuration)',
    paginate: 'pipes output through a pager program', 'super-prefix': 'is internal to git', 'attr-source': 'reads attributes from another tree', 'list-cmds': 'is internal to git',
  },
  stopAtOperand: true,
};

const DIFF_SWITCHES = 'patch no-patch raw patch-with-raw patch-with-stat stat numstat shortstat summary compact-summary name-only name-status full-index binary minimal patience histogram indent-heuristic no-indent-heuristic ' +
  'ignore-space-at-eol ignore-space-change ignore-all-space ignore-blank-lines ignore-cr-at-eol text no-renames rename-empty no-rename-empty check exit-code quiet no-color color-words no-ext-diff no-textconv textconv ' +
  'no-prefix default-prefix ita-invisible-in-index ita-visible-in-index function-context cumulative irreversible-delete pickaxe-all pickaxe-regex find-copies-harder z null cached staged merge-base no-index ' +
  'name-only no-relative';
const DIFF_VALUED = 'unified stat dirstat abbrev color color-moved color-moved-ws word-diff word-diff-regex diff-algorithm find-renames find-copies break-rewrites diff-filter relative src-prefix dst-prefix line-prefix ' +
  'ignore-submodules submodule ws-error-highlight inter-hunk-context anchored output-indicator-new output-indicator-old output-indicator-context diff-merges';
const REV_SWITCHES = 'all branches tags remotes oneline graph decorate no-decorate abbrev-commit no-abbrev-commit reverse first-parent merges no-merges follow left-right cherry-pick cherry-mark cherry boundary ' +
  'topo-order date-order author-date-order full-history simplify-by-decoration simplify-merges ancestry-path source no-walk do-walk parents children show-signature log-size mailmap no-mailmap use-mailmap ' +
  'regexp-ignore-case extended-regexp fixed-strings perl-regexp all-match invert-grep basic-regexp not count remove-empty show-pulls dense sparse left-only right-only walk-reflogs relative-date ' +
  'expand-tabs no-expand-tabs notes no-notes show-notes show-linear-break standard-notes no-standard-notes combined-all-paths no-min-parents no-max-parents since-as-filter cc dd no-graph';
const REV_VALUED = 'max-count skip since after until before author committer grep grep-reflog format pretty date decorate-refs decorate-refs-exclude min-parents max-parents encoding branches tags remotes glob exclude ' +
  'abbrev exclude-first-parent-only clear-decorations ancestry-path notes show-linear-break expand-tabs decorate';

const withOptional = (names: string) => flags(names, '?');
const DIFF_LONG = { ...flags(DIFF_SWITCHES), ...withOptional(DIFF_VALUED) };
const DIFF_SHORT = { ...shorts('psuzRbwaW'), U: '?' as const, M: '?' as const, C: '?' as const, B: '?' as const, l: '?' as const, S: V, G: V, O: READS };
const DENY_DIFF = { output: 'writes its output to a file', 'ext-diff': 'runs an external diff program', 'open-files-in-pager': 'runs a program to open the files' };

const LOG: OptSpec = {
  short: { ...DIFF_SHORT, ...shorts('mtcivEFPg'), n: V, L: V },
  long: { ...DIFF_LONG, ...flags(REV_SWITCHES), ...withOptional(REV_VALUED), 'max-count': V, 'author': V, 'committer': V, 'grep': V },
  denyLong: DENY_DIFF, numeric: true,
};
const DIFF: OptSpec = { short: { ...DIFF_SHORT, ...shorts('0123') }, long: DIFF_LONG, denyLong: DENY_DIFF };
const SIMPLE = (short: string, long: string, valued = '', extra: Partial<OptSpec> = {}): OptSpec =>
  ({ short: shorts(short), long: { ...flags(long), ...withOptional(valued) }, ...extra });

const READ_SUBCOMMANDS: Record<string, OptSpec> = {
  status: SIMPLE('sbvz', 'short branch long verbose no-ahead-behind ahead-behind renames no-renames show-stash no-column null', 'porcelain untracked-files ignored ignore-submodules column find-renames', { short: { ...shorts('sbvz'), u: '?', M: '?' } }),
  diff: DIFF,
  log: LOG,
  show: LOG,
  whatchanged: LOG,
  shortlog: { ...LOG, short: { ...LOG.short, ...shorts('snec'), w: '?' }, long: { ...LOG.long, ...flags('summary numbered email committer'), group: V, w: '?' } },
  'rev-list': { ...LOG, long: { ...LOG.long, ...flags('count objects objects-edge in-commit-order timestamp header'), 'max-count': V } },
  reflog: LOG,
  blame: {
    short: { ...shorts('bcflnpstwe'), L: V, S: READS, M: '?', C: '?' },
    long: { ...flags('root show-stats reverse first-parent porcelain line-porcelain incremental score-debug show-name show-number show-email color-lines color-by-age progress no-progress minimal'), ...withOptional('date abbrev encoding ignore-rev'), contents: READS, 'ignore-revs-file': READS },
  },
  grep: {
    short: { ...shorts('niIwvlLcEFPGhHozqpWra'), e: V, f: READS, A: V, B: V, C: V, m: V },
    long: {
      ...flags('line-number ignore-case word-regexp invert-match files-with-matches name-only files-without-match count extended-regexp fixed-strings perl-regexp basic-regexp full-name only-matching quiet show-function function-context text cached untracked no-index exclude-standard no-exclude-standard recurse-submodules heading break column and or not all-match null textconv no-textconv'),
      ...withOptional('color threads max-depth'), 'max-count': V, 'after-context': V, 'before-context': V, context: V,
    },
    denyShort: { O: DENY_DIFF['open-files-in-pager'] }, denyLong: { 'open-files-in-pager': DENY_DIFF['open-files-in-pager'], 'ext-grep': 'runs an external grep program' }, numeric: true,
  },
  'rev-parse': SIMPLE('q', 'show-toplevel verify is-inside-work-tree is-inside-git-dir is-bare-repository is-shallow-repository show-prefix show-cdup symbolic symbolic-full-name absolute-git-dir git-dir git-common-dir quiet sq all local-env-vars show-superproject-working-tree shared-index-path show-object-format',
    'abbrev-ref short default since until after before branches tags remotes glob path-format git-path show-ref-format'),
  'ls-files': SIMPLE('cdmoiskutvfz', 'cached deleted modified others ignored stage unmerged killed directory no-empty-directory exclude-standard error-unmatch full-name recurse-submodules debug eol deduplicate sparse', 'abbrev format exclude', { short: { ...shorts('cdmoiskutvfz'), x: V, X: READS }, long: { ...flags('cached deleted modified others ignored stage unmerged killed directory no-empty-directory exclude-standard error-unmatch full-name recurse-submodules debug eol deduplicate sparse'), ...withOptional('abbrev format'), exclude: V, 'exclude-from': READS, 'exclude-per-directory': V } }),
  'ls-tree': SIMPLE('drtlz', 'name-only name-status object-only full-name full-tree long', 'abbrev format'),
  describe: SIMPLE('', 'tags all long always exact-match first-parent contains debug', 'abbrev dirty broken match exclude candidates'),
  'cat-file': SIMPLE('tspe', 'textconv filters batch-all-objects follow-symlinks unordered allow-unknown-type', 'path'),
  'merge-base': SIMPLE('a', 'all octopus independent is-ancestor fork-point'),
  'show-ref': SIMPLE('dsq', 'head dereference tags heads branches verify quiet exists', 'hash abbrev exclude-existing'),
  'for-each-ref': SIMPLE('', 'ignore-case omit-empty stdin', 'format sort count contains no-contains merged no-merged points-at color exclude', { numeric: true }),
  'name-rev': SIMPLE('', 'tags all name-only annotate-stdin always undefined no-undefined', 'refs exclude'),
  'count-objects': SIMPLE('vH', 'verbose human-readable'),
  'check-ignore': SIMPLE('qvnz', 'quiet verbose non-matching no-index'),
  'check-attr': SIMPLE('az', 'all cached', 'source'),
  'diff-tree': { ...DIFF, short: { ...DIFF.short, ...shorts('rtvmcs') }, long: { ...DIFF.long, ...flags('root no-commit-id always merge-base combined-all-paths') } },
  version: SIMPLE('', 'build-options'),
};

const LIST_ONLY: Record<string, { spec: OptSpec; listing: (o: ParsedOpt[], operands: string[]) => boolean }> = {
  branch: {
    spec: SIMPLE('arvli', 'all remotes verbose list show-current ignore-case omit-empty no-column no-color', 'sort format color column contains no-contains merged no-merged points-at abbrev', { short: { ...shorts('arvli') } }),
    listing: (o, ops) => ops.length === 0 || o.some((x) => x.name === 'l' || x.name === 'list'),
  },
  tag: {
    spec: SIMPLE('li', 'list ignore-case omit-empty no-column', 'sort format color column contains no-contains merged no-merged points-at', { short: { l: 0, i: 0, n: '?' } }),
    listing: (o, ops) => ops.length === 0 || o.some((x) => x.name === 'l' || x.name === 'list'),
  },
  remote: { spec: SIMPLE('v', 'verbose'), listing: (_o, ops) => ops.length === 0 || (ops[0] === 'get-url' && ops.length === 2) },
  stash: { spec: { ...LOG, short: { ...LOG.short } }, listing: (_o, ops) => ops[0] === 'list' || ops[0] === 'show' },
  worktree: { spec: SIMPLE('v', 'porcelain verbose z', 'expire'), listing: (_o, ops) => ops[0] === 'list' },
};

const DEV = new Set(['add', 'commit', 'checkout', 'switch', 'restore', 'stash', 'branch', 'tag', 'merge', 'rebase', 'reset', 'mv', 'rm', 'cherry-pick', 'revert', 'init', 'fetch', 'pull']);
/** Options of routine subcommands that run programs or read configuration or templates from a folder of your choice. */
const DEV_DENY: Record<string, string> = {
  exec: 'runs a command for each commit', x: 'runs a command for each commit', template: 'copies hooks from a folder of your choice', 'separate-git-dir': 'puts the repository in a folder of your choice',
  'upload-pack': 'runs a program on the remote side', 'receive-pack': 'runs a program on the remote side', 'config': CONFIG_RUNS, c: CONFIG_RUNS,
};

/** `<rev>:<path>` names a file in a commit: the path part is what is read. */
const revPath = (w: string) => { const m = /^[^:]*:(.+)$/.exec(w); return m && !w.includes('://') ? m[1]! : w; };

export function judgeGit(args: string[]): GitVerdict {
  const repo: GitVerdict['repo'] = { chdir: [] };
  const g = parseArgs(args, GLOBAL, 'git');
  if (!g.ok) return { kind: 'other', why: g.why, risky: g.denied, paths: [], repo };
  for (const o of g.opts) {
    if (o.name === 'C') repo.chdir.push(o.value ?? '');
    if (o.name === 'git-dir') repo.gitDir = o.value;
    if (o.name === 'work-tree') repo.workTree = o.value;
  }
  const [sub, ...rest] = g.operands;
  if (!sub) return { kind: 'read-only', paths: [], repo };
  const read = READ_SUBCOMMANDS[sub];
  const list = LIST_ONLY[sub];
  const spec = read ?? list?.spec;
  if (spec) {
    const p = parseArgs(rest, spec, `git ${sub}`);
    if (p.ok && (!list || list.listing(p.opts, p.operands))) {
      const paths: PathUse[] = [];
      for (const o of p.opts) if (o.info.reads && o.value) paths.push({ path: o.value, use: 'read' });
      const ops = sub === 'grep' ? pathspecs(p.opts, p.operands) : p.operands;
      const untracked = sub === 'grep' && p.opts.some((o) => o.name === 'untracked' || o.name === 'no-index');
      for (const w of ops) {
        if (/^[\^~@]|^HEAD|\.\.|^[0-9a-f]{7,40}$/.test(w) && !w.includes(':')) continue; // revisions
        if (w.startsWith(':(') || w.startsWith(':/')) return { kind: 'other', why: `git pathspec magic ${w} is not known to be safe`, paths, repo };
        paths.push({ path: revPath(w), use: 'read', ...(untracked ? { recursive: 'all' as const } : {}) });
      }
      if (untracked && !ops.length) paths.push({ path: '.', use: 'read', recursive: 'all' });
      return { kind: 'read-only', paths, repo };
    }
    if (!DEV.has(sub) || (!p.ok && p.denied)) return { kind: 'other', why: p.ok ? `git ${sub} with these arguments changes the repository` : p.why, risky: !p.ok && p.denied, paths: [], repo };
  }
  if (DEV.has(sub)) {
    for (const a of rest) {
      if (a === '--') break;
      const name = a.replace(/^--?/, '').split('=')[0] ?? '';
      if (a.startsWith('--') && DEV_DENY[name]) return { kind: 'other', why: `git ${sub} --${name} ${DEV_DENY[name]}`, risky: true, paths: [], repo };
      if (/^-[a-zA-Z]+$/.test(a) && sub === 'rebase' && a.includes('x')) return { kind: 'other', why: `git rebase -x ${DEV_DENY.x}`, risky: true, paths: [], repo };
    }
    return { kind: 'dev', paths: [], repo };
  }
  return { kind: 'other', why: `git ${sub} is not a read-only subcommand`, paths: [], repo };
}

/** git grep: the pattern is the first operand unless -e/-f gave it; after it come revisions and paths. */
function pathspecs(opts: ParsedOpt[], operands: string[]): string[] {
  const given = opts.some((o) => ['e', 'f'].includes(o.name));
  return given ? operands : operands.slice(1);
}

function isGitDir(d: string): boolean {
  try {
    return fs.statSync(path.join(d, 'HEAD')).isFile() && fs.statSync(path.join(d, 'objects')).isDirectory() && fs.statSync(path.join(d, 'refs')).isDirectory();
  } catch { return false; }
}

/**
 * Find the repository git would use from `start` (as git's discovery does: `.git` folder or gitfile, or the
 * folder itself when it looks like a bare repository), walking up to the file-system root.
 */
export function discoverGitDir(start: string): string | undefined {
  let d = start;
  for (let i = 0; i < 200; i++) {
    const dotgit = path.join(d, '.git');
    let st: fs.Stats | undefined;
    try { st = fs.statSync(dotgit); } catch { /* none here */ }
    if (st?.isDirectory()) return dotgit;
    if (st?.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readSmall(dotgit));
      return m ? path.resolve(d, m[1]!) : dotgit;
    }
    if (isGitDir(d)) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

function readSmall(p: string): string {
  try { return fs.readFileSync(p, 'utf8').slice(0, 4096); } catch { return ''; }
}

/**
 * Why the repository git would read its configuration from is not trustworthy, or undefined. Trusted: a
 * repository outside the workspace, or one inside it under a `.git` folder (a protected path: the agent cannot
 * have written it without asking). Not trusted: a bare-looking folder anywhere in the workspace, an explicit
 * --git-dir elsewhere, a gitfile pointing into an ordinary workspace folder.
 */
export function repoTrustProblem(opts: { cwd: string; root: string; repo: GitVerdict['repo']; inside: (abs: string) => boolean; canonical: (abs: string) => string }): string | undefined {
  let dir = opts.cwd;
  for (const c of opts.repo.chdir) dir = path.resolve(dir, c);
  const gitDir = opts.repo.gitDir !== undefined ? path.resolve(dir, opts.repo.gitDir) : discoverGitDir(opts.canonical(dir));
  if (opts.repo.workTree !== undefined && !opts.inside(opts.canonical(path.resolve(dir, opts.repo.workTree)))) return `git --work-tree points outside the workspace (${opts.repo.workTree})`;
  if (gitDir === undefined) return undefined;
  const real = opts.canonical(gitDir);
  if (!opts.inside(real)) return opts.repo.gitDir !== undefined ? `git --git-dir points outside the workspace (${opts.repo.gitDir})` : undefined;
  const rel = path.relative(opts.canonical(opts.root), real).split(path.sep);
  if (rel.includes('.git')) return undefined;
  return `git would read its configuration from ${rel.join('/') || '.'}, a folder inside the workspace that is not a .git folder (configuration there can run programs)`;
}
