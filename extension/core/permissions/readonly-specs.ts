/**
 * The read-only commands and, for each, every option form known to be safe (allowlist). An option that writes a
 * file, runs a program, follows configuration or reads a list of names from a file is either absent (so it is
 * unknown and asks) or listed under deny with the reason shown to the user. Operands are classified by what the
 * tool does with them: reads their content ('read'), uses them by name only ('name'), or treats them as text.
 */
import { type OptSpec, type ParsedOpt, DIR, flags, NAMES, OPT, READS, shorts, V } from './flags';

export type OperandUse = 'read' | 'name' | 'text';

export interface PathUse {
  path: string;
  use: 'read' | 'name' | 'write';
  /** The tool walks into this folder: 'all' files, or only 'visible' ones (ripgrep skips hidden files by default). */
  recursive?: 'all' | 'visible';
  /** Symbolic links are followed while walking. */
  follow?: boolean;
}

export interface ReadOnlySpec {
  opts: OptSpec;
  operands: OperandUse;
  /** The first operand is a pattern or program, not a path (unless an option supplied one). */
  firstIsText?: (opts: ParsedOpt[]) => boolean;
  /** At most this many operands (more would be written to: uniq IN OUT, xxd IN OUT). */
  maxOperands?: number;
  /** How folders among the operands are walked, given the options. */
  recursive?: (opts: ParsedOpt[]) => PathUse['recursive'] | undefined;
  follow?: (opts: ParsedOpt[]) => boolean;
  /** With no path operand the tool reads this (grep -r and rg search the working folder). */
  defaultOperand?: (opts: ParsedOpt[]) => string | undefined;
  /** A last check of the parsed arguments: why this is not read-only, or undefined. */
  check?: (opts: ParsedOpt[], operands: string[]) => string | undefined;
}

const HELP = { help: 0, version: 0 } as const;
const gnu = (short: Record<string, unknown>, long: Record<string, unknown>, extra: Partial<OptSpec> = {}): OptSpec =>
  ({ short: short as OptSpec['short'], long: { ...HELP, ...long } as OptSpec['long'], abbrev: true, ...extra });
const has = (opts: ParsedOpt[], ...names: string[]) => opts.some((o) => names.includes(o.name));

const FILES_FROM = 'reads the names of the files to open from a file';
const WRITES = 'writes a file';

const LS = gnu(
  { ...shorts('aAbBcCdDfFgGhHiklLmnNopqQrRsStuUvxXZ1'), I: V, T: V, w: V },
  {
    ...flags('all almost-all author escape ignore-backups directory dired file-type full-time group-directories-first no-group human-readable si dereference-command-line dereference-command-line-symlink-to-dir inode kibibytes dereference literal numeric-uid-gid hide-control-chars show-control-chars quote-name reverse recursive size context zero'),
    ...flags('block-size hide ignore format indicator-style quoting-style sort time time-style tabsize width', V), ...flags('color classify hyperlink', OPT),
  },
);

const GREP_OPTS = gnu(
  { ...shorts('EFGPiyvwxcLlboqsHhnTZzUaIrR'), e: V, f: READS, m: V, A: V, B: V, C: V, d: V, D: V },
  {
    ...flags('extended-regexp fixed-strings basic-regexp perl-regexp ignore-case no-ignore-case invert-match word-regexp line-regexp count files-without-match files-with-matches byte-offset only-matching quiet silent no-messages with-filename no-filename line-number initial-tab null null-data text recursive dereference-recursive line-buffered binary'),
    ...flags('regexp max-count after-context before-context context directories devices label binary-files exclude include exclude-dir', V), 'file': READS, color: '?', colour: '?',
  },
  { numeric: true, denyLong: { 'exclude-from': 'reads patterns from a file (allowed via --exclude instead)' } },
);
const grepSpec: ReadOnlySpec = {
  opts: GREP_OPTS, operands: 'read',
  firstIsText: (o) => !has(o, 'e', 'regexp', 'f', 'file'),
  recursive: (o) => (has(o, 'r', 'R', 'recursive', 'dereference-recursive') || o.some((x) => (x.name === 'd' || x.name === 'directories') && x.value === 'recurse') ? 'all' : undefined),
  follow: (o) => has(o, 'R', 'dereference-recursive'),
  defaultOperand: (o) => (has(o, 'r', 'R', 'recursive', 'dereference-recursive') ? '.' : undefined),
};

const RG_OPTS: OptSpec = {
  short: { ...shorts('iSswxvnNlcoFUPuHIaq0bp.'), e: V, f: READS, g: V, t: V, T: V, m: V, d: V, A: V, B: V, C: V, j: V, M: V, r: V, E: V },
  long: {
    ...HELP,
    ...flags('ignore-case smart-case case-sensitive word-regexp line-regexp invert-match line-number no-line-number files-with-matches files-without-match count count-matches only-matching fixed-strings multiline multiline-dotall pcre2 hidden no-hidden no-ignore no-ignore-vcs no-ignore-parent no-ignore-dot no-ignore-global no-ignore-exclude no-ignore-files no-ignore-messages json no-json vimgrep heading no-heading with-filename no-filename no-messages text binary no-binary trim column no-column stats debug trace passthru passthrough line-buffered block-buffered null byte-offset files type-list quiet crlf no-crlf glob-case-insensitive no-config no-unicode unicode max-columns-preview no-max-columns-preview pretty include-zero no-require-git sort-files one-file-system no-one-file-system invert-match'),
    ...flags('regexp glob iglob type type-not type-add type-clear max-count max-depth maxdepth max-filesize after-context before-context context threads max-columns replace sort sortr encoding engine colors context-separator field-match-separator field-context-separator path-separator dfa-size-limit regex-size-limit', V),
    file: READS, 'ignore-file': READS, color: V,
  },
  denyShort: { z: 'runs decompression programs on the files it searches (--search-zip)', L: 'follows symbolic links, also out of the workspace' },
  denyLong: {
    pre: 'runs a program of your choice on every file it searches', 'pre-glob': 'chooses the files a --pre program runs on', 'hostname-bin': 'runs a program to find the host name',
    'search-zip': 'runs decompression programs on the files it searches', follow: 'follows symbolic links, also out of the workspace', 'no-follow': 'is not needed',
  },
};
const rgSpec: ReadOnlySpec = {
  opts: RG_OPTS, operands: 'read',
  firstIsText: (o) => !has(o, 'e', 'regexp', 'f', 'file', 'files', 'type-list'),
  recursive: (o) => (has(o, 'hidden', '.') || o.filter((x) => x.name === 'u').length >= 2 ? 'all' : 'visible'),
  defaultOperand: () => '.',
};

const SORT_DENY = { o: WRITES, T: 'writes temporary files into a folder of your choice' };
const sortSpec: ReadOnlySpec = {
  opts: gnu(
    { ...shorts('bdfgiMhnRrVcCmsuz'), k: V, t: V, S: V },
    { ...flags('ignore-leading-blanks dictionary-order ignore-case general-numeric-sort ignore-nonprinting month-sort human-numeric-sort numeric-sort random-sort reverse version-sort merge stable unique zero-terminated debug'), ...flags('key field-separator buffer-size parallel sort', V), check: '?' },
    { denyShort: SORT_DENY, denyLong: { output: WRITES, 'temporary-directory': SORT_DENY.T, 'compress-program': 'runs a compression program of your choice', 'files0-from': FILES_FROM, 'random-source': 'reads a file of your choice' } },
  ),
  operands: 'read',
};

const HEAD_TAIL = (tail: boolean): ReadOnlySpec => ({
  opts: gnu({ ...shorts('qvz'), n: V, c: V }, { ...flags('quiet silent verbose zero-terminated'), ...flags('lines bytes', V) },
    { numeric: true, ...(tail ? { denyShort: { f: 'keeps running (follows the file)', F: 'keeps running (follows the file)' }, denyLong: { follow: 'keeps running (follows the file)', pid: 'watches a process', retry: 'keeps running' } } : {}) }),
  operands: 'read',
});

const CAT = gnu(shorts('AbeEnstTuv'), flags('show-all number-nonblank show-ends number squeeze-blank show-tabs show-nonprinting'));
const WC = gnu(shorts('cmlLw'), { ...flags('bytes chars lines max-line-length words'), total: V }, { denyLong: { 'files0-from': FILES_FROM } });

const FIND_TESTS_V = 'name iname path ipath wholename iwholename regex iregex lname ilname type xtype size mtime mmin atime amin ctime cmin newer anewer cnewer user group uid gid perm links inum samefile maxdepth mindepth regextype used fstype context printf newermt newerat newerct';
const FIND_TESTS_0 = 'print print0 ls prune quit not and or a o true false empty readable writable executable depth mount xdev noleaf nouser nogroup daystart ignore_readdir_race noignore_readdir_race d';
const FIND_DENY = {
  exec: 'runs a program for each file', execdir: 'runs a program for each file', ok: 'runs a program for each file', okdir: 'runs a program for each file',
  delete: 'deletes files', fprint: WRITES, fprint0: WRITES, fprintf: WRITES, fls: WRITES, follow: 'follows symbolic links, also out of the workspace', 'files0-from': FILES_FROM,
};

/** find: start points until the first expression word, then predicates (single-dash words). */
function findCheck(args: string[]): { ok: true; paths: string[]; follow: boolean } | { ok: false; why: string; denied?: boolean } {
  let i = 0;
  let follow = false;
  while (i < args.length && /^-[HLPO]/.test(args[i] ?? '') && !/^-[a-z]{2,}/.test(args[i] ?? '')) {
    const a = args[i]!;
    if (a === '-L') return { ok: false, denied: true, why: 'find -L follows symbolic links, also out of the workspace' };
    if (a === '-H') follow = true;
    else if (a !== '-P' && !/^-O\d?$/.test(a)) return { ok: false, why: `find ${a} is not an option known to be safe` };
    i++;
  }
  const paths: string[] = [];
  while (i < args.length && !/^[-!(),]/.test(args[i] ?? '')) paths.push(args[i++]!);
  const withValue = new Set(FIND_TESTS_V.split(' '));
  const bare = new Set(FIND_TESTS_0.split(' '));
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '!' || a === '(' || a === ')' || a === ',') continue;
    const name = a.replace(/^-/, '');
    if (!a.startsWith('-')) return { ok: false, why: `find: unexpected word ${a}` };
    if (Object.prototype.hasOwnProperty.call(FIND_DENY, name)) return { ok: false, denied: true, why: `find ${a} ${FIND_DENY[name as keyof typeof FIND_DENY]}` };
    if (withValue.has(name)) { if (i + 1 >= args.length) return { ok: false, why: `find ${a} is missing its value` }; i++; continue; }
    if (bare.has(name) || name === 'help' || name === '-help' || name === 'version' || name === '-version') continue;
    return { ok: false, why: `find ${a} is not a test known to be safe` };
  }
  return { ok: true, paths: paths.length ? paths : ['.'], follow };
}

const XXD: OptSpec = {
  singleDash: true,
  short: { ...shorts('abCEeipruhvd'), c: V, g: V, l: V, n: V, o: V, s: V, R: V },
  long: { ...flags('autoskip bits capitalize EBCDIC include ps postscript plain revert uppercase help version decimal'), ...flags('cols groupsize len name offset seek', V) },
};

const DIFF = gnu(
  { ...shorts('iEZbwBatTNPqsyurcplde'), U: V, C: V, W: V, x: V, X: READS, I: V, F: V, D: V, S: V, L: V },
  {
    ...flags('ignore-case ignore-tab-expansion ignore-trailing-space ignore-space-change ignore-all-space ignore-blank-lines strip-trailing-cr text expand-tabs initial-tab suppress-common-lines minimal speed-large-files new-file unidirectional-new-file brief report-identical-files side-by-side left-column suppress-blank-empty normal recursive no-dereference show-c-function rcs ed forward-ed paginate'),
    ...flags('ignore-matching-lines show-function-line exclude ifdef starting-file label width tabsize horizontal-lines palette line-format old-line-format new-line-format unchanged-line-format old-group-format new-group-format changed-group-format unchanged-group-format', V),
    unified: '?', context: '?', color: '?', 'exclude-from': READS, 'from-file': READS, 'to-file': READS,
  },
  { numeric: true },
);

const SUMS: ReadOnlySpec = {
  opts: gnu(shorts('btzcw'), flags('binary text zero tag check quiet status strict warn ignore-missing')), operands: 'name',
};

const TEXT_FILTERS: Record<string, ReadOnlySpec> = {
  nl: { opts: gnu({ p: 0, b: V, d: V, f: V, h: V, i: V, l: V, n: V, s: V, v: V, w: V }, { 'no-renumber': 0, ...flags('body-numbering section-delimiter footer-numbering header-numbering line-increment join-blank-lines number-format number-separator starting-line-number number-width', V) }), operands: 'read' },
  od: { opts: gnu({ ...shorts('abcdfilosxv'), A: V, j: V, N: V, S: V, t: V, w: OPT }, { ...flags('output-duplicates traditional'), ...flags('address-radix skip-bytes read-bytes strings format endian', V), width: '?' }), operands: 'read' },
  hexdump: { opts: { short: { ...shorts('bcCdoxvL'), e: V, f: READS, n: V, s: V }, long: HELP }, operands: 'read' },
  strings: { opts: gnu({ ...shorts('adfw'), n: V, t: V, e: V, s: V, T: V }, { ...flags('all data print-file-name include-all-whitespace'), ...flags('bytes radix encoding output-separator target', V) }), operands: 'read' },
  column: { opts: gnu({ ...shorts('tnexJRLT'), s: V, o: V, c: V, N: V, l: V, H: V, O: V, W: V, E: V, d: 0, r: V, i: V, p: V }, { ...flags('table fillrows json keep-empty-lines table-noheadings separator-table'), ...flags('separator output-separator output-width table-columns table-columns-limit table-hide table-order table-wrap table-right table-name table-truncate tree tree-id tree-parent', V) }), operands: 'read' },
  fold: { opts: gnu({ b: 0, s: 0, w: V }, { bytes: 0, spaces: 0, width: V }, { numeric: true }), operands: 'read' },
  expand: { opts: gnu({ i: 0, t: V }, { initial: 0, tabs: V }, { numeric: true }), operands: 'read' },
  unexpand: { opts: gnu({ a: 0, t: V }, { all: 0, 'first-only': 0, tabs: V }, { numeric: true }), operands: 'read' },
  paste: { opts: gnu({ s: 0, z: 0, d: V }, { serial: 0, 'zero-terminated': 0, delimiters: V }), operands: 'read' },
  comm: { opts: gnu(shorts('123z'), { ...flags('check-order nocheck-order total zero-terminated'), 'output-delimiter': V }), operands: 'read' },
  tac: { opts: gnu({ b: 0, r: 0, s: V }, { before: 0, regex: 0, separator: V }), operands: 'read' },
  rev: { opts: { long: HELP, short: { V: 0, h: 0, '0': 0 } }, operands: 'read' },
  cut: { opts: gnu({ s: 0, z: 0, n: 0, b: V, c: V, f: V, d: V }, { ...flags('only-delimited zero-terminated complement'), ...flags('bytes characters fields delimiter output-delimiter', V) }), operands: 'read' },
  tr: { opts: gnu(shorts('cCdst'), flags('complement delete squeeze-repeats truncate-set1')), operands: 'text' },
  uniq: {
    opts: gnu({ ...shorts('cdDiuz'), f: V, s: V, w: V }, { ...flags('count repeated ignore-case unique zero-terminated'), ...flags('skip-fields skip-chars check-chars', V), 'all-repeated': '?', group: '?' }, { numeric: true }),
    operands: 'read', maxOperands: 1,
  },
  cmp: { opts: gnu({ b: 0, l: 0, s: 0, i: V, n: V }, { ...flags('print-bytes verbose quiet silent'), ...flags('ignore-initial bytes', V) }), operands: 'read', check: (_o, ops) => (ops.length > 4 ? 'cmp takes at most two files' : undefined) },
  jq: {
    opts: {
      short: { ...shorts('rjcneSsCMaR0h'), f: READS, L: V },
      long: {
        ...HELP, ...flags('raw-output join-output compact-output null-input exit-status slurp sort-keys color-output monochrome-output ascii-output raw-input tab seq stream stream-errors raw-output0 unbuffered'),
        ...flags('indent', V), arg: 2, argjson: 2, 'from-file': READS,
        slurpfile: { arity: 2, reads: true }, rawfile: { arity: 2, reads: true },
      },
    },
    operands: 'read', firstIsText: (o) => !has(o, 'f', 'from-file'),
  },
};

export const READ_ONLY_SPECS: Record<string, ReadOnlySpec> = {
  cat: { opts: CAT, operands: 'read' },
  head: HEAD_TAIL(false),
  tail: HEAD_TAIL(true),
  wc: { opts: WC, operands: 'read' },
  ls: { opts: LS, operands: 'name' },
  pwd: { opts: { short: shorts('LP'), long: HELP }, operands: 'text', maxOperands: 0 },
  echo: { opts: { short: shorts('neE') }, operands: 'text' },
  printf: { opts: { long: HELP }, operands: 'text', check: (o) => (o.length ? 'printf -v assigns a variable' : undefined) },
  true: { opts: {}, operands: 'text' },
  false: { opts: {}, operands: 'text' },
  which: { opts: { short: shorts('as'), long: HELP }, operands: 'text' },
  whoami: { opts: { long: HELP }, operands: 'text', maxOperands: 0 },
  id: { opts: gnu(shorts('agGnruzZ'), flags('context group groups name real user zero')), operands: 'text' },
  uname: { opts: gnu(shorts('asnrvmpio'), flags('all kernel-name nodename kernel-release kernel-version machine processor hardware-platform operating-system')), operands: 'text', maxOperands: 0 },
  date: {
    opts: gnu({ u: 0, R: 0, I: OPT, d: V, r: NAMES, f: READS }, { ...flags('utc universal rfc-email rfc-2822 debug'), ...flags('date rfc-3339 resolution', V), 'iso-8601': '?', reference: NAMES, file: READS },
      { denyShort: { s: 'sets the system clock' }, denyLong: { set: 'sets the system clock' } }),
    operands: 'text', check: (_o, ops) => (ops.some((x) => !x.startsWith('+')) ? 'date with a time operand sets the system clock' : undefined),
  },
  file: { opts: gnu({ ...shorts('bhiLNnrsz0kZSl'), e: V, F: V, P: V }, { ...flags('brief dereference no-dereference mime mime-type mime-encoding keep-going raw special-files uncompress uncompress-noreport no-pad no-buffer print0 preserve-date extension apple no-sandbox'), ...flags('exclude exclude-quiet separator parameter', V) },
    { denyShort: { C: 'compiles a magic file (writes it)', f: FILES_FROM, m: 'loads a magic file of your choice' }, denyLong: { compile: 'compiles a magic file (writes it)', 'files-from': FILES_FROM, 'magic-file': 'loads a magic file of your choice' } }), operands: 'name' },
  stat: { opts: gnu({ L: 0, f: 0, t: 0, c: V }, { ...flags('dereference file-system terse'), ...flags('format printf cached', V) }), operands: 'name' },
  du: { opts: gnu({ ...shorts('0abcDhHkLlmsSx'), d: V, B: V, t: V, X: READS }, { ...flags('null all apparent-size bytes total dereference-args human-readable inodes dereference count-links separate-dirs si summarize one-file-system no-dereference'), ...flags('max-depth block-size threshold exclude time-style', V), time: '?', 'exclude-from': READS },
    { denyLong: { 'files0-from': FILES_FROM } }), operands: 'name' },
  df: { opts: gnu({ ...shorts('ahHiklPTv'), B: V, t: V, x: V }, { ...flags('all human-readable si inodes local no-sync sync portability print-type total'), ...flags('block-size type exclude-type', V), output: '?' }), operands: 'name' },
  tree: {
    opts: {
      short: { ...shorts('adfixsDhFCnNqpugQrtvcUJX'), L: V, P: V, I: V, H: V, T: V },
      long: { ...HELP, ...flags('noreport prune gitignore du dirsfirst filesfirst matchdirs ignore-case inodes device si nolinks fflinks info metafirst hyperlink noindent'), ...flags('filelimit charset sort timefmt gitfile infofile', V) },
      denyShort: { o: WRITES, R: 'writes an HTML file into every folder', l: 'follows symbolic links, also out of the workspace' },
      denyLong: { fromfile: FILES_FROM, fromtabfile: FILES_FROM },
    },
    operands: 'name',
  },
  diff: { opts: DIFF, operands: 'read', recursive: (o) => (has(o, 'r', 'recursive') ? 'all' : undefined) },
  sort: sortSpec,
  basename: { opts: gnu({ a: 0, z: 0, s: V }, { multiple: 0, zero: 0, suffix: V }), operands: 'text' },
  dirname: { opts: gnu({ z: 0 }, { zero: 0 }), operands: 'text' },
  realpath: { opts: gnu(shorts('emLPqsz'), { ...flags('canonicalize-existing canonicalize-missing logical physical quiet strip no-symlinks zero'), ...flags('relative-to relative-base', V) }), operands: 'name' },
  readlink: { opts: gnu(shorts('femnqsvz'), flags('canonicalize canonicalize-existing canonicalize-missing no-newline quiet silent verbose zero')), operands: 'name' },
  grep: grepSpec,
  egrep: grepSpec,
  fgrep: grepSpec,
  rg: rgSpec,
  test: { opts: {}, operands: 'text' },
  '[': { opts: {}, operands: 'text' },
  seq: { opts: { short: { w: 0, f: V, s: V }, long: { ...HELP, 'equal-width': 0, format: V, separator: V }, numeric: true }, operands: 'text' },
  xxd: { opts: XXD, operands: 'read', maxOperands: 1 },
  sha256sum: SUMS, sha1sum: SUMS, md5sum: SUMS, sha512sum: SUMS, sha224sum: SUMS, sha384sum: SUMS, b2sum: SUMS, cksum: SUMS,
  ...TEXT_FILTERS,
};

/** find is read with its own grammar (start points, then predicates). */
export { findCheck };

export const DIR_INFO = DIR;
