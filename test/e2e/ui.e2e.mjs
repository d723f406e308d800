// Cairn UI end-to-end test: code-server (the real VS Code workbench) in Debian chromium via playwright-core,
// the extension installed from dist/cairn.vsix, the model answered by the local Anthropic API emulator.
// Each check prints `✔ name` / `✘ name`; the summary goes to $E2E_RESULTS for run.sh.
//
// Env (set by run.sh): CS_URL, WORKSPACE, USER_SETTINGS, EMULATOR_URL, EMULATOR_RECORD, RESULTS_DIR.
/* global document, MutationObserver */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, waitForWorkbench, runCommand, runCommandAndPick, findFrame, findCairnFrame, waitFor, log, sleep, createChecks, readJson, writeJson } from './lib.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CS_URL = process.env.CS_URL ?? 'http://127.0.0.1:8080';
const WORKSPACE = process.env.WORKSPACE ?? path.join(REPO, '.e2e/run/workspace');
const USER_SETTINGS = process.env.USER_SETTINGS ?? path.join(REPO, '.e2e/run/user-data/User/settings.json');
const EMULATOR_RECORD = process.env.EMULATOR_RECORD ?? path.join(REPO, '.e2e/run/emulator-record.jsonl');
const RESULTS_DIR = process.env.RESULTS_DIR ?? path.join(REPO, 'test-results/e2e');
// The profile sets no cairn.model, so the model is package.json's default.
const EXPECTED_MODEL = process.env.EXPECTED_MODEL ?? readJson(path.join(REPO, 'package.json')).contributes.configuration.properties['cairn.model'].default;
fs.mkdirSync(RESULTS_DIR, { recursive: true });
const shot = (name) => path.join(RESULTS_DIR, name);
const rel = (p) => path.relative(REPO, p);

const { check, write } = createChecks('ui');
const t0 = Date.now();
const { page, close } = await launch();

// Console errors coming from webview frames (Cairn's page). Workbench noise (offline gallery, github auth)
// is not ours, so only frames under the webview host are collected.
// A CSP report for an EMPTY inline style (sha256-47DEQ… is the hash of "") blocks nothing visible: it is
// noted, not failed (see the final report line).
const EMPTY_STYLE_CSP = /Applying inline style violates .*'sha256-47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU='/;
const webviewErrors = [];
const webviewNotes = [];
page.on('console', (m) => {
  if (m.type() !== 'error') return;
  const loc = m.location() ?? {};
  const url = loc.url ?? '';
  if (!/\/webview\/|vscode-resource|vscode-cdn|index\.html\?id=/.test(url)) return;
  const where = `${url.replace(/^.*vscode-cdn\.net/, '')}:${loc.lineNumber ?? '?'}:${loc.columnNumber ?? '?'}`;
  (EMPTY_STYLE_CSP.test(m.text()) ? webviewNotes : webviewErrors).push(`${m.text().slice(0, 400)} (at ${where})`);
});
page.on('pageerror', (e) => webviewErrors.push(`pageerror: ${e.message}`));

let cairn; // the frame holding [data-testid=chat-root]
const userText = `Hello Cairn e2e ${Date.now().toString(36)} please echo this`;

/** Is the iframe that hosts `frame` (the webview's outer iframe.webview) visible in the workbench? */
async function webviewVisible(frame) {
  let f = frame;
  while (f.parentFrame() && f.parentFrame() !== page.mainFrame()) f = f.parentFrame();
  const el = await f.frameElement();
  const box = await el.boundingBox();
  return !!box && box.width > 50 && box.height > 50 && (await el.isVisible());
}

async function sidebarTitle() {
  return (await page.locator('.part.sidebar .composite.title').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '';
}

try {
  await check('workbench loads', async () => {
    const url = `${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`;
    log('open', url);
    await page.goto(url);
    await waitForWorkbench(page);
    log(`workbench ready (+${Date.now() - t0}ms)`);
  }, { fatal: true });

  await check('activity bar "Cairn" opens the Chat view (webview with chat-root)', async () => {
    const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Cairn/ }).first();
    await tab.waitFor({ timeout: 30_000 });
    await tab.click();
    await waitFor(async () => /cairn/i.test(await sidebarTitle()), 10_000, 'sidebar titled Cairn');
    const frame = await findCairnFrame(page, 45_000);
    const firstRun = await frame.locator('[data-testid=first-run]').count();
    assert.equal(firstRun, 0, 'the first-run (no API key) screen is shown although ANTHROPIC_API_KEY is set for the extension host');
    cairn = frame;
    await cairn.locator('[data-testid=composer-input]').waitFor({ timeout: 15_000 });
    log('Cairn webview frame:', cairn.url().slice(0, 100));
  }, { fatal: true });

  await check('model label shows the configured model', async () => {
    const label = cairn.locator('[data-testid=model-label]');
    await label.waitFor({ timeout: 10_000 });
    const text = (await label.textContent()) ?? '';
    assert.ok(text.includes(EXPECTED_MODEL), `model-label is ${JSON.stringify(text)}, expected it to contain ${EXPECTED_MODEL}`);
    assert.ok(!/demo/i.test(text), `model-label says demo although a key is set: ${JSON.stringify(text)}`);
  });

  await check('command palette "Cairn: Focus Chat" reopens the chat after the side bar was closed', async () => {
    await runCommand(page, 'View: Close Primary Side Bar');
    await waitFor(async () => !(await page.locator('.part.sidebar').isVisible()), 10_000, 'side bar hidden');
    await runCommand(page, 'Cairn: Focus Chat');
    await waitFor(async () => (await page.locator('.part.sidebar').isVisible()) && /cairn/i.test(await sidebarTitle()), 10_000, 'Cairn side bar visible again');
    cairn = await findCairnFrame(page, 30_000);
    await waitFor(() => webviewVisible(cairn), 10_000, 'chat webview visible');
    await cairn.locator('[data-testid=composer-input]').waitFor({ state: 'visible', timeout: 10_000 });
  });

  let seen; // statuses observed on the assistant message
  await check('sending a message shows the user message', async () => {
    // Record every data-status an assistant message takes, even if only for one frame.
    await cairn.evaluate(() => {
      const w = /** @type {any} */ (globalThis);
      w.__cairnE2E = { statuses: [], texts: [] };
      const note = () => {
        for (const el of document.querySelectorAll('[data-testid=message][data-role=assistant]')) {
          const s = el.getAttribute('data-status');
          if (s && w.__cairnE2E.statuses.at(-1) !== s) w.__cairnE2E.statuses.push(s);
          const len = (el.textContent ?? '').length;
          if (w.__cairnE2E.texts.at(-1) !== len) w.__cairnE2E.texts.push(len);
        }
      };
      w.__cairnE2EObserver?.disconnect();
      w.__cairnE2EObserver = new MutationObserver(note);
      w.__cairnE2EObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-status'] });
    });
    const before = await cairn.locator('[data-testid=message][data-role=assistant]').count();
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(userText);
    await input.press('Enter');
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: userText }).waitFor({ timeout: 10_000 });
    seen = { before };
  }, { fatal: true });

  await check('the assistant reply streams in and completes with the emulator text', async () => {
    const reply = cairn.locator('[data-testid=message][data-role=assistant]').nth(seen.before);
    await reply.waitFor({ timeout: 20_000 });
    await waitFor(async () => (await reply.getAttribute('data-status')) !== 'streaming' && (await reply.getAttribute('data-status')), 60_000, 'the reply to leave data-status=streaming');
    const status = await reply.getAttribute('data-status');
    const text = (await reply.textContent()) ?? '';
    const obs = await cairn.evaluate(() => /** @type {any} */ (globalThis).__cairnE2E);
    log('assistant statuses seen:', obs.statuses.join(' -> '), '| text lengths:', obs.texts.slice(0, 12).join(','), obs.texts.length > 12 ? '…' : '');
    log('assistant text:', JSON.stringify(text.slice(0, 200)));
    const banner = await cairn.locator('[data-testid=error-banner]').textContent({ timeout: 500 }).catch(() => null);
    assert.equal(status, 'complete', `final data-status=${status}${banner ? `; error banner: ${banner}` : ''}`);
    assert.ok(text.includes(userText), `the emulator echoes the user message; assistant text was ${JSON.stringify(text.slice(0, 300))}`);
    assert.ok(obs.statuses.includes('streaming'), `never saw data-status=streaming (saw ${obs.statuses.join(', ') || 'nothing'})`);
    assert.ok(obs.texts.length >= 2, 'the text did not grow incrementally');
  });

  await check('the emulator recorded a Messages API request with the user text', async () => {
    // One JSON line per finished exchange: { method, path, stream, body, status, outcome, ... }.
    const rec = await waitFor(() => {
      if (!fs.existsSync(EMULATOR_RECORD)) return undefined;
      const exchanges = fs.readFileSync(EMULATOR_RECORD, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
      return exchanges.find((x) => x.method === 'POST' && /\/v1\/messages$/.test(x.path) && JSON.stringify(x.body?.messages ?? []).includes(userText));
    }, 10_000, `a POST /v1/messages with the user text in ${rel(EMULATOR_RECORD)}`);
    log(`emulator exchange #${rec.seq}: ${rec.method} ${rec.path} stream=${rec.stream} status=${rec.status} outcome=${rec.outcome} model=${rec.body?.model}`);
    assert.equal(rec.status, 200);
    assert.equal(rec.stream, true, 'Cairn should stream');
    assert.equal(rec.outcome, 'complete');
    assert.equal(rec.body?.model, EXPECTED_MODEL);
  });

  await check('screenshot: light theme', async () => {
    const dark = await page.locator('.monaco-workbench.vs-dark').count();
    assert.equal(dark, 0, 'the workbench should start in the light theme');
    await sleep(300);
    await page.screenshot({ path: shot('chat-light.png') });
    await page.locator('.part.sidebar').screenshot({ path: shot('chat-light-sidebar.png') });
    log('saved', rel(shot('chat-light.png')), rel(shot('chat-light-sidebar.png')));
  });

  await check('screenshot: dark theme (user settings switched to Default Dark Modern)', async () => {
    // Persist the choice in the user settings file; code-server's browser workbench does not pick up an
    // external edit of that file promptly, so apply it through the theme picker as well.
    const settings = readJson(USER_SETTINGS);
    settings['workbench.colorTheme'] = 'Default Dark Modern';
    writeJson(USER_SETTINGS, settings);
    const dark = page.locator('.monaco-workbench.vs-dark');
    const viaFile = await dark.waitFor({ state: 'attached', timeout: 3000 }).then(() => true, () => false);
    if (!viaFile) {
      // The picker labels the theme "Dark Modern" (its settings id is "Default Dark Modern").
      await runCommandAndPick(page, 'Preferences: Color Theme', 'Dark Modern', 'Dark Modern');
    }
    await dark.waitFor({ state: 'attached', timeout: 20_000 });
    log(`dark theme applied via ${viaFile ? 'the settings file' : 'the theme picker'}`);
    // The webview gets the theme through its body class and CSS variables.
    await waitFor(async () => /vscode-dark/.test((await cairn.locator('body').getAttribute('class')) ?? ''), 10_000, 'webview body.vscode-dark');
    await sleep(500);
    await page.screenshot({ path: shot('chat-dark.png') });
    await page.locator('.part.sidebar').screenshot({ path: shot('chat-dark-sidebar.png') });
    log('saved', rel(shot('chat-dark.png')), rel(shot('chat-dark-sidebar.png')));
  });

  await check('"Cairn: Open Chat in Editor" opens the chat in an editor tab', async () => {
    await runCommand(page, 'Cairn: Open Chat in Editor');
    await page.locator('.part.editor .tabs-container .tab', { hasText: /Cairn/ }).first().waitFor({ timeout: 15_000 });
    const frame = await findFrame(page, async (f) => f !== cairn && (await f.locator('[data-testid=chat-root]').count()) > 0 && (await webviewVisible(f)), 30_000, 'a second, visible chat-root frame in the editor');
    await frame.locator('[data-testid=composer-input]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: shot('chat-editor-dark.png') });
  });

  await check('no errors in the Cairn webview console', async () => {
    if (webviewNotes.length) log(`note: ${webviewNotes.length} CSP report(s) for an empty inline style (harmless, but noisy):\n    ${[...new Set(webviewNotes)].join('\n    ')}`);
    assert.deepEqual(webviewErrors, []);
  });
} catch (e) {
  // A bug in this script itself (the checks catch their own errors).
  console.error('UI e2e crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) {
    await page.screenshot({ path: shot('ui-failure.png') }).catch(() => {});
    console.log(`  failure screenshot: ${rel(shot('ui-failure.png'))}`);
    if (webviewErrors.length) console.log('  webview console errors:\n    ' + webviewErrors.slice(-20).join('\n    '));
  }
  await close();
  log(`UI e2e: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
