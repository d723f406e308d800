// Reading Cairn's tool results the way a model would: read_file lines, grep hits, a listing, a command's exit
// code, a test run's counts. Each parser is forgiving: what it cannot read, it leaves out.
import type { ToolCall } from './conversation';

/** How a call ended: it ran, the user (or the permission engine) refused it, or it has no result yet. */
export type Outcome = 'ran' | 'declined' | 'missing';

export function outcome(call: ToolCall | undefined): Outcome {
  if (!call?.result) return 'missing';
  return /^(The user rejected this call|Denied: )/.test(call.result.text) ? 'declined' : 'ran';
}

/** The file's lines from a read_file result (the line-number prefixes and trailing notes removed). */
export function fileLines(text: string): string[] {
  const lines: string[] = [];
  for (const row of text.split('\n')) {
    const m = /^\s*\d+\t(.*)$/.exec(row);
    if (m) lines.push(m[1]!);
  }
  return lines;
}

export interface GrepHit { file: string; line: number; text: string }

/** The hits of a grep result ("path:line: text" lines). */
export function grepHits(text: string): GrepHit[] {
  const hits: GrepHit[] = [];
  for (const row of text.split('\n')) {
    const m = /^(.+?):(\d+): ?(.*)$/.exec(row);
    if (m) hits.push({ file: m[1]!, line: Number(m[2]), text: m[3]!.trim() });
  }
  return hits;
}

/** The entries of a list_files result (folders end with "/"). */
export function listEntries(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('[') && !/ is empty /.test(l));
}

/** A run_command result: its exit code (null when it did not exit normally) and its output. */
export function commandResult(text: string): { exitCode: number | null; output: string } {
  const [first = '', ...rest] = text.split('\n');
  const m = /^Exit code (\d+)\./.exec(first);
  return { exitCode: m ? Number(m[1]) : null, output: rest.join('\n') };
}

export interface TestSummary {
  /** Counts as the runner printed them (undefined when it printed none: maybe no tests ran). */
  tests?: number;
  pass?: number;
  fail?: number;
  /** Names of the failing tests, each once. */
  failing: string[];
  /** Where the failing tests are ("test/cart.test.js:15"), each once. */
  locations: string[];
  /** The first "actual !== expected" line of an assertion, if any. */
  assertion?: string;
}

/** What a Node test run printed (spec reporter, or TAP). */
export function testSummary(output: string): TestSummary {
  const count = (name: string) => {
    const m = new RegExp(`^(?:ℹ|#) ${name} (\\d+)\\s*$`, 'm').exec(output);
    return m ? Number(m[1]) : undefined;
  };
  const failing = new Set<string>();
  for (const m of output.matchAll(/^\s*✖ (.+?) \(\d[\d.]*m?s\)\s*$/gm)) failing.add(m[1]!);
  for (const m of output.matchAll(/^\s*not ok \d+ - (.+?)\s*$/gm)) failing.add(m[1]!);
  const locations = new Set<string>();
  for (const m of output.matchAll(/^test at (\S+?):(\d+):\d+\s*$/gm)) locations.add(`${m[1]}:${m[2]}`);
  const assertion = /^\s*(\S+ !== \S+)\s*$/m.exec(output)?.[1];
  return { tests: count('tests'), pass: count('pass'), fail: count('fail'), failing: [...failing], locations: [...locations], ...(assertion ? { assertion } : {}) };
}

/** The last `n` non-empty lines of an output, for quoting. */
export function tail(output: string, n: number): string[] {
  return output.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-n);
}
