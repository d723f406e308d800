/**
 * Reads a command's arguments the way the tool itself does, against that tool's option allowlist. Conventions:
 * GNU getopt_long (short options combine: `-uo FILE`, a short option's value may be attached: `-oFILE`;
 * `--long=value` or `--long value`; optional values only with `=`; unambiguous abbreviations of long options,
 * resolved against every option the tool has that we know of, allowed or not; options may follow operands;
 * `--` ends options) or single-dash long options (`find -name`, `xxd -cols`). Anything not on the allowlist is
 * reported, never guessed: the caller then asks.
 */

/** 0: a switch; 1: takes a value (attached or the next argument); 2: takes two values; '?': optional value (attached only). */
export type Arity = 0 | 1 | 2 | '?';

export interface OptInfo {
  arity: Arity;
  /** The value names a file the tool reads (its content): it goes through the path checks. */
  reads?: boolean;
  /** The value names a file or folder whose contents the tool only lists or uses by name. */
  names?: boolean;
  /** The value names a folder the tool works in (checked like a file operand). */
  dir?: boolean;
}

export interface OptSpec {
  /** Single-letter options (without the dash). */
  short?: Record<string, Arity | OptInfo>;
  /** Long options (without the dashes). */
  long?: Record<string, Arity | OptInfo>;
  /** Known options that are not allowed, with why (same keys as short/long, e.g. "o", "output"). */
  denyShort?: Record<string, string>;
  denyLong?: Record<string, string>;
  /** Long options may be abbreviated (GNU getopt_long). */
  abbrev?: boolean;
  /** `-5` means a count (head -5, grep -3). */
  numeric?: boolean;
  /** Options end at the first operand (POSIX getopt, git's revision options do not). */
  stopAtOperand?: boolean;
  /** Long options take one dash (`-name`); `--` forms are accepted too. */
  singleDash?: boolean;
}

export interface ParsedOpt { name: string; value?: string; values?: string[]; info: OptInfo }
/** `denied`: a known option that writes, runs a program or changes configuration (not merely unknown). */
export type ParsedArgs = { ok: true; opts: ParsedOpt[]; operands: string[] } | { ok: false; why: string; denied?: boolean };

const info = (a: Arity | OptInfo): OptInfo => (typeof a === 'object' ? a : { arity: a });

function resolveLong(spec: OptSpec, name: string): { name: string; allowed?: OptInfo; denied?: string } | undefined {
  const long = spec.long ?? {};
  const deny = spec.denyLong ?? {};
  if (Object.prototype.hasOwnProperty.call(long, name)) return { name, allowed: info(long[name]!) };
  if (Object.prototype.hasOwnProperty.call(deny, name)) return { name, denied: deny[name] };
  if (!spec.abbrev || !name) return undefined;
  const all = [...Object.keys(long), ...Object.keys(deny)].filter((k) => k.startsWith(name));
  if (all.length !== 1) return undefined;
  const full = all[0]!;
  return Object.prototype.hasOwnProperty.call(long, full) ? { name: full, allowed: info(long[full]!) } : { name: full, denied: deny[full] };
}

export function parseArgs(args: string[], spec: OptSpec, tool: string): ParsedArgs {
  const opts: ParsedOpt[] = [];
  const operands: string[] = [];
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (ended || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      if (spec.stopAtOperand) ended = true;
      continue;
    }
    if (a === '--') { ended = true; continue; }
    if (spec.numeric && /^-\d+$/.test(a)) { opts.push({ name: 'NUM', value: a.slice(1), info: { arity: 0 } }); continue; }
    if (a.startsWith('--') || spec.singleDash) {
      const body = a.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const inline = eq === -1 ? undefined : body.slice(eq + 1);
      const r = spec.singleDash && !a.startsWith('--') ? resolveSingle(spec, name) : resolveLong(spec, name);
      if (!r) {
        if (spec.singleDash && !a.startsWith('--')) { const s = shortCluster(a, args, i, spec, tool, opts); if (typeof s !== 'number') return { ok: false, ...s }; i = s; continue; }
        return { ok: false, why: `${tool} ${a.split('=')[0]} is not an option known to be safe` };
      }
      if (r.denied !== undefined) return { ok: false, denied: true, why: `${tool} ${a.startsWith('--') ? '--' : '-'}${r.name} ${r.denied}` };
      const oi = r.allowed!;
      if (oi.arity === 0) {
        if (inline !== undefined) return { ok: false, why: `${tool} --${r.name} takes no value` };
        opts.push({ name: r.name, info: oi });
      } else if (oi.arity === '?') {
        opts.push({ name: r.name, ...(inline !== undefined ? { value: inline } : {}), info: oi });
      } else if (oi.arity === 2) {
        const values = inline !== undefined ? [inline, args[++i] ?? ''] : [args[++i] ?? '', args[++i] ?? ''];
        if (i >= args.length) return { ok: false, why: `${tool} --${r.name} is missing its values` };
        opts.push({ name: r.name, values, info: oi });
      } else {
        const value = inline ?? args[++i];
        if (value === undefined) return { ok: false, why: `${tool} --${r.name} is missing its value` };
        opts.push({ name: r.name, value, info: oi });
      }
      continue;
    }
    const s = shortCluster(a, args, i, spec, tool, opts);
    if (typeof s !== 'number') return { ok: false, ...s };
    i = s;
  }
  return { ok: true, opts, operands };
}

function resolveSingle(spec: OptSpec, name: string): { name: string; allowed?: OptInfo; denied?: string } | undefined {
  const long = spec.long ?? {};
  const deny = spec.denyLong ?? {};
  if (Object.prototype.hasOwnProperty.call(long, name)) return { name, allowed: info(long[name]!) };
  if (Object.prototype.hasOwnProperty.call(deny, name)) return { name, denied: deny[name] };
  return undefined;
}

/** Read one cluster of short options at args[i]; returns the index of the last argument consumed, or why not. */
function shortCluster(a: string, args: string[], i: number, spec: OptSpec, tool: string, opts: ParsedOpt[]): number | { why: string; denied?: boolean } {
  const short = spec.short ?? {};
  const deny = spec.denyShort ?? {};
  for (let j = 1; j < a.length; j++) {
    const ch = a[j] ?? '';
    if (Object.prototype.hasOwnProperty.call(deny, ch)) return { denied: true, why: `${tool} -${ch}${a.length > 2 ? ` (in ${a})` : ''} ${deny[ch]}` };
    if (!Object.prototype.hasOwnProperty.call(short, ch)) {
      if (spec.numeric && /\d/.test(ch)) { const m = /^\d+/.exec(a.slice(j))![0]; opts.push({ name: 'NUM', value: m, info: { arity: 0 } }); j += m.length - 1; continue; }
      return { why: `${tool} -${ch}${a.length > 2 ? ` (in ${a})` : ''} is not an option known to be safe` };
    }
    const oi = info(short[ch]!);
    if (oi.arity === 0) { opts.push({ name: ch, info: oi }); continue; }
    const rest = a.slice(j + 1);
    if (oi.arity === '?') { opts.push({ name: ch, ...(rest ? { value: rest } : {}), info: oi }); return i; }
    if (oi.arity === 2) {
      const values = rest ? [rest, args[i + 1] ?? ''] : [args[i + 1] ?? '', args[i + 2] ?? ''];
      const last = rest ? i + 1 : i + 2;
      if (last >= args.length) return { why: `${tool} -${ch} is missing its values` };
      opts.push({ name: ch, values, info: oi });
      return last;
    }
    if (rest) { opts.push({ name: ch, value: rest, info: oi }); return i; }
    if (i + 1 >= args.length) return { why: `${tool} -${ch} is missing its value` };
    opts.push({ name: ch, value: args[i + 1], info: oi });
    return i + 1;
  }
  return i;
}

/** Shorthands for writing specs. */
export const V: OptInfo = { arity: 1 };
export const READS: OptInfo = { arity: 1, reads: true };
export const NAMES: OptInfo = { arity: 1, names: true };
export const DIR: OptInfo = { arity: 1, dir: true };
export const OPT: OptInfo = { arity: '?' };

/** Build a record of switches from a list of names. */
export function flags(names: string, arity: Arity | OptInfo = 0): Record<string, Arity | OptInfo> {
  const out: Record<string, Arity | OptInfo> = {};
  for (const n of names.split(/\s+/).filter(Boolean)) out[n] = arity;
  return out;
}

/** Short switches from a string of letters: shorts('abc') -> { a: 0, b: 0, c: 0 }. */
export function shorts(letters: string, arity: Arity | OptInfo = 0): Record<string, Arity | OptInfo> {
  const out: Record<string, Arity | OptInfo> = {};
  for (const c of letters) out[c] = arity;
  return out;
}
