// Memory benchmarks (issue 6). Prints `name: value` lines for test/bench/run.mjs.
//
//   transcript_search_1gib_p95_ms   literal query over 1 GiB of generated transcripts, warm, worker threads, as the
//                                   extension host runs it (ripgrep finds the candidate lines; VS Code ships one)
//   transcript_search_vs_ripgrep    its p50 / the p50 of plain `rg -F -n LITERAL .agent/sessions` on the same files,
//                                   in the same run (target <= 1: no slower than ripgrep itself)
//   transcript_search_scan_1gib_p95_ms  the same query with the byte scan (the headless runner without rg)
//   search_event_loop_lag_p99_ms    host event-loop delay (monitorEventLoopDelay) during those searches
//   memory_always_on_tokens         the memory part of the prelude with a full 200-line index (bytes / 4)
//   recall_at_5                     200 planted facts, keyword queries: the right session:line in the top 5
//
// The corpus is generated once into $CAIRN_BENCH_CACHE (default: the OS temp folder, outside the repo) and
// reused; delete that folder to regenerate. CAIRN_BENCH_MEMORY_MB shrinks it for a quick run.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMemory } from '../../extension/core/memory';
import { indexLine } from '../../extension/core/memory/format';
import { buildPrelude, estimateTokens } from '../../extension/core/memory/prelude';
import { spawn } from 'node:child_process';
import { TranscriptSearcher } from '../../extension/core/memory/search/search';
import { percentile, rng } from './lib/common';
import { findRipgrep } from './lib/ripgrep';

const TOTAL_MB = Number(process.env.CAIRN_BENCH_MEMORY_MB ?? 1024);
const FILE_MB = 8;
const CACHE = process.env.CAIRN_BENCH_CACHE ?? join(tmpdir(), `cairn-bench-memory-${TOTAL_MB}mb-v2`);
const AGENT = join(CACHE, '.agent');
const MANIFEST = join(CACHE, 'facts.json');
const LITERAL = 'needle-literal-7f3a9c';
const RUNS = 20;

interface Fact { session: string; line: number; query: string }

const VOCAB = ('staging production deploy port service database owner config cache parser token module build test release ' +
  'migration schema index queue worker cluster region bucket secret rotate timeout retry latency budget alert dashboard ' +
  'quokka wombat kestrel marmot heron otter lynx badger').split(' ');
const CODES = ['quokka', 'wombat', 'kestrel', 'marmot', 'heron', 'otter', 'lynx', 'badger', 'falcon', 'ibis'];

function generate(): Fact[] {
  mkdirSync(join(AGENT, 'sessions'), { recursive: true });
  const r = rng(42);
  const files = Math.max(2, Math.round(TOTAL_MB / FILE_MB));
  const target = FILE_MB * 1024 * 1024;
  const facts: Fact[] = [];
  const plantAt = new Map<string, Array<{ at: number; i: number }>>();
  for (let i = 0; i < 200; i++) {
    const f = `s${String(Math.floor(r() * files)).padStart(4, '0')}`;
    (plantAt.get(f) ?? plantAt.set(f, []).get(f)!).push({ at: Math.floor(r() * 3000) + 2, i });
  }
  const word = () => VOCAB[Math.floor(r() * VOCAB.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  let t = Date.parse('2026-06-01T00:00:00Z');
  for (let fi = 0; fi < files; fi++) {
    const id = `s${String(fi).padStart(4, '0')}`;
    const fd = openSync(join(AGENT, 'sessions', `${id}.jsonl`), 'w');
    const plants = (plantAt.get(id) ?? []).sort((a, b) => a.at - b.at);
    let size = 0;
    let line = 0;
    const lines: string[] = [];
    const flush = () => { const s = lines.join(''); writeSync(fd, s); size += Buffer.byteLength(s); lines.length = 0; };
    const push = (o: object) => { lines.push(JSON.stringify(o) + '\n'); line++; if (lines.length >= 2000) flush(); };
    push({ t: 'meta', v: 1, id, createdAt: t, model: 'claude-sonnet-5-5' });
    while (size + lines.length * 2100 < target) {
      t += 1000;
      const p = plants[0];
      if (p && line + 1 >= p.at) {
        plants.shift();
        const code = `${CODES[p.i % CODES.length]}-${p.i}`;
        const port = 20000 + p.i * 7;
        push({ t: 'msg', ts: t, role: 'user', content: [{ type: 'text', text: `Remember: the ${code} staging database listens on port ${port}; ${sentence(20)}` }] });
        facts.push({ session: id, line, query: `${code} staging port` });
        continue;
      }
      const k = r();
      // Noise mentions the same words and near-miss codes (quokka-17 vs quokka-1702), never a planted code itself.
      const near = `${CODES[Math.floor(r() * CODES.length)]}-${200 + Math.floor(r() * 1800)}`;
      if (k < 0.4) push({ t: 'msg', ts: t, role: 'assistant', content: [{ type: 'text', text: `${sentence(250)} ${near} ${sentence(60)}` }] });
      else if (k < 0.7) push({ t: 'tool_result', ts: t, toolUseId: `tu${line}`, content: `${sentence(320)} staging ${near} port`, isError: false, status: 'done', durationMs: 12 });
      else push({ t: 'msg', ts: t, role: 'assistant', content: [{ type: 'tool_use', id: `tu${line}`, name: 'run_command', input: { command: `${sentence(280)} ${near}` } }] });
      if (r() < 0.0005) push({ t: 'msg', ts: t, role: 'user', content: [{ type: 'text', text: `look for ${LITERAL} ${sentence(10)}` }] });
    }
    flush();
    closeSync(fd);
  }
  writeFileSync(MANIFEST, JSON.stringify(facts));
  return facts;
}

async function main(): Promise<void> {
  let facts: Fact[];
  if (existsSync(MANIFEST)) facts = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Fact[];
  else {
    console.log(`generating a ${TOTAL_MB} MiB transcript corpus in ${CACHE} (once) ...`);
    const g0 = Date.now();
    facts = generate();
    console.log(`generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  }
  const rgPath = findRipgrep() ?? null;
  if (!rgPath) console.log('no ripgrep (apt-get install ripgrep): measuring the byte scan only');
  else console.log(`ripgrep: ${rgPath}`);
  const memory = createMemory({ agentDir: AGENT, workspaceRoot: CACHE, search: { workers: 2, chunkBytes: 16 * 1024 * 1024, rgPath } });
  const searcher = memory.searcher;
  const scanner = new TranscriptSearcher({ workers: 2, chunkBytes: 16 * 1024 * 1024, rgPath: null });

  /** `rg -F -n LITERAL <sessions>` as a person would run it (its output read, as a terminal would). */
  const ripgrepAlone = (): Promise<number> => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(rgPath!, ['--no-config', '-F', '-n', LITERAL, join(AGENT, 'sessions')], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.resume();
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`rg exited ${code}`))));
  });

  // Warm up (page cache, workers), then the timed runs, interleaved (so that a noisy moment hits all of them),
  // with the event-loop monitor on.
  for (let i = 0; i < 2; i++) {
    await searcher.search(AGENT, { query: LITERAL, limit: 10 });
    await scanner.search(AGENT, { query: LITERAL, limit: 10 });
    if (rgPath) await ripgrepAlone();
  }
  const h = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  const scanTimes: number[] = [];
  const rgTimes: number[] = [];
  let hits = 0;
  let scanned = 0;
  let engine = '';
  for (let i = 0; i < RUNS; i++) {
    h.enable();
    let t0 = performance.now();
    const r = await searcher.search(AGENT, { query: LITERAL, limit: 10 });
    times.push(performance.now() - t0);
    t0 = performance.now();
    const s2 = await scanner.search(AGENT, { query: LITERAL, limit: 10 });
    scanTimes.push(performance.now() - t0);
    h.disable();
    if (rgPath) rgTimes.push(await ripgrepAlone());
    if (s2.hits.length !== r.hits.length) throw new Error(`the byte scan found ${s2.hits.length} hits, ripgrep ${r.hits.length}`);
    hits = r.hits.length;
    scanned = r.scannedBytes;
    engine = r.engine;
  }
  scanner.dispose();
  console.log(`searched ${(scanned / 1048576).toFixed(0)} MiB per run, ${hits} hits, ${RUNS} runs each; engine ${engine}: p50 ${percentile(times, 50).toFixed(0)} ms; byte scan p50 ${percentile(scanTimes, 50).toFixed(0)} ms${rgPath ? `; rg alone p50 ${percentile(rgTimes, 50).toFixed(0)} ms, p95 ${percentile(rgTimes, 95).toFixed(0)} ms` : ''}`);
  console.log(`transcript_search_1gib_p95_ms: ${percentile(times, 95).toFixed(1)} (target <= 300)`);
  if (rgPath) console.log(`transcript_search_vs_ripgrep: ${(percentile(times, 50) / percentile(rgTimes, 50)).toFixed(2)} (target <= 1)`);
  console.log(`transcript_search_scan_1gib_p95_ms: ${percentile(scanTimes, 95).toFixed(1)}`);
  console.log(`search_event_loop_lag_p99_ms: ${(h.percentile(99) / 1e6).toFixed(2)} (target < 20)`);

  // Always-on memory with a full 200-line index at the line cap.
  const tmp = mkdtempSync(join(tmpdir(), 'cairn-bench-index-'));
  try {
    const m2 = createMemory({ agentDir: join(tmp, '.agent'), workspaceRoot: tmp });
    mkdirSync(join(tmp, '.agent'), { recursive: true });
    const lines = Array.from({ length: 200 }, (_, i) => { const l = indexLine(`topic-${i}`, `Topic title ${i}`, 'a hook that is longer than the cap allows'); return 'line' in l ? l.line : ''; });
    writeFileSync(join(tmp, '.agent', 'MEMORY.md'), `${lines.join('\n')}\n`);
    const part = buildPrelude(m2.store, tmp, Date.now()).memory;
    console.log(`memory_always_on_tokens: ${estimateTokens(part)} (target < 3000)`);
    m2.dispose();
  } finally { rmSync(tmp, { recursive: true, force: true }); }

  // Recall@5 over the planted facts.
  let found = 0;
  const rtimes: number[] = [];
  for (const f of facts) {
    const t0 = performance.now();
    const r = await searcher.search(AGENT, { query: f.query, limit: 5 });
    rtimes.push(performance.now() - t0);
    if (r.hits.slice(0, 5).some((x) => x.session === f.session && x.line === f.line)) found++;
  }
  console.log(`keyword query (${facts.length} queries, ${engine}) p50 ${percentile(rtimes, 50).toFixed(0)} ms, p95 ${percentile(rtimes, 95).toFixed(0)} ms`);
  console.log(`transcript_keyword_query_p95_ms: ${percentile(rtimes, 95).toFixed(1)} (target <= 300)`);
  console.log(`recall_at_5: ${(found / facts.length).toFixed(3)} (target >= 0.9)`);
  memory.dispose();
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
