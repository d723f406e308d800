/* global document */
// Shared helpers for Cairn's e2e: Debian chromium driven by playwright-core (no `playwright install`),
// code-server's workbench, webview frames, and a tiny check recorder (✔ / ✘ lines + a JSON summary that
// run.sh adds up).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const T0 = Date.now();
export function log(...a) {
  console.log(`[${new Date().toISOString().slice(11, 23)} +${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Launch chromium with a fresh, private profile. Returns { context, page, close }. */
export async function launch({ headless = !process.env.HEADED, viewport = { width: 1400, height: 900 } } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless,
    // Keep chromium's crashpad DB and dconf cache out of ~/.config and ~/.cache.
    env: { ...process.env, XDG_CONFIG_HOME: userDataDir, XDG_CACHE_HOME: userDataDir },
    viewport,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function waitForWorkbench(page, timeout = 120_000) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForSelector('.part.statusbar', { timeout });
  await page.waitForSelector('.part.activitybar', { timeout });
  // Give the remote extension host a moment to connect and register contributions.
  await page.waitForTimeout(1500);
}

/** The quick-pick row whose label is exactly `title` (its aria-label is "title" or "title, <keybinding>"). */
function exactRow(page, title) {
  const t = title.replace(/"/g, '\\"');
  return page.locator(`.quick-input-list .monaco-list-row[aria-label="${t}"], .quick-input-list .monaco-list-row[aria-label^="${t}, "]`).first();
}

async function openPaletteAndChoose(page, title) {
  const input = page.locator('.quick-input-widget input.input');
  // On a cold, busy workbench the palette's list can come up before an extension's commands are in it:
  // close it and ask again (up to three times) rather than fail on the first look.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape').catch(() => {});
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    // Click the exact entry: Enter would run the best fuzzy match, which may be another command
    // ("Preferences: Browse Color Themes in Marketplace" ranks above "Preferences: Color Theme").
    const row = exactRow(page, title);
    try {
      await row.waitFor({ timeout: attempt < 3 ? 10_000 : 20_000 });
    } catch (err) {
      if (attempt >= 3) throw err;
      log(`palette: "${title}" not listed yet (attempt ${attempt}); asking again`);
      continue;
    }
    await row.click();
    return input;
  }
}

/** Run a command by its palette title via F1 (e.g. "Cairn: Focus Chat"). */
export async function runCommand(page, title) {
  await openPaletteAndChoose(page, title);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/**
 * Run a palette command that opens a second quick pick (e.g. "Preferences: Color Theme"), then choose
 * the entry matching `item` (a string or RegExp) in it.
 */
export async function runCommandAndPick(page, title, filter, item) {
  const input = await openPaletteAndChoose(page, title);
  // The second pick reuses the widget: wait until the command prefix is gone from the input.
  await page.waitForFunction(() => {
    const el = document.querySelector('.quick-input-widget input.input');
    return el && !String(el.value).startsWith('>');
  }, undefined, { timeout: 10_000 });
  await input.fill(filter);
  const row = typeof item === 'string' ? exactRow(page, item) : page.locator('.quick-input-list .monaco-list-row', { hasText: item }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/**
 * Webviews are nested iframes: iframe.webview (host page, .../webview/browser/pre/index.html) containing
 * iframe#active-frame with the extension's HTML. Poll all frames; return the first for which
 * `probe(frame)` resolves truthy. Match by content, never by position: several webviews may exist.
 */
export async function findFrame(page, probe, timeout = 45_000, what = 'webview frame') {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (f.isDetached()) continue;
        if (await probe(f)) return f;
      } catch {
        /* detached / navigating */
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what} not found within ${timeout}ms`);
}

/** The frame holding Cairn's chat UI (any of its top-level screens). */
export function findCairnFrame(page, timeout) {
  return findFrame(
    page,
    async (f) => (await f.locator('[data-testid=chat-root], [data-testid=first-run]').count()) > 0,
    timeout,
    'Cairn webview frame ([data-testid=chat-root] or [data-testid=first-run])',
  );
}

export async function waitFor(fn, timeout = 15_000, what = 'condition', interval = 200) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout}ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
}

/**
 * A minimal check recorder: each check is one "test". Prints `✔ name (123ms)` / `✘ name` + the error,
 * and at the end writes { suite, passed, failed, checks } to $E2E_RESULTS (if set).
 * A failed check marked `fatal` aborts the remaining checks (they depend on it) and counts them as failed.
 */
export function createChecks(suite) {
  const results = [];
  let aborted = null;
  async function check(name, fn, { fatal = false } = {}) {
    if (aborted) {
      results.push({ name, ok: false, error: `skipped: depends on "${aborted}"` });
      console.log(`  ✘ ${name} (skipped: depends on "${aborted}")`);
      return undefined;
    }
    const t = Date.now();
    try {
      const v = await fn();
      results.push({ name, ok: true, ms: Date.now() - t });
      console.log(`  ✔ ${name} (${Date.now() - t}ms)`);
      return v;
    } catch (e) {
      results.push({ name, ok: false, ms: Date.now() - t, error: String(e?.stack ?? e) });
      console.log(`  ✘ ${name} (${Date.now() - t}ms)`);
      console.log(String(e?.message ?? e).split('\n').map((l) => `      ${l}`).join('\n'));
      if (fatal) aborted = name;
      return undefined;
    }
  }
  function summary() {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    return { suite, passed, failed, checks: results };
  }
  function write(extra = {}) {
    const s = { ...summary(), ...extra };
    if (process.env.E2E_RESULTS) {
      fs.mkdirSync(path.dirname(process.env.E2E_RESULTS), { recursive: true });
      fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(s, null, 2));
    }
    return s;
  }
  return { check, summary, write, get failed() { return summary().failed; } };
}

/** Read the user settings.json (JSON with comments is not expected: we write it ourselves). */
export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Shared by the flows in test/e2e/flows/: their environment, the emulator's control endpoints, the Cairn chat.

/** The environment run.sh gives a flow (with defaults for running one by hand). */
export function flowEnv(importMetaUrl) {
  const repo = path.resolve(path.dirname(new URL(importMetaUrl).pathname), '../../..');
  const env = {
    REPO: repo,
    CS_URL: process.env.CS_URL ?? 'http://127.0.0.1:8080',
    WORKSPACE: process.env.WORKSPACE ?? path.join(repo, '.e2e/run/workspace'),
    EMULATOR_URL: process.env.EMULATOR_URL,
    USER_SETTINGS: process.env.USER_SETTINGS ?? path.join(repo, '.e2e/run/user-data/User/settings.json'),
    RESULTS_DIR: process.env.RESULTS_DIR ?? path.join(repo, 'test-results/e2e'),
  };
  if (!env.EMULATOR_URL) throw new Error('EMULATOR_URL is not set (run the flows through test/e2e/run.sh)');
  fs.mkdirSync(env.RESULTS_DIR, { recursive: true });
  return env;
}

/** One call to the emulator's test-control endpoints: POST with a body, GET without one. */
export async function emulatorCall(url, route, body) {
  if (!url) throw new Error('EMULATOR_URL is not set (run the flows through test/e2e/run.sh)');
  const res = await fetch(`${url}/_emulator/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator ${route}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** The emulator's test-control endpoints: enqueue(items), rules(rules), reset(), messages(). */
export function emulatorControl(url) {
  const call = (route, body) => emulatorCall(url, route, body);
  return {
    enqueue: (items) => call('enqueue', { items }),
    rules: (rules) => call('rules', { rules }),
    reset: () => call('reset', {}),
    /** The Messages API requests received so far (POST /v1/messages only). */
    messages: async () => (await call('requests')).requests.filter((r) => r.path === '/v1/messages'),
  };
}

/** Open the Cairn view from the activity bar (robust on a cold, busy workbench) and return its frame. */
export async function openCairnChat(page) {
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Cairn/ }).first();
  await tab.waitFor({ timeout: 60_000 });
  // After a reload the workbench restores the side bar a moment after the activity bar appears: a click on a tab
  // it is about to select closes the view again. So look, click only when Cairn is not selected, and look again.
  const deadline = Date.now() + 90_000;
  let frame;
  while (!frame) {
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('the Cairn view did not open from the activity bar within 90 s');
    frame = await findCairnFrame(page, Math.min(15_000, left)).catch(() => undefined);
  }
  await frame.locator('[data-testid=composer-input]').waitFor({ timeout: 20_000 });
  return frame;
}

/** Start a new, empty session with the panel's own button (no palette: its list fills slowly on a cold load). */
export async function newCairnSession(frame) {
  const button = frame.locator('[data-testid=new-session-button]');
  await waitFor(async () => !(await button.isDisabled()), 30_000, 'the New session button to be enabled');
  await button.click();
  await waitFor(async () => (await frame.locator('[data-testid=message]').count()) === 0, 15_000, 'an empty new session');
}

/** Type a message in the composer and send it with Enter. */
export async function sendMessage(frame, text) {
  const input = frame.locator('[data-testid=composer-input]');
  await waitFor(async () => !(await input.isDisabled()), 30_000, 'the composer to accept a message');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Open the workbench on `workspace`, open the Cairn chat, start a new session and pick a permission mode.
 * Returns the chat's frame. Call it after waitForWorkbench-free page creation (it navigates itself).
 */
export async function openFreshChat(page, csUrl, workspace, { mode = 'ask', beforeChat } = {}) {
  await page.goto(`${csUrl}/?folder=${encodeURIComponent(workspace)}`);
  await waitForWorkbench(page);
  if (beforeChat) await beforeChat();
  const frame = await openCairnChat(page);
  await newCairnSession(frame);
  const picker = frame.locator('[data-testid=mode-picker]');
  if (mode && (await picker.count())) await picker.selectOption(mode);
  return frame;
}

// ---------------------------------------------------------------------------------------------------------------
// A second VS Code set up as `npm start` sets it up without an API key: the emulator as the offline demo model
// (CAIRN_DEMO_URL, no key in the environment), the vsix installed into a fresh profile, the sample workspace.
// Started through the same shell helpers (test/e2e/common.sh) as start.sh; stopped by its process groups.

/**
 * Start the demo instance in `profile` (emptied first). Needs CS_NODE and CS_ENTRY (exported by run.sh's setup)
 * and dist/cairn.vsix. Returns { csUrl, emulatorUrl, workspace, record, stop() }.
 */
export async function startDemoInstance(repo, profile) {
  if (!process.env.CS_NODE || !process.env.CS_ENTRY) throw new Error('CS_NODE / CS_ENTRY are not set (run the flows through test/e2e/run.sh)');
  const script = `
    set -euo pipefail
    source "$REPO/test/e2e/common.sh"
    PROFILE="$1"
    rm -rf "$PROFILE"
    mkdir -p "$PROFILE/user-data/User" "$PROFILE/extensions"
    make_workspace "$PROFILE/workspace"
    write_user_settings "$PROFILE/user-data/User/settings.json" "Default Light Modern"
    start_emulator "$PROFILE/emulator.log" --stream-delay-ms 15 --record "$PROFILE/emulator-record.jsonl" >&2
    CS_TMP="$(mktemp -d /tmp/cairn-cs-XXXXXX)"
    cs_cmd "$PROFILE" "$CS_TMP"
    install_vsix "$REPO/dist/cairn.vsix" >&2
    PORT="$(free_port)"
    start_code_server "127.0.0.1:$PORT" "$PROFILE/code-server.log" "$PROFILE/workspace" \\
      -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL CAIRN_DEMO_URL="$EMULATOR_URL" >&2
    printf '{"csUrl":"http://127.0.0.1:%s","emulatorUrl":"%s","emulatorPid":%s,"csPid":%s,"tmp":"%s"}\\n' "$PORT" "$EMULATOR_URL" "$EMULATOR_PID" "$CS_PID" "$CS_TMP"
  `;
  const { spawn } = await import('node:child_process');
  const child = spawn('bash', ['-c', script, 'demo-instance', profile], { cwd: repo, env: { ...process.env, REPO: repo }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { err += c; });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const line = out.trim().split('\n').at(-1) ?? '';
  let info;
  try { info = JSON.parse(line); } catch { /* reported below */ }
  const stopGroup = async (pid) => {
    if (!pid) return;
    const alive = () => { try { process.kill(-pid, 0); return true; } catch { return false; } };
    try { process.kill(-pid, 'SIGTERM'); } catch { return; }
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
    if (alive()) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
  };
  if (code !== 0 || !info) {
    // Stop whatever did start (the pids are in the log lines), then report.
    for (const m of err.matchAll(/(?:emulator|code-server) PID (\d+)/g)) await stopGroup(Number(m[1]));
    throw new Error(`the demo instance did not start (exit ${code}):\n${err.split('\n').slice(-30).join('\n')}`);
  }
  let stopped = false;
  return {
    ...info,
    workspace: path.join(profile, 'workspace'),
    record: path.join(profile, 'emulator-record.jsonl'),
    logs: [path.join(profile, 'code-server.log'), path.join(profile, 'emulator.log')],
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopGroup(info.csPid);
      await stopGroup(info.emulatorPid);
      fs.rmSync(info.tmp, { recursive: true, force: true });
    },
  };
}
