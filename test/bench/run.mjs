// Runs every benchmark script in test/bench (files named *-bench.ts or *-bench.mjs), one process each,
// one after the other, streaming their output; then prints a summary of every `name: value` figure
// they printed and whether it meets its target. Benchmarks report, they do not gate: the exit code is
// 0 even when a target is missed, and 1 only when a script crashed (non-zero exit, signal, timeout).
//
//   npm run bench                 all benchmarks
//   npm run bench -- agent edit   only scripts whose file name contains one of the words
//
// A script may declare a figure's target itself: `name: value (target >= X)`; otherwise the table below
// applies. Values are numbers or fractions `N/M` (compared as N/M; a target `100/100` means all of them).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Targets of the figures the issues set (scripts may also print their own `(target ...)`). */
const TARGETS = {
  cache_hit_vs_ceiling: '>= 0.98',
  prefix_stable_turns: '>= 100/100',
  overhead_ms_p50: '<= 10',
  overhead_ms_p95: '<= 10',
  resume_ok: '>= 200/200',
  resume_edge_cases_ok: '>= 3/3',
  edit_apply_p95_ms: '< 5',
  edit_corpus_pass: '>= 1.0',
  transcript_search_1gib_p95_ms: '<= 300',
  transcript_search_vs_ripgrep: '<= 1',
  transcript_keyword_query_p95_ms: '<= 300',
  search_event_loop_lag_p99_ms: '< 20',
  memory_always_on_tokens: '< 3000',
  recall_at_5: '>= 0.9',
  webview_dom_nodes: '< 3000',
  webview_heap_mb: '< 150',
  webview_first_render_ms: '< 300',
  webview_delta_bytes_p95: '< 2048',
  webview_keypress_paint_p95_ms: '< 16',
  permission_readonly_allowed: '>= 0.95',
  parse_p95_us: '< 500',
  dream_duplicates_merged: '>= 10/10',
  dream_contradictions_fixed: '>= 5/5',
  dream_index_within_limits: '>= 1/1',
  dream_recall_at_5: '>= 0.9',
  dream_recall_change: '>= 0',
  proactive_requests_per_tick_changing: '<= 1',
  proactive_sleeping_tick_usd: '<= 0',
  subagent_parallel_speedup: '>= 3.9',
  subagent_context_ratio: '<= 0.15',
  subagent_prefix_shared: '>= 4/4',
  subagent_cache_read: '>= 3/3',
};

const SCRIPT_TIMEOUT_MS = 20 * 60_000;
const FIGURE = /^([A-Za-z][\w.]*):\s+(-?\d[^\s(]*)(?:\s.*?)?(?:\(target\s*(<=|>=|<|>|==|=)\s*([^)\s]+)\))?\s*$/;

function parseValue(text) {
  const frac = /^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (frac) return Number(frac[2]) === 0 ? NaN : Number(frac[1]) / Number(frac[2]);
  const n = Number(text.replace(/(ms|s|%)$/, ''));
  return Number.isFinite(n) ? n : NaN;
}

function meets(value, target) {
  const m = /^(<=|>=|<|>|==|=)\s*(\S+)$/.exec(target);
  if (!m) return undefined;
  const v = parseValue(value);
  const t = parseValue(m[2]);
  if (Number.isNaN(v) || Number.isNaN(t)) return undefined;
  switch (m[1]) {
    case '<=': return v <= t;
    case '>=': return v >= t;
    case '<': return v < t;
    case '>': return v > t;
    default: return v === t;
  }
}

function scripts(filters) {
  return readdirSync(here)
    .filter((f) => /-bench\.(ts|mjs)$/.test(f))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
}

function runScript(file, figures) {
  return new Promise((resolve) => {
    const path = join(here, file);
    const args = file.endsWith('.ts') ? ['--import', 'tsx', path] : [path];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    const onLine = (line) => {
      process.stdout.write(`[${file}] ${line}\n`);
      const m = FIGURE.exec(line.trim());
      if (m) figures.push({ script: file, name: m[1], value: m[2], target: m[3] ? `${m[3]} ${m[4]}` : TARGETS[m[1]] });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) { onLine(pending.slice(0, nl).replace(/\r$/, '')); pending = pending.slice(nl + 1); }
    });
    const timer = setTimeout(() => { process.stdout.write(`[${file}] timed out after ${SCRIPT_TIMEOUT_MS / 60_000} min\n`); child.kill('SIGKILL'); }, SCRIPT_TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, why: err.message }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pending) onLine(pending);
      resolve(code === 0 ? { ok: true } : { ok: false, why: signal ? `killed by ${signal}` : `exit code ${code}` });
    });
  });
}

async function main() {
  const list = scripts(process.argv.slice(2));
  if (list.length === 0) { console.log('no benchmark scripts matched'); return 1; }
  const figures = [];
  const crashed = [];
  for (const file of list) {
    const t0 = performance.now();
    process.stdout.write(`\n=== ${relative(root, join(here, file))}\n`);
    const r = await runScript(file, figures);
    process.stdout.write(`=== ${file}: ${r.ok ? 'done' : `CRASHED (${r.why})`} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    if (!r.ok) crashed.push(`${file} (${r.why})`);
  }
  process.stdout.write('\n=== summary\n');
  let missed = 0;
  for (const f of figures) {
    const ok = f.target ? meets(f.value, f.target) : undefined;
    if (ok === false) missed++;
    const verdict = f.target ? ` (target ${f.target}) ${ok === undefined ? '?' : ok ? 'ok' : 'MISSED'}` : '';
    process.stdout.write(`${f.name}: ${f.value}${verdict}\n`);
  }
  if (missed) process.stdout.write(`${missed} figure(s) missed their target (reported, not a failure).\n`);
  if (crashed.length) process.stdout.write(`crashed: ${crashed.join(', ')}\n`);
  return crashed.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
