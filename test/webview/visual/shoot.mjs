/* global window, document */
// Visual check of the chat webview (not a test): builds the bundle, serves it on 127.0.0.1 with a stubbed
// acquireVsCodeApi and VS Code-like theme variables, and screenshots a few scenarios at two sidebar widths
// (300, 450 px) and an editor tab's (1000 px) in Dark Modern, Light Modern and High Contrast into
// test-results/visual/. Fails (exit 1) on horizontal overflow, a page error, or a waiting decision whose
// buttons are not visible without scrolling. CI runs it and keeps the screenshots with its results.
//   node test/webview/visual/shoot.mjs [--no-build] [--only=dark,light,hc] [--scenario=waiting,chat,empty]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { THEMES, themeCss } from './themes.mjs';
import { SCENARIOS } from './scenarios.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(root, 'test-results', 'visual');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',');
const themes = arg('only') ?? Object.keys(THEMES);
const scenarios = arg('scenario') ?? Object.keys(SCENARIOS);
// 300 and 450 px: a narrow and a wide sidebar; 1000 px: the panel in an editor tab.
const widths = (arg('width') ?? ['300', '450', '1000']).map(Number);

if (!process.argv.includes('--no-build')) {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const page = (theme) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/webview.css"><style>${themeCss(theme)}</style><title>visual</title></head>
<body class="${THEMES[theme].bodyClass}" data-vscode-theme-kind="${THEMES[theme].bodyClass}"><div id="root"></div>
<script>
  window.__posted = [];
  const reply = (id, result) => window.postMessage({ kind: 'response', id, ok: true, result }, '*');
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__posted.push(m);
      if (m.method === 'session/snapshot') fetch('/snapshot.json' + location.search).then((r) => r.json()).then((s) => reply(m.id, s));
      else if (m.method === 'panel/models') reply(m.id, { models: [{ id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', contextWindow: 200000 }, { id: 'claude-opus-4-1', label: 'Claude Opus 4.1', contextWindow: 200000 }], current: 'claude-sonnet-4-5' });
      else if (m.method === 'panel/mentionCandidates') reply(m.id, { candidates: [] });
      else if (m.method === 'background/state') reply(m.id, { proactive: { status: 'off', detail: 'proactive mode is off (setting cairn.proactive.enabled)', enabled: false, tickMinutes: 15, dailyBudgetUsd: 1 }, notices: [], lastDream: null });
      else reply(m.id, {});
    },
    getState() { return undefined; },
    setState() {},
  });
</script>
<script type="module" src="/webview.js"></script>
</body></html>`;

const server = createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://x');
  const theme = url.searchParams.get('theme') || 'dark';
  const scenario = url.searchParams.get('scenario') || 'waiting';
  const send = (type, body) => res.writeHead(200, { 'content-type': type }).end(body);
  if (url.pathname === '/') return send('text/html', page(theme));
  if (url.pathname === '/snapshot.json') return send('application/json', JSON.stringify(SCENARIOS[scenario].snapshot));
  if (url.pathname === '/webview.js') return send('text/javascript', readFileSync(join(root, 'dist', 'webview.js')));
  if (url.pathname === '/webview.css') return send('text/css', readFileSync(join(root, 'dist', 'webview.css')));
  if (url.pathname === '/codicon.ttf') return send('font/ttf', readFileSync(join(root, 'dist', 'codicon.ttf')));
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const userDataDir = mkdtempSync(join(tmpdir(), 'cairn-visual-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 300, height: 900 },
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let problems = 0;
try {
  const tab = context.pages()[0] ?? await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const scenario of scenarios) {
    for (const theme of themes) {
      for (const width of widths) {
        errors.length = 0;
        await tab.setViewportSize({ width, height: 900 });
        await tab.goto(`${base}?theme=${theme}&scenario=${scenario}`);
        await tab.waitForSelector(SCENARIOS[scenario].ready, { timeout: 15_000 });
        await tab.evaluate(() => document.fonts.ready);
        if (SCENARIOS[scenario].prepare) await SCENARIOS[scenario].prepare(tab);
        await tab.waitForTimeout(300);
        const file = join(outDir, `${scenario}-${theme}-${width}.png`);
        await tab.screenshot({ path: file });
        const overflow = await tab.evaluate(() => {
          const se = document.scrollingElement;
          const wide = [...document.querySelectorAll('#root *')].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > window.innerWidth + 0.5 && !el.closest('pre, .diff, .md-table-wrap, .code-block-pre, .tool-pre');
          }).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/\s+/g, '.')}[${Math.round(el.getBoundingClientRect().right)}]`);
          const shifted = [...document.querySelectorAll('*')].filter((el) => el.scrollTop > 0 && !el.matches('.message-list, .chat-dock, .diff, .tool-pre, .todo-list, pre'))
            .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}:${el.scrollTop}`);
          return { scrollWidth: se.scrollWidth, clientWidth: se.clientWidth, wide: [...wide, ...shifted.map((x) => `scrolled ${x}`)] };
        });
        // A waiting decision's buttons must be visible without scrolling: inside the window and not covered.
        const hidden = await tab.evaluate((ids) => ids.filter((id) => {
          const b = document.querySelector(`[data-testid=${id}]`);
          if (!b) return true;
          const r = b.getBoundingClientRect();
          if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return true;
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return !(top && (b === top || b.contains(top) || top.contains(b)));
        }), SCENARIOS[scenario].decide ?? []);
        if (hidden.length) overflow.wide.push(...hidden.map((id) => `not in view: ${id}`));
        const ok = overflow.scrollWidth <= overflow.clientWidth && overflow.wide.length === 0;
        if (!ok || errors.length) problems++;
        console.log(`${ok ? 'ok  ' : 'WIDE'} ${scenario}-${theme}-${width}: scrollWidth ${overflow.scrollWidth} <= clientWidth ${overflow.clientWidth}${overflow.wide.length ? ` overflowing: ${overflow.wide.join(' ')}` : ''}${errors.length ? ` errors: ${errors.join(' | ').slice(0, 300)}` : ''}`);
      }
    }
  }
} finally {
  await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`screenshots in ${outDir}${problems ? `; ${problems} with problems` : ''}`);
if (problems) process.exitCode = 1;
