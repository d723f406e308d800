/* global window, document, requestAnimationFrame */
// Webview benchmark: the built webview (dist/webview.js + .css) in Debian Chromium with a synthetic
// 5,000-message session. Prints DOM nodes, JS heap, first render (median of WEBVIEW_BENCH_RUNS page loads,
// default 7, with every run listed), streamed-event size and composer keypress latency as `name: value` lines
// (targets in test/bench/run.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { PAGE } from './webview/page.mjs';
import { streamEvents, syntheticMessages } from './webview/session.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MESSAGES = Number(process.env.WEBVIEW_BENCH_MESSAGES || 5000);
const KEYPRESSES = 60;
/** Page loads whose first render is timed (the median is the figure: one load is at the mercy of the machine). */
const RUNS = Math.max(1, Number(process.env.WEBVIEW_BENCH_RUNS || 7));

// What ships: `node esbuild.mjs --production` (minified React production build). WEBVIEW_BENCH_DEV=1 measures
// the development build in dist/ instead.
const dev = process.env.WEBVIEW_BENCH_DEV === '1';
const outDir = mkdtempSync(join(tmpdir(), 'cairn-webview-bench-dist-'));
if (dev) {
  if (!existsSync(join(root, 'dist', 'webview.js'))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
} else {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root, entryPoints: ['webview/src/main.tsx'], outfile: join(outDir, 'webview.js'), bundle: true, minify: true,
    platform: 'browser', format: 'esm', target: 'es2022', jsx: 'automatic', logLevel: 'warning', legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' }, loader: { '.ttf': 'file' }, assetNames: '[name]',
  });
}
const bundle = (name) => readFileSync(dev ? join(root, 'dist', name) : join(outDir, name));

const messages = syntheticMessages(MESSAGES);
const snapshot = {
  sessionId: 'bench', title: 'Bench session', messages, turn: 'idle', lastError: null,
  auth: { status: 'ready', source: 'secret', demoAvailable: false }, model: 'claude-sonnet-4-5',
  usage: { inputTokens: 1000, outputTokens: 1000, cacheReadTokens: 50000, cacheWriteTokens: 100 }, costUsd: 1.23,
  context: { tokens: 90000, window: 200000, compactAt: 160000 }, seq: 1,
};
const files = {
  '/': ['text/html', PAGE],
  '/webview.js': ['text/javascript', bundle('webview.js')],
  '/webview.css': ['text/css', bundle('webview.css')],
  '/snapshot.json': ['application/json', JSON.stringify(snapshot)],
};
const server = createServer((req, res) => {
  const f = files[(req.url || '/').split('?')[0]];
  if (!f) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const launch = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-webview-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 420, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { ctx, dir, close: async () => { await ctx.close(); rmSync(dir, { recursive: true, force: true }); } };
};
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]; };

// First render: RUNS page loads, each in a fresh browser (a new profile: no code cache from an earlier load, as
// when a panel opens), timed from the snapshot's arrival to the painted list. The last browser stays for the rest.
const renders = [];
const errors = [];
let browser;
for (let i = 0; i < RUNS; i++) {
  if (browser) await browser.close();
  browser = await launch();
  const p = browser.ctx.pages()[0] ?? await browser.ctx.newPage();
  p.on('pageerror', (e) => errors.push(String(e)));
  if (process.env.WEBVIEW_BENCH_DEBUG) p.on('console', (m) => console.error('[page]', m.text().slice(0, 300)));
  await p.goto(url);
  await p.waitForFunction(() => window.__t1 !== undefined, null, { timeout: 60_000 });
  renders.push(await p.evaluate(() => window.__t1 - window.__t0));
}
const context = browser.ctx;

try {
  const page = context.pages()[0];
  const sortedRenders = [...renders].sort((a, b) => a - b);
  const firstRender = sortedRenders[Math.floor((sortedRenders.length - 1) / 2)];
  await page.waitForTimeout(500);

  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const rendered = await page.evaluate(() => document.querySelectorAll('[data-testid="message"]').length);
  if (process.env.WEBVIEW_BENCH_SCREENSHOT) await page.screenshot({ path: process.env.WEBVIEW_BENCH_SCREENSHOT });
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');

  // Streamed reply: bytes per event, and the list must follow it.
  const events = streamEvents(snapshot.seq, 'bench-reply');
  const sizes = events.map((e) => Buffer.byteLength(JSON.stringify(e)));
  await page.evaluate(async (evs) => {
    for (const e of evs) {
      window.postMessage(e, '*');
      if (e.name === 'message/textDelta') await new Promise((r) => setTimeout(r, 0));
    }
  }, events);
  await page.waitForFunction(() => document.querySelector('[data-testid="message"][data-status="complete"]:last-of-type') !== null);

  // Composer keypress -> next paint.
  await page.click('[data-testid="composer-input"]');
  // Per keypress: the input handling (keydown -> React's render of the input event, in the same task) plus the
  // next frame's work (its rAF -> after its paint). The main thread is idle in between, waiting for vsync; that
  // wait is reported apart (wall clock keydown -> after paint), since it depends on where in the frame the key fell.
  await page.evaluate(() => {
    window.__busy = [];
    window.__wall = [];
    document.querySelector('[data-testid="composer-input"]').addEventListener('keydown', () => {
      const t = performance.now();
      let handled = 0;
      document.addEventListener('input', () => { handled = performance.now() - t; }, { once: true });
      requestAnimationFrame(() => {
        const f = performance.now();
        setTimeout(() => { const end = performance.now(); window.__busy.push(handled + (end - f)); window.__wall.push(end - t); }, 0);
      });
    });
  });
  for (let i = 0; i < KEYPRESSES; i++) {
    await page.keyboard.press(i % 10 === 9 ? 'Space' : 'KeyA');
    await page.waitForTimeout(30);
  }
  await page.waitForFunction((n) => window.__busy.length >= n, KEYPRESSES);
  const busy = await page.evaluate(() => window.__busy);
  const wall = await page.evaluate(() => window.__wall);
  const domAfter = await page.evaluate(() => document.getElementsByTagName('*').length);

  console.log(`webview_messages: ${MESSAGES}`);
  console.log(`webview_rendered_messages: ${rendered}`);
  console.log(`webview_dom_nodes: ${domNodes}`);
  console.log(`webview_dom_nodes_after_stream: ${domAfter}`);
  console.log(`webview_heap_mb: ${(heap.usedSize / 1024 / 1024).toFixed(1)}`);
  console.log(`first render, ${RUNS} page loads (ms): ${renders.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(`webview_first_render_runs: ${RUNS}`);
  console.log(`webview_first_render_ms: ${firstRender.toFixed(1)} (median of ${RUNS} runs; min ${sortedRenders[0].toFixed(1)}, max ${sortedRenders.at(-1).toFixed(1)})`);
  console.log(`webview_delta_bytes_p95: ${p95(sizes)}`);
  console.log(`webview_keypress_paint_p95_ms: ${p95(busy).toFixed(1)}`);
  console.log(`webview_keypress_to_frame_p95_ms: ${p95(wall).toFixed(1)} (includes the wait for vsync)`);
  if (errors.length) console.error(`page errors: ${errors.slice(0, 3).join(' | ')}`);
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
