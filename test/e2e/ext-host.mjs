// Runs Cairn's mocha suite (out/test/vscode/suite/index.js) INSIDE code-server's real (remote, Node)
// extension host: the web equivalent of @vscode/test-electron's runTests().
//
// The workbench honours ?payload=[["extensionDevelopmentPath",…],["extensionTestsPath",…]] in a built
// product only when the server runs with `--vscode-option enable-smoke-test-driver` (run.sh does that).
// The development extension overrides the installed copy with the same id. When run() settles the
// extension host exits and the workbench calls window.codeAutomationExit(code), which we expose.
// mocha's reporter output reaches the browser console as ["%c INFO", "<css>", fmt, ...args]; it is
// rebuilt line by line and forwarded, and the "N passing / N failing" lines give the counts.
//
// Env: CS_URL, WORKSPACE, EXT_DEV_PATH (repo), EXT_TESTS_PATH, E2E_RESULTS, RESULTS_DIR,
//      EXT_TEST_TIMEOUT_MS (default 240000), VERBOSE=1 (forward every console line).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { launch, log } from './lib.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CS_URL = process.env.CS_URL ?? 'http://127.0.0.1:8080';
const WORKSPACE = process.env.WORKSPACE ?? path.join(REPO, '.e2e/run/workspace');
const DEV_PATH = path.resolve(process.env.EXT_DEV_PATH ?? REPO);
const TESTS_PATH = path.resolve(process.env.EXT_TESTS_PATH ?? path.join(REPO, 'out/test/vscode/suite/index.js'));
const RESULTS_DIR = process.env.RESULTS_DIR ?? path.join(REPO, 'test-results/e2e');
const TIMEOUT = Number(process.env.EXT_TEST_TIMEOUT_MS ?? 240_000);

if (!fs.existsSync(TESTS_PATH)) {
  console.error(`ext-host: ${TESTS_PATH} does not exist (npm run build bundles test/vscode/suite/*.ts)`);
  process.exit(1);
}

const authority = new URL(CS_URL).host; // must equal the remote authority the workbench was loaded from
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(DEV_PATH)],
  ['extensionTestsPath', remote(TESTS_PATH)],
  ['skipWelcome', 'true'],
]);
const url = `${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(payload)}`;

const t0 = Date.now();
const { page, close } = await launch();
let exitCode;
let passing = null;
let failing = 0;
let pending = 0;
const lines = [];
const done = new Promise((resolve) => {
  page.exposeFunction('codeAutomationExit', async (code) => { exitCode = code; resolve(code); });
});

const NOISE = /open-vsx\.org|"name":"Failed"|\[object Object\]$|vsda|authentication provider 'github'|ENOTFOUND/;
page.on('console', async (m) => {
  let text;
  try {
    let args = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?')));
    let level = '';
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) { level = args[0].slice(2).trim(); args = args.slice(2); }
    text = (level === 'ERR' ? 'ERR ' : '') + util.format(...args);
  } catch {
    text = m.text();
  }
  for (const line of text.split('\n')) {
    lines.push(line);
    const mp = line.match(/^\s*(\d+) passing/); if (mp) passing = Number(mp[1]);
    const mf = line.match(/^\s*(\d+) failing/); if (mf) failing = Number(mf[1]);
    const mpe = line.match(/^\s*(\d+) pending/); if (mpe) pending = Number(mpe[1]);
  }
  // Forward mocha's output (and anything the suite logs with the [cairn-test] prefix) + errors.
  const interesting = /✔|✓|✘|passing|failing|pending|^\s*\d+\) |AssertionError|Error:|^\s+at |\[cairn-test\]|^\s{2,}\S/;
  if (process.env.VERBOSE || (interesting.test(text) && !NOISE.test(text))) {
    for (const line of text.trimEnd().split('\n')) console.log('  [exthost]', line);
  }
});

try {
  log('opening workbench with the test payload');
  if (process.env.VERBOSE) log(url);
  await page.goto(url);
  let timerId;
  const timer = new Promise((_, rej) => { timerId = setTimeout(() => rej(new Error(`no codeAutomationExit within ${TIMEOUT}ms (is code-server running with --vscode-option enable-smoke-test-driver? did the suite hang?)`)), TIMEOUT); });
  try { await Promise.race([done, timer]); } finally { clearTimeout(timerId); }
  log(`extension host exited with code ${exitCode} after ${Date.now() - t0}ms`);
} catch (e) {
  console.error('ext-host: ERROR:', e.message);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, 'ext-host-failure.png') }).catch(() => {});
  exitCode = 2;
} finally {
  await close();
}

// No "N passing" line: the suite never ran (load error, wrong path, activation crash).
const passed = passing ?? 0;
let failed = failing;
if (exitCode !== 0 && failed === 0) failed = 1;
if (passing === null && exitCode === 0) failed = 1; // exit 0 but no mocha summary: suspicious
if (process.env.E2E_RESULTS) {
  fs.mkdirSync(path.dirname(process.env.E2E_RESULTS), { recursive: true });
  fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify({ suite: 'ext-host', passed, failed, pending, exitCode, ms: Date.now() - t0 }, null, 2));
}
if (passing === null) {
  console.log('ext-host: mocha printed no summary; last console lines:');
  for (const l of lines.slice(-30)) console.log('  | ' + l);
}
log(`ext-host mocha: ${passed} passed, ${failed} failed${pending ? `, ${pending} pending` : ''} (exit code ${exitCode})`);
process.exitCode = exitCode === 0 && failed === 0 ? 0 : 1;
