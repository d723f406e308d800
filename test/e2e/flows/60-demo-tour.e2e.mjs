// Flow: the offline demo as a new user meets it (issue 12). A second VS Code is set up the way `npm start` sets it
// up without an API key (the emulator as the demo model, CAIRN_DEMO_URL, the sample workspace), and the tour is
// driven through the panel: choose the demo on the first screen, click the example "Run the tests and fix whatever
// fails.", approve the test run, see the tool cards, accept the fix's hunk, approve the second run, see the memory
// write held for review and approve it in the memory view; the cost reads $0 and every request went to the demo
// model; /compact compacts it with the script's summary. Then the two other examples run their parts of the tour.
// Screenshots in light and dark.
//
// Env (set by run.sh): CS_NODE, CS_ENTRY (setup), RESULTS_DIR, E2E_RESULTS. It does not use run.sh's code-server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, findCairnFrame, launch, log, runCommandAndPick, sleep, startDemoInstance, waitFor, waitForWorkbench } from '../lib.mjs';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const RESULTS_DIR = process.env.RESULTS_DIR ?? path.join(REPO, 'test-results/e2e');
fs.mkdirSync(RESULTS_DIR, { recursive: true });
const shot = (name) => path.join(RESULTS_DIR, name);
const DEMO_LABEL = 'Demo model — offline emulator, not Claude';
const SCRIPTED = '[scripted demo]';
const FULL_TASK = 'Run the tests and fix whatever fails.';

const { check, write } = createChecks('flow 60-demo-tour');
const t0 = Date.now();
let demo;
let browser;
let cairn;
const stopAll = async () => { await browser?.close(); await demo?.stop(); };
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { void stopAll().finally(() => process.exit(130)); });

const file = (rel) => fs.readFileSync(path.join(demo.workspace, rel), 'utf8');
/** The tool cards in the DOM (the list is windowed: older messages may have left it). */
const cardStates = async () => cairn.locator('[data-testid=tool-card]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-tool')} ${e.getAttribute('data-status')}`));

/** The model requests the demo emulator received (its record file). */
const modelRequests = () => fs.readFileSync(demo.record, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.path === '/v1/messages');

/** The session as the last request sent it: each tool call as "name done|error", and the assistant's texts. */
function lastConversation() {
  const messages = modelRequests().at(-1).body.messages;
  const blocks = (role) => messages.filter((m) => m.role === role).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
  const results = new Map(blocks('user').filter((b) => b.type === 'tool_result').map((b) => [b.tool_use_id, b.is_error === true]));
  return {
    tools: blocks('assistant').filter((b) => b.type === 'tool_use').map((b) => `${b.name} ${results.get(b.id) ? 'error' : 'done'}`),
    texts: blocks('assistant').filter((b) => b.type === 'text').map((b) => b.text),
  };
}

/** The calls of the tour so far (from the record) and the cards still on screen, which must be its latest ones. */
async function expectTools(expected) {
  assert.deepEqual(lastConversation().tools, expected);
  const shown = await cardStates();
  assert.ok(shown.length > 0, 'no tool card on screen');
  assert.deepEqual(shown, expected.slice(expected.length - shown.length), 'the tool cards on screen are not the latest calls');
}

/** Switch the workbench theme and wait until the webview shows it. */
async function setTheme(page, kind) {
  const label = kind === 'dark' ? 'Dark Modern' : 'Light Modern';
  await runCommandAndPick(page, 'Preferences: Color Theme', label, label);
  await waitFor(async () => new RegExp(`vscode-${kind}`).test((await cairn.locator('body').getAttribute('class')) ?? ''), 20_000, `webview body.vscode-${kind}`);
  await sleep(500);
}

/** Drag the side bar's edge so the panel is `width` px wide (readable screenshots); best effort. */
async function widenSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  log(`side bar: ${box.width}px -> ${(await page.locator('.part.sidebar').boundingBox())?.width}px`);
}

/** Start a new session with the panel's button and run the example prompt that starts with `start`. */
async function runExample(start) {
  await cairn.locator('[data-testid=new-session-button]').click();
  await waitFor(async () => (await cairn.locator('[data-testid=message]').count()) === 0, 15_000, 'an empty new session');
  const example = cairn.locator('[data-testid=example-prompt]', { hasText: start });
  const input = cairn.locator('[data-testid=composer-input]');
  await example.click();
  await waitFor(async () => (await input.inputValue()).startsWith(start), 10_000, 'the example to fill the composer');
  await input.press('Enter');
}

/** The assistant's texts since the last user message, once the turn is complete. */
async function finishedReply(marker, timeout = 60_000) {
  const done = cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: marker });
  await done.first().waitFor({ timeout });
  await waitFor(async () => !(await cairn.locator('[data-testid=composer-input]').isDisabled()), 15_000, 'the turn to end');
  return cairn.locator('[data-testid=message][data-role=assistant]').allTextContents();
}

try {
  await check('setup: a VS Code as `npm start` runs it without a key (demo emulator, sample workspace)', async () => {
    demo = await startDemoInstance(REPO, path.join(REPO, '.e2e/run/demo-tour'));
    log(`demo instance: ${demo.csUrl}, emulator ${demo.emulatorUrl}`);
    assert.ok(fs.existsSync(path.join(demo.workspace, 'test/cart.test.js')), 'the sample workspace has no tests');
    browser = await launch();
  }, { fatal: true });

  const page = browser?.page;

  await check('the first screen offers the offline demo; choosing it shows the demo label, the scripted hint and the examples', async () => {
    await page.goto(`${demo.csUrl}/?folder=${encodeURIComponent(demo.workspace)}`);
    await waitForWorkbench(page);
    const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Cairn/ }).first();
    await tab.waitFor({ timeout: 60_000 });
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    await widenSideBar(page, 480).catch((e) => log(`could not widen the side bar: ${e.message}`));
    cairn = await findCairnFrame(page, 60_000);
    await cairn.locator('[data-testid=use-demo-button]').click({ timeout: 30_000 });
    await cairn.locator('[data-testid=chat-root]').waitFor({ timeout: 20_000 });
    assert.equal((await cairn.locator('[data-testid=model-label]').textContent())?.trim(), DEMO_LABEL);
    assert.match((await cairn.locator('[data-testid=demo-hint]').textContent()) ?? '', /replies are scripted/);
    assert.equal(await cairn.locator('[data-testid=example-prompt]').count(), 3);
    await page.screenshot({ path: shot('demo-empty-light.png') });
  }, { fatal: true });

  await check(`the example "${FULL_TASK}" starts the full task: the test run waits for approval, then fails as a tool card`, async () => {
    const example = cairn.locator('[data-testid=example-prompt]', { hasText: FULL_TASK });
    await example.click();
    await cairn.locator('[data-testid=composer-input]').press('Enter');
    const approval = cairn.locator('[data-testid=approval]');
    await approval.waitFor({ timeout: 45_000 });
    assert.match((await approval.textContent()) ?? '', /npm test/);
    await approval.locator('[data-testid=approve-button]').click();
    await waitFor(async () => (await cardStates()).join(',').endsWith('run_command error,read_file done,read_file done'), 45_000, 'the failing run and two reads');
  }, { fatal: true });

  await check('the fix arrives as a per-hunk review; accepting its hunk and applying writes exactly the fix', async () => {
    const card = cairn.locator('[data-testid=review-card]');
    await card.waitFor({ timeout: 45_000 });
    await waitFor(async () => (await card.locator('[data-testid=review-hunk]').count()) === 1, 10_000, '1 review hunk');
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes('src/cart.js') && text.includes('sub * (1 - discountPercent / 100)'), `the review card does not show the fix: ${text.slice(0, 300)}`);
    assert.ok(file('src/cart.js').includes('sub - discountPercent / 100'), 'the file changed before the review was answered');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('demo-review-light.png') });
    const hunk = card.locator('[data-testid=review-hunk][data-index="0"]');
    await hunk.locator('[data-testid=hunk-accept]').click();
    await waitFor(async () => (await hunk.getAttribute('data-accepted')) === 'true', 5_000, 'the hunk marked accepted');
    await card.locator('[data-testid=review-apply]').click();
    await waitFor(() => file('src/cart.js').includes('return Math.round(sub * (1 - discountPercent / 100));'), 20_000, 'the fix on disk');
  }, { fatal: true });

  await check('the second test run waits for approval; approved, it passes, and the memory write ends the task', async () => {
    const approval = cairn.locator('[data-testid=approval]');
    await approval.waitFor({ timeout: 45_000 });
    await approval.locator('[data-testid=approve-button]').click();
    const texts = await finishedReply('Done. What happened');
    const reply = texts.join('\n');
    assert.match(reply, /Verified\*?\*?: all 5 tests pass/);
    assert.match(reply, /waiting for your review/);
    await expectTools(['run_command error', 'read_file done', 'read_file done', 'edit_file done', 'run_command done', 'memory_write done']);
  }, { fatal: true });

  await check('every reply is labelled as scripted; the cost reads $0 in the panel and the status bar; every request went to the demo model', async () => {
    const { texts } = lastConversation();
    assert.ok(texts.length >= 5 && texts.every((t) => t.startsWith(SCRIPTED)), `an assistant text without "${SCRIPTED}": ${JSON.stringify(texts.map((t) => t.slice(0, 60)))}`);
    const shown = await cairn.locator('[data-testid=message][data-role=assistant]').allTextContents();
    assert.ok(shown.length > 0 && shown.every((t) => t.includes(SCRIPTED)), 'an assistant message on screen is not labelled');
    assert.equal((await cairn.locator('[data-testid=usage-cost]').textContent())?.trim(), '$0');
    await waitFor(async () => /Cairn \$0\b/.test((await page.locator('.part.statusbar').textContent()) ?? ''), 10_000, 'the status bar to show $0');
    const record = modelRequests();
    assert.equal(record.length, 6, `expected 6 model requests (one per step of the full task), got ${record.length}`);
    assert.deepEqual([...new Set(record.map((r) => `${r.body.model} ${r.source}`))], ['cairn-offline-demo brain']);
  });

  await check('screenshots of the finished task: demo-tour-light.png and demo-tour-dark.png', async () => {
    await page.screenshot({ path: shot('demo-tour-light.png') });
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
    await setTheme(page, 'dark');
    await page.screenshot({ path: shot('demo-tour-dark.png') });
  });

  await check('the memory view shows the held write; approving it saves the topic and its index line', async () => {
    await cairn.locator('[data-testid=memory-button]').click();
    const pending = cairn.locator('[data-testid=memory-pending]', { hasText: 'How the tests run' });
    await pending.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: shot('demo-memory-dark.png') });
    await pending.locator('[data-testid=memory-approve]').click();
    await waitFor(async () => ((await cairn.locator('[data-testid=memory-index]').textContent()) ?? '').includes('memory/sample-tests.md'), 20_000, 'the index line');
    assert.match(fs.readFileSync(path.join(demo.workspace, '.agent/memory/sample-tests.md'), 'utf8'), /npm test/);
    await cairn.locator('[data-testid=memory-button]').click();
  });

  await check('/compact compacts the finished task into the summary the script writes from the conversation', async () => {
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill('/compact');
    await input.press('Enter');
    const divider = cairn.locator('[data-testid=compaction-divider]');
    await divider.waitFor({ timeout: 30_000 });
    const summary = (await divider.locator('[data-testid=compaction-summary]').textContent()) ?? '';
    assert.ok(summary.includes(SCRIPTED) && summary.includes('src/cart.js was changed'), `unexpected summary: ${summary.slice(0, 300)}`);
    await page.screenshot({ path: shot('demo-compact-dark.png') });
  });

  await check('the example "Explain how this project is organised…" lists, reads and greps, then answers from the results', async () => {
    await runExample('Explain how this project is organised');
    const reply = (await finishedReply('Where to start reading')).join('\n');
    assert.match(reply, /README\.md says: “A tiny project to try Cairn on/);
    await expectTools(['list_files done', 'read_file done', 'read_file done', 'grep done']);
    assert.equal(await cairn.locator('[data-testid=approval]').count(), 0, 'reading asked for approval');
  });

  await check('the example "Find the TODO comments…" greps, reads the files and suggests one', async () => {
    await runExample('Find the TODO comments');
    const reply = (await finishedReply('Tackle first')).join('\n');
    assert.match(reply, /src\/cart\.js:10/);
    await expectTools(['grep done', 'read_file done', 'read_file done']);
    await page.screenshot({ path: shot('demo-search-dark.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed && browser) {
    await browser.page.screenshot({ path: shot('flow-60-demo-tour-failure.png') }).catch(() => {});
    for (const f of demo?.logs ?? []) {
      if (fs.existsSync(f)) console.log(`----- tail ${path.relative(REPO, f)} -----\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`);
    }
  }
  await stopAll();
  log(`flow 60-demo-tour: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
