/**
 * Client overhead per request (issue #3): the time from `rt.submit()` to the moment the SDK calls fetch for that
 * request, with a 200-line MEMORY.md-like prelude and a resumed 1,000-message history (500 user/assistant pairs
 * written directly as a transcript in the format of extension/core/session/entries.ts).
 *
 *   overhead_ms_p50 / overhead_ms_p95   over 100 submits after 5 warm-up submits
 *
 * The emulator runs in its own process (test/emulator/cli.ts), so only the client's work is timed.
 *
 * Run alone: node --import tsx test/bench/overhead-bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TranscriptEntry } from '../../extension/core/session/entries';
import type { ScriptItem } from '../emulator';
import { BENCH_MODEL, fmt, memoryIndex, percentile, prose, toolOutput } from './lib/common';
import { benchRuntime } from './lib/session';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

const PAIRS = 500;
const WARMUP = 5;
const MEASURED = 100;
const SESSION_ID = 'bench-overhead-session';

/** 500 user/assistant pairs; every 4th assistant turn calls a tool whose result opens the next user message. */
function transcript(): string {
  const ts = 1_700_000_000_000;
  const entries: TranscriptEntry[] = [
    { t: 'meta', v: 1, id: SESSION_ID, createdAt: ts, model: BENCH_MODEL },
    { t: 'title', title: 'A long session' },
  ];
  let pendingTool: string | undefined;
  for (let i = 0; i < PAIRS; i++) {
    if (pendingTool) {
      entries.push({ t: 'tool_result', ts: ts + i * 1000, toolUseId: pendingTool, content: toolOutput('search_code', `q${i}`, 1200, i), isError: false, status: 'done', durationMs: 12 });
      entries.push({ t: 'msg', ts: ts + i * 1000, role: 'user', content: [{ type: 'tool_result', tool_use_id: pendingTool, content: toolOutput('search_code', `q${i}`, 1200, i) }] });
      pendingTool = undefined;
    } else {
      entries.push({ t: 'msg', ts: ts + i * 1000, uiId: `u${i}`, role: 'user', content: [{ type: 'text', text: prose(80 + (i * 37) % 300, i) }] });
    }
    const text = { type: 'text' as const, text: prose(150 + (i * 53) % 900, 10_000 + i), citations: null };
    const usage = { inputTokens: 10, outputTokens: 200, cacheReadTokens: 1000 + i * 300, cacheWriteTokens: 300 };
    if (i % 4 === 1 && i < PAIRS - 1) {
      pendingTool = `toolu_hist_${i}`;
      entries.push({ t: 'msg', ts: ts + i * 1000 + 500, uiId: `a${i}`, role: 'assistant', content: [text, { type: 'tool_use', id: pendingTool, name: 'search_code', input: { query: `q${i + 1}` } }], stopReason: 'tool_use', usage });
      entries.push({ t: 'tool_start', ts: ts + i * 1000 + 600, toolUseId: pendingTool, name: 'search_code' });
    } else {
      entries.push({ t: 'msg', ts: ts + i * 1000 + 500, uiId: `a${i}`, role: 'assistant', content: [text], stopReason: 'end_turn', usage });
      entries.push({ t: 'turn_end', ts: ts + i * 1000 + 700, stop: 'completed', error: null });
    }
  }
  return entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

/** The emulator in its own process, so its parsing, hashing and garbage don't land in the client's timings. */
async function externalEmulator(scenarioFile: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'emulator', 'cli.ts'), '--scenario', scenarioFile, '--port', '0', '--quiet', '--context-window', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => { out += c; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]!); });
    child.on('close', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
  return { url, async stop() { child.kill('SIGTERM'); await exited; } };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-overhead-'));
  mkdirSync(join(dir, '.agent', 'sessions'), { recursive: true });
  writeFileSync(join(dir, '.agent', 'sessions', `${SESSION_ID}.jsonl`), transcript());
  const prelude = memoryIndex(200);
  const script: ScriptItem[] = Array.from({ length: WARMUP + MEASURED }, (_, i) => ({ text: prose(200 + (i * 31) % 400, 50_000 + i) }));
  const scenarioFile = join(dir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(script));
  const emu = await externalEmulator(scenarioFile);

  let t0 = 0;
  let armed = false;
  const samples: number[] = [];
  let bodyBytes = 0;
  const timedFetch: typeof fetch = (input, init) => {
    if (armed) { samples.push(performance.now() - t0); armed = false; }
    if (typeof init?.body === 'string') bodyBytes = Buffer.byteLength(init.body);
    return globalThis.fetch(input, init);
  };
  const { rt } = benchRuntime({ baseURL: emu.url, dir, prelude, fetch: timedFetch, resumeId: SESSION_ID });
  try {
    const historyAtStart = rt.apiHistory.length;
    if (historyAtStart !== 2 * PAIRS) throw new Error(`resumed history has ${historyAtStart} messages, expected ${2 * PAIRS}`);
    const submitSync: number[] = [];
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      const text = `Follow-up ${i}: ${prose(120, 90_000 + i)}`;
      t0 = performance.now();
      armed = true;
      rt.submit(text);
      const syncMs = performance.now() - t0;
      const stop = await rt.idle();
      if (stop !== 'completed') throw new Error(`submit ${i} ended ${stop}: ${rt.snapshot().lastError?.message ?? ''}`);
      if (armed) throw new Error(`submit ${i} made no request`);
      if (i >= WARMUP) submitSync.push(syncMs);
    }
    const measured = samples.slice(WARMUP);
    console.log(`# history ${historyAtStart} -> ${rt.apiHistory.length} messages; prelude ${prelude.split('\n').length} lines; last request body ${Math.round(bodyBytes / 1024)} KiB; ${measured.length} submits measured after ${WARMUP} warm-up; emulator in its own process`);
    console.log(`overhead_ms_p50: ${fmt(percentile(measured, 50), 2)}`);
    console.log(`overhead_ms_p95: ${fmt(percentile(measured, 95), 2)}`);
    console.log(`overhead_ms_max: ${fmt(Math.max(...measured), 2)}`);
    console.log(`overhead_submit_sync_ms_p50: ${fmt(percentile(submitSync, 50), 2)}`);
  } finally {
    rt.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
