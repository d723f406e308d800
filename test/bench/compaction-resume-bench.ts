/**
 * kill -9 around a compaction (issue #10): the headless runner works through a task whose third reply reports a
 * nearly full context (the emulator adds input tokens to its usage), so the next request first compacts (a
 * summary request, answered by a rule) and then goes on. Each run kills the runner at a random point (uniform over
 * a typical run, so many kills land around the compaction), then resumes it. A run is ok when:
 *   - the transcript is readable (only a torn last line, reported and skipped);
 *   - every request the resumed runner sends has a valid history (no unpaired tool_use/tool_result, roles alternate);
 *   - the final transcript projects to a valid history, and holds one compaction boundary at most per time the
 *     context was over the mark;
 *   - no tool ran twice, and the resumed run ends completed.
 *
 *   resume_compaction_ok: N/M
 *
 * Run alone: node --import tsx test/bench/compaction-resume-bench.ts   (CAIRN_BENCH_RESUME_COMPACT_RUNS=40)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pairProblems } from '../../extension/core/compaction/pairs';
import { projectHistory } from '../../extension/core/session/project';
import { parseTranscript } from '../../extension/core/session/transcript';
import { startEmulator, type Rule, type ScriptBlock } from '../emulator';
import { ensureBuilt, runCli } from './lib/cli';
import { messageExchanges, percentile, rng, type MessagesBody } from './lib/common';

const RUNS = Number(process.env.CAIRN_BENCH_RESUME_COMPACT_RUNS ?? 40);
const PARALLEL = 3;
const SUMMARY_MARK = 'The conversation is about to be compacted';
const TASK = 'Mark each step with mark.js, one step at a time.';
const FINAL = 'All steps are marked.';
const MARK_JS = "require('fs').appendFileSync('markers.txt', process.argv[2] + '\\n');\nconsole.log('marked ' + process.argv[2]);\n";
const cmd = (id: string): ScriptBlock => ({ type: 'tool_use', id, name: 'run_command', input: { command: `node mark.js ${id}` } });
const STEPS = ['toolu_k0', 'toolu_k1', 'toolu_k2', 'toolu_k3', 'toolu_k4'];

/** The step to answer: after the result of step k's call comes step k + 1 (robust to a compacted history). */
function lastResultId(b: Record<string, unknown>): string | undefined {
  const msgs = (b as unknown as MessagesBody).messages;
  const last = msgs[msgs.length - 1];
  if (!last || !Array.isArray(last.content)) return undefined;
  const ids = last.content.flatMap((x) => (x.type === 'tool_result' ? [String(x.tool_use_id)] : []));
  return ids[ids.length - 1];
}

function rules(): Rule[] {
  const r: Rule[] = [
    { match: { lastUserText: SUMMARY_MARK }, reply: { text: '<summary>Steps so far were marked; go on with the next one.</summary>' } },
    { match: { lastUserText: 'Update the session notes' }, reply: { text: '## Current task\nMarking steps.' } },
    { match: { when: (b) => lastResultId(b) === undefined }, reply: { content: [cmd(STEPS[0]!)] } },
  ];
  STEPS.forEach((id, k) => {
    const next = STEPS[k + 1];
    // The reply after step 2 reports a nearly full context: the next request compacts first.
    const extra = k === 2 ? { extra_input_tokens: 30_000 } : {};
    r.push({ match: { when: (b) => lastResultId(b) === id }, reply: next ? { content: [cmd(next)], ...extra } : { text: FINAL } });
  });
  return r;
}

async function oneRun(killAfterMs: number | undefined): Promise<{ ok: boolean; failures: string[]; compacted: boolean; ws: string }> {
  const ws = mkdtempSync(join(tmpdir(), 'cairn-bench-compact-resume-'));
  writeFileSync(join(ws, 'mark.js'), MARK_JS);
  const emu = await startEmulator({ port: 0, rules: rules(), streamDelayMs: 3 });
  const failures: string[] = [];
  const env = { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: emu.url, CAIRN_DURABLE: '1' };
  const common = ['--cwd', ws, '--output-format', 'stream-json', '--permission-mode', 'auto', '--max-turns', '20', '--context-window', '40000'];
  let compacted = false;
  try {
    const first = await runCli(['-p', TASK, ...common], env, killAfterMs);
    const dir = join(ws, '.agent', 'sessions');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
    let id = first.sessionId ?? files[0]?.slice(0, -'.jsonl'.length);
    let requestsBefore = messageExchanges(emu.requests).length;
    if (first.signal === 'SIGKILL' && !(id && existsSync(join(dir, `${id}.jsonl`)))) {
      // Killed before the transcript existed: start over.
      const again = await runCli(['-p', TASK, ...common], env);
      id = again.sessionId;
      if (again.code !== 0) failures.push(`the fresh run exited ${again.code}: ${again.stderr.slice(0, 300)}`);
    } else if (first.signal === 'SIGKILL' && id) {
      const { problems } = parseTranscript(readFileSync(join(dir, `${id}.jsonl`)));
      if (problems.some((p, i) => p.kind !== 'torn' || i < problems.length - 1)) failures.push(`unreadable lines before resume: ${problems.map((p) => `${p.line} ${p.kind}`).join(', ')}`);
      requestsBefore = messageExchanges(emu.requests).length;
      const second = await runCli(['--resume', id, '-p', 'continue', ...common], env);
      const result = second.lines.map((l) => { try { return JSON.parse(l) as { type?: string; stop?: string }; } catch { return undefined; } }).find((v) => v?.type === 'result');
      if (second.code !== 0 || result?.stop !== 'completed') failures.push(`the resumed run did not complete: exit ${second.code}, stop ${result?.stop}; ${second.stderr.slice(0, 300)}`);
    } else if (first.signal !== 'SIGKILL' && first.code !== 0) {
      failures.push(`the run exited ${first.code}: ${first.stderr.slice(0, 300)}`);
    }
    // Every request after the resume carries a valid history.
    for (const ex of messageExchanges(emu.requests).slice(requestsBefore)) {
      const p = pairProblems((ex.body as MessagesBody).messages as never);
      if (p.length) failures.push(`a request after the resume has an invalid history: ${p[0]}`);
    }
    const path = id ? join(dir, `${id}.jsonl`) : undefined;
    if (!path || !existsSync(path)) failures.push('no transcript');
    else {
      const { entries } = parseTranscript(readFileSync(path));
      const p = pairProblems(projectHistory(entries));
      if (p.length) failures.push(`the final projection is invalid: ${p[0]}`);
      compacted = entries.some((e) => e.t === 'compaction');
      const runs = new Map<string, number>();
      for (const e of entries) if (e.t === 'tool_state' && e.state === 'running') runs.set(e.toolUseId, (runs.get(e.toolUseId) ?? 0) + 1);
      for (const [t, n] of runs) if (n > 1) failures.push(`${t} ran ${n} times`);
      const markers = existsSync(join(ws, 'markers.txt')) ? readFileSync(join(ws, 'markers.txt'), 'utf8').split('\n').filter(Boolean) : [];
      for (const m of new Set(markers)) if (markers.filter((x) => x === m).length > 1) failures.push(`marker ${m} appears twice`);
    }
  } catch (err) {
    failures.push(`bench error: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await emu.close();
    if (!failures.length) rmSync(ws, { recursive: true, force: true });
  }
  return { ok: failures.length === 0, failures, compacted, ws };
}

async function pool<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < n) { const i = next++; out[i] = await fn(i); } }));
  return out;
}

async function main(): Promise<void> {
  ensureBuilt();
  const cal = await pool(3, PARALLEL, async () => { const t = performance.now(); const o = await oneRun(undefined); return { o, ms: performance.now() - t }; });
  for (const c of cal) if (!c.o.ok || !c.o.compacted) console.log(`# calibration run ${c.o.ok ? 'did not compact' : `failed: ${c.o.failures.join(' | ')}`}`);
  const typical = percentile(cal.map((c) => c.ms), 50);
  const r = rng(20261202);
  const results = await pool(RUNS, PARALLEL, () => oneRun(r() * typical));
  const ok = results.filter((x) => x.ok).length;
  console.log(`# ${RUNS} runs killed at a random point in [0, ${typical.toFixed(0)}] ms; ${results.filter((x) => x.compacted).length} transcripts hold a compaction`);
  for (const x of results.filter((y) => !y.ok).slice(0, 5)) console.log(`# FAILED (workspace kept: ${x.ws}): ${x.failures.join(' | ')}`);
  console.log(`resume_compaction_ok: ${ok}/${RUNS} (target >= ${RUNS}/${RUNS})`);
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
