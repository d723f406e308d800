/**
 * Crash and resume of the headless runner (issue #3). Each run: a fresh temp workspace, an emulator scripted for a
 * multi-step task whose tools have side effects (run_command `node mark.js <tool_use id>` appends the id to
 * markers.txt; write_file creates files), `node dist/cli.js --permission-mode auto` killed with SIGKILL at a random
 * point (uniform between 0 and the typical run duration), then:
 *   - the transcript must be readable (a torn last line is allowed: it is reported and skipped);
 *   - `--resume <id>` (with `-p continue` when the session is at rest) runs to completion;
 *   - the first request after the resume carries exactly the history of the last completed step
 *     (plus the recovered tool results, plus "continue" when at rest);
 *   - no marker appears twice and no tool_use id was started twice (no tool ran twice);
 *   - every run_command that the transcript reports done left its marker exactly once;
 *   - the run ends completed.
 *
 *   resume_ok: N/200
 *
 * Run alone: node --import tsx test/bench/resume-bench.ts   (CAIRN_BENCH_RESUME_RUNS=20 for a quick run,
 * CAIRN_BENCH_RESUME_PARALLEL=3 for the number of runs at a time).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appended, projectHistory, unansweredToolUses } from '../../extension/core/session/project';
import type { ApiMessage } from '../../extension/core/providers/types';
import type { TranscriptEntry } from '../../extension/core/session/entries';
import { recoverOpenTools } from '../../extension/core/session/replay';
import { parseTranscript, type ReadProblem } from '../../extension/core/session/transcript';
import { startEmulator, type Emulator, type Rule, type ScriptBlock } from '../emulator';
import { messageExchanges, percentile, rng, withoutCacheControl, type MessagesBody } from './lib/common';
import { ensureBuilt, runCli, type CliRun } from './lib/cli';

const RUNS = Number(process.env.CAIRN_BENCH_RESUME_RUNS ?? 200);
const PARALLEL = Math.max(1, Number(process.env.CAIRN_BENCH_RESUME_PARALLEL ?? 3));
const SEED = Number(process.env.CAIRN_BENCH_SEED ?? 20261121);
/** A little time between SSE events, so some kills land mid-stream as they would with a real model. */
const STREAM_DELAY_MS = 3;
const TASK = 'Set up the out/ folder and mark each step with mark.js, one step at a time.';
const FINAL_TEXT = 'All steps are done: the files are in out/ and every step is marked.';
const MARK_JS = "const fs = require('fs');\nfs.appendFileSync('markers.txt', process.argv[2] + '\\n');\nconsole.log('marked ' + process.argv[2]);\n";

// ---- the scenario: step k is the reply to a request whose history holds k assistant messages ----

const cmd = (id: string): ScriptBlock => ({ type: 'tool_use', id, name: 'run_command', input: { command: `node mark.js ${id}` } });
const write = (id: string, path: string): ScriptBlock => ({ type: 'tool_use', id, name: 'write_file', input: { path, content: `written by ${id}\n` } });
const STEPS: ScriptBlock[][] = [
  [{ type: 'text', text: 'I will create the notes file first.' }, write('toolu_s0_w', 'out/s0.txt')],
  [cmd('toolu_s1_c')],
  [{ type: 'text', text: 'Marking step 2 and writing its file.' }, cmd('toolu_s2_c1'), write('toolu_s2_w', 'out/s2.txt'), cmd('toolu_s2_c2')],
  [cmd('toolu_s3_c')],
  [write('toolu_s4_w', 'out/s4.txt'), cmd('toolu_s4_c')],
  [{ type: 'text', text: 'Last step.' }, cmd('toolu_s5_c')],
];
const MARKERS = new Set(STEPS.flat().flatMap((b) => (b.type === 'tool_use' && b.name === 'run_command' ? [b.id!] : [])));

function assistantCount(body: Record<string, unknown>): number {
  return (body as unknown as MessagesBody).messages.filter((m) => m.role === 'assistant').length;
}

function rules(): Rule[] {
  const r: Rule[] = STEPS.map((content, k) => ({ match: { when: (b) => assistantCount(b) === k }, reply: { content } }));
  r.push({ match: { when: (b) => assistantCount(b) >= STEPS.length }, reply: { text: FINAL_TEXT } });
  return r;
}

// ---- the runner ----

// ---- one run ----

interface Outcome { ok: boolean; kind: string; torn: boolean; failures: string[]; ms: number; workspace: string }

function readProblemsAllowed(problems: ReadProblem[], lineCount: number): string | undefined {
  const bad = problems.filter((p) => !(p.kind === 'torn' && p.line === lineCount));
  return bad.length ? bad.map((p) => `line ${p.line} ${p.kind}: ${JSON.stringify(p.preview)}`).join('; ') : undefined;
}

function lineCount(buf: Buffer): number {
  let n = 0;
  for (const b of buf) if (b === 0x0a) n++;
  return buf.length && buf[buf.length - 1] !== 0x0a ? n + 1 : n;
}

function sessionFiles(ws: string): string[] {
  const dir = join(ws, '.agent', 'sessions');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
}

function classify(entries: TranscriptEntry[], history: ApiMessage[], recovered: Array<{ content?: unknown }>, exitedAlone: boolean): string {
  if (exitedAlone) return 'finished before the kill';
  const last = entries[entries.length - 1];
  if (recovered.some((r) => typeof r.content === 'string' && r.content.startsWith('The session stopped'))) return 'killed while a tool ran';
  if (recovered.length) return 'killed between tool results';
  if (last?.t === 'partial') return 'killed mid-stream (partial logged)';
  if (!history.length) return 'killed before the first message';
  const lastMsg = history[history.length - 1]!;
  if (lastMsg.role === 'user') return 'killed while the model replied (request sent, reply not yet logged)';
  if (last?.t === 'turn_end') return 'killed after the task ended';
  return 'killed after the final answer';
}

/**
 * Kill points the random kills reach rarely or never, made deterministic by editing a transcript as the kill would
 * have left it (only where no side effect happened after the cut, so a correct runtime must not repeat anything):
 *   empty        the file was created but its first line not yet written (kill between open and write);
 *   torn-end     a finished session whose last line (turn_end) was cut in half;
 *   torn-answer  a finished session cut in the middle of the final answer's line (turn_end lost too).
 */
type Edge = 'empty' | 'torn-end' | 'torn-answer';
const EDGES: Edge[] = ['empty', 'torn-end', 'torn-answer'];

function cutLastLines(path: string, edge: Edge): void {
  const buf = readFileSync(path);
  const starts = [0];
  for (let i = 0; i < buf.length - 1; i++) if (buf[i] === 0x0a) starts.push(i + 1);
  // The last line is turn_end, the one before it the final answer.
  const line = edge === 'torn-end' ? starts[starts.length - 1]! : starts[starts.length - 2]!;
  const end = buf.indexOf(0x0a, line);
  writeFileSync(path, buf.subarray(0, line + Math.floor((end - line) / 2)));
}

async function oneRun(index: number, killAfterMs: number | undefined, edge?: Edge): Promise<Outcome> {
  const ws = mkdtempSync(join(tmpdir(), 'cairn-bench-resume-'));
  writeFileSync(join(ws, 'mark.js'), MARK_JS);
  const emu: Emulator = await startEmulator({ port: 0, rules: rules(), streamDelayMs: STREAM_DELAY_MS });
  const failures: string[] = [];
  const env = { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: emu.url, CAIRN_DURABLE: '1' };
  const common = ['--cwd', ws, '--output-format', 'stream-json', '--permission-mode', 'auto', '--max-turns', '20'];
  let kind = 'calibration';
  let torn = false;
  const t0 = performance.now();
  try {
    let first: CliRun;
    if (edge === 'empty') {
      const sid = randomUUID();
      mkdirSync(join(ws, '.agent', 'sessions'), { recursive: true });
      writeFileSync(join(ws, '.agent', 'sessions', `${sid}.jsonl`), '');
      first = { code: null, signal: 'SIGKILL', lines: [], stderr: '', ms: 0, sessionId: sid };
    } else {
      first = await runCli(['-p', TASK, ...common], env, killAfterMs);
      if (edge && first.sessionId) {
        if (first.code !== 0) failures.push(`the uninterrupted run exited ${first.code}`);
        cutLastLines(join(ws, '.agent', 'sessions', `${first.sessionId}.jsonl`), edge);
        first = { ...first, signal: 'SIGKILL' };
      }
    }
    const exitedAlone = first.signal !== 'SIGKILL';
    if (exitedAlone && first.code !== 0) failures.push(`the first run exited ${first.code} before the kill: ${first.stderr.trim().slice(0, 300)}`);
    const files = sessionFiles(ws);
    const id = first.sessionId ?? (files.length === 1 ? files[0]!.slice(0, -'.jsonl'.length) : undefined);
    if (files.length > 1) failures.push(`${files.length} transcripts in one workspace`);

    let second: CliRun;
    let expectedFirst: ApiMessage[] | undefined;
    let before: ApiMessage[] = [];
    let beforeProblems: ReadProblem[] = [];
    const requestsBefore = messageExchanges(emu.requests).length;
    const path = id ? join(ws, '.agent', 'sessions', `${id}.jsonl`) : undefined;
    if (killAfterMs === undefined && !edge) {
      second = first;
    } else if (!path || !existsSync(path)) {
      kind = 'killed before the transcript existed';
      second = await runCli(['-p', TASK, ...common], env);
    } else {
      const buf = readFileSync(path);
      const { entries, problems } = parseTranscript(buf);
      beforeProblems = problems;
      const bad = readProblemsAllowed(problems, lineCount(buf));
      if (bad) failures.push(`transcript unreadable before resume: ${bad}`);
      torn = problems.some((p) => p.kind === 'torn');
      const history = projectHistory(entries);
      const recovered = recoverOpenTools(entries, Date.now())?.results ?? [];
      before = history;
      kind = edge ? `edge case: ${edge}` : buf.length === 0 ? 'killed between creating the transcript and writing its first line (empty file)'
        : classify(entries, history, recovered as Array<{ content?: unknown }>, exitedAlone);
      let expected: ApiMessage[] = JSON.parse(JSON.stringify(history)) as ApiMessage[];
      if (recovered.length) expected = appended(expected, 'user', recovered);
      const last = expected[expected.length - 1];
      const atRest = !last || (last.role === 'assistant' && unansweredToolUses(expected).length === 0);
      if (atRest) expected = appended(expected, 'user', [{ type: 'text', text: 'continue' }]);
      expectedFirst = expected;
      second = await runCli(['--resume', id!, ...(atRest ? ['-p', 'continue'] : []), ...common], env);
    }

    // The run ends completed.
    const ended = second.lines.map((l) => { try { return JSON.parse(l) as { type?: string; stop?: string; error?: { message?: string } | null }; } catch { return undefined; } })
      .filter((v) => v?.type === 'result').pop();
    if (second.code !== 0 || ended?.stop !== 'completed') {
      failures.push(`the ${killAfterMs === undefined && !edge ? '' : 'resumed '}run did not complete: exit ${second.code ?? second.signal}, stop ${ended?.stop ?? '(no result line)'}${ended?.error?.message ? ` (${ended.error.message})` : ''}; stderr: ${second.stderr.trim().slice(0, 300)}`);
    }

    // The resumed session starts from the last completed step.
    if (expectedFirst) {
      const firstAfter = messageExchanges(emu.requests)[requestsBefore];
      if (!firstAfter) failures.push('no request after the resume');
      else {
        const sent = JSON.stringify(withoutCacheControl((firstAfter.body as MessagesBody).messages));
        const want = JSON.stringify(expectedFirst);
        if (sent !== want) {
          let at = 0;
          while (at < sent.length && sent[at] === want[at]) at++;
          failures.push(`first request after the resume differs from the last completed step at char ${at}: sent …${sent.slice(Math.max(0, at - 80), at + 80)}… expected …${want.slice(Math.max(0, at - 80), at + 80)}…`);
        }
      }
    }

    // The final transcript: readable (only the old torn line, now followed by a newline), history extends the
    // pre-kill history, no tool started twice, ends completed.
    const finalPath = id && path && existsSync(path) ? path : (() => { const f = sessionFiles(ws); return f.length === 1 ? join(ws, '.agent', 'sessions', f[0]!) : undefined; })();
    if (!finalPath) failures.push('no transcript after the run');
    else {
      const { entries, problems } = parseTranscript(readFileSync(finalPath));
      const known = new Set(beforeProblems.map((p) => p.line));
      const fresh = problems.filter((p) => !known.has(p.line));
      if (fresh.length) failures.push(`final transcript has unreadable lines: ${fresh.map((p) => `${p.line} ${p.kind}`).join(', ')}`);
      const fin = { history: projectHistory(entries) };
      const prefixOk = before.every((m, i) => JSON.stringify(fin.history[i]) === JSON.stringify(m));
      if (!prefixOk) failures.push('the final history does not start with the pre-kill history');
      const lastMsg = fin.history[fin.history.length - 1];
      const lastText = lastMsg && lastMsg.role === 'assistant' && Array.isArray(lastMsg.content) ? lastMsg.content.map((b) => (b.type === 'text' ? b.text : '')).join('') : '';
      if (lastText !== FINAL_TEXT) failures.push(`the final history does not end with the final answer (last: ${JSON.stringify(lastText.slice(0, 80))})`);
      const ends = entries.filter((e): e is Extract<TranscriptEntry, { t: 'turn_end' }> => e.t === 'turn_end');
      if (ends[ends.length - 1]?.stop !== 'completed') failures.push(`the last turn_end is ${ends[ends.length - 1]?.stop ?? 'missing'}`);
      const starts = new Map<string, number>();
      for (const e of entries) if (e.t === 'tool_start' || (e.t === 'tool_state' && e.state === 'running')) starts.set(e.toolUseId, (starts.get(e.toolUseId) ?? 0) + 1);
      for (const [tid, n] of starts) if (n > 1) failures.push(`tool ${tid} was started ${n} times`);
      // Side effects: each marker at most once; each run_command reported done left exactly one marker.
      const markersFile = join(ws, 'markers.txt');
      const lines = existsSync(markersFile) ? readFileSync(markersFile, 'utf8').split('\n').filter(Boolean) : [];
      const counts = new Map<string, number>();
      for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
      for (const [m, n] of counts) {
        if (n > 1) failures.push(`marker ${m} appears ${n} times (a tool ran twice)`);
        if (!MARKERS.has(m)) failures.push(`unexpected marker ${JSON.stringify(m)}`);
      }
      for (const e of entries) {
        if (e.t === 'tool_result' && e.status === 'done' && MARKERS.has(e.toolUseId) && counts.get(e.toolUseId) !== 1) {
          failures.push(`run_command ${e.toolUseId} is reported done but its marker appears ${counts.get(e.toolUseId) ?? 0} times`);
        }
      }
    }
  } catch (err) {
    failures.push(`bench error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    await emu.close();
  }
  const ok = failures.length === 0;
  if (ok || index < 0) rmSync(ws, { recursive: true, force: true });
  return { ok, kind, torn, failures, ms: performance.now() - t0, workspace: ws };
}

async function pool<T>(n: number, parallel: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, async () => {
    while (next < n) { const i = next++; out[i] = await fn(i); }
  }));
  return out;
}

async function main(): Promise<void> {
  ensureBuilt();
  const t0 = performance.now();
  // Calibration: uninterrupted runs under the same parallel load give the typical run duration.
  const cal = await pool(PARALLEL * 2, PARALLEL, async () => {
    const t = performance.now();
    const o = await oneRun(-1, undefined);
    return { o, ms: performance.now() - t };
  });
  for (const c of cal) if (!c.o.ok) console.log(`# calibration run failed: ${c.o.failures.join(' | ')}`);
  const typical = percentile(cal.map((c) => c.ms), 50);
  console.log(`# typical uninterrupted run: ${typical.toFixed(0)} ms (median of ${cal.length}); ${RUNS} runs, ${PARALLEL} at a time, kill delay uniform in [0, ${typical.toFixed(0)}] ms, seed ${SEED}`);
  const r = rng(SEED);
  const delays = Array.from({ length: RUNS }, () => r() * typical);
  const results = await pool(RUNS, PARALLEL, (i) => oneRun(i, delays[i]!));
  const ok = results.filter((x) => x.ok).length;
  const kinds = new Map<string, number>();
  for (const x of results) kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`#   ${String(n).padStart(3)} ${k}`);
  console.log(`# torn last lines seen (reported and skipped): ${results.filter((x) => x.torn).length}`);
  console.log(`# total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`resume_ok: ${ok}/${RUNS}`);
  const edges = await pool(EDGES.length, PARALLEL, (i) => oneRun(RUNS + i, undefined, EDGES[i]));
  console.log(`resume_edge_cases_ok: ${edges.filter((x) => x.ok).length}/${EDGES.length}`);
  for (const [i, x] of edges.entries()) {
    console.log(`# edge case ${EDGES[i]}: ${x.ok ? 'ok' : `FAILED (workspace kept: ${x.workspace})`}${x.torn ? ' (torn last line reported and skipped)' : ''}`);
    for (const f of x.failures) console.log(`#   - ${f}`);
  }
  for (const [i, x] of results.entries()) {
    if (x.ok) continue;
    console.log(`# FAILED run ${i} (kill at ${delays[i]!.toFixed(0)} ms, ${x.kind}; workspace kept: ${x.workspace})`);
    for (const f of x.failures) console.log(`#   - ${f}`);
  }
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
