// Flow: the session history (issue 5). A session with a distinctive first message, then a new session, then a
// window reload; the chat header's History opens the list, a search finds the session, it resumes with its
// messages, and a rename shows the new title in the list and in the chat header.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createChecks, launch, log, openCairnChat, runCommand, waitFor, waitForWorkbench, flowEnv, emulatorCall } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const WORD = `quokka${tag}`;
const FIRST = `Plan the ${WORD} lighthouse migration`;
const REPLY = `Lighthouse plan for ${WORD}: three steps.`;
const RENAMED = `Renamed ${WORD} session`;

/** The emulator's control endpoints (see test/emulator/README.md). */
const control = (route, body) => emulatorCall(EMULATOR_URL, route, body ?? {});

const { check, write } = createChecks('flow 32-history-resume');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;

async function openCairn() {
  return openCairnChat(page);
}

/** Open the history panel from the chat header (if it is not open) and search for `q`. */
async function searchHistory(q) {
  const history = cairn.locator('[data-testid=session-history]');
  if ((await history.count()) === 0) await cairn.locator('[data-testid=history-button]').click();
  await history.waitFor({ timeout: 10_000 });
  const search = history.locator('[data-testid=session-search]');
  await search.fill(q);
  const items = history.locator('[data-testid=session-item]');
  await waitFor(async () => (await items.count()) === 1, 15_000, `exactly one session matching "${q}" (have ${await items.count()})`);
  return items.first();
}

try {
  await check('setup: the reply is queued', async () => {
    await control('reset');
    await control('enqueue', { items: [{ text: REPLY }] });
  }, { fatal: true });

  await check('a session with a distinctive first message; its title comes from that message', async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
    await waitForWorkbench(page);
    await runCommand(page, 'Cairn: New Session');
    cairn = await openCairn();
    await waitFor(async () => (await cairn.locator('[data-testid=message]').count()) === 0, 10_000, 'an empty new session');
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(FIRST);
    await input.press('Enter');
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: REPLY }).waitFor({ timeout: 30_000 });
    await waitFor(async () => ((await cairn.locator('[data-testid=chat-title]').textContent()) ?? '').includes(WORD), 10_000, 'the chat title to name the session');
  }, { fatal: true });

  await check('the header\'s New starts an empty session', async () => {
    await cairn.locator('[data-testid=new-session-button]').click();
    await waitFor(async () => (await cairn.locator('[data-testid=message]').count()) === 0, 10_000, 'an empty new session');
    const title = (await cairn.locator('[data-testid=chat-title]').textContent()) ?? '';
    assert.ok(!title.includes(WORD), `the new session kept the old title: ${title}`);
  }, { fatal: true });

  await check('after a window reload, History → search finds the session and resumes it with its messages', async () => {
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairn();
    log(`after the reload the chat shows ${await cairn.locator('[data-testid=message]').count()} message(s), title "${(await cairn.locator('[data-testid=chat-title]').textContent())?.trim()}"`);
    await cairn.locator('[data-testid=history-button]').click();
    const history = cairn.locator('[data-testid=session-history]');
    await history.waitFor({ timeout: 10_000 });
    await waitFor(async () => (await history.locator('[data-testid=session-item]').count()) >= 1, 15_000, 'the session list to load');
    const all = await history.locator('[data-testid=session-item]').count();
    const item = await searchHistory(WORD);
    log(`history: ${all} session(s), 1 matches ${WORD}`);
    assert.ok(((await item.textContent()) ?? '').includes(FIRST), 'the match is titled by its first message');
    await history.locator('[data-testid=session-search]').fill(`${WORD}-no-such-session`);
    await history.locator('[data-testid=session-empty]').waitFor({ timeout: 10_000 });
    const again = await searchHistory(WORD);
    await page.screenshot({ path: shot('history-search.png') });
    await again.locator('[data-testid=session-open]').click();
    await waitFor(async () => (await cairn.locator('[data-testid=session-history]').count()) === 0, 10_000, 'the history to close after resuming');
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: FIRST }).waitFor({ timeout: 15_000 });
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: REPLY }).waitFor({ timeout: 15_000 });
    assert.equal(await cairn.locator('[data-testid=message]').count(), 2, 'the resumed session shows exactly its two messages');
    assert.ok(((await cairn.locator('[data-testid=chat-title]').textContent()) ?? '').includes(WORD), 'the header shows the resumed session title');
  }, { fatal: true });

  await check('rename: the new title shows in the list and in the chat header', async () => {
    const item = await searchHistory(WORD);
    assert.equal(await item.getAttribute('data-current'), 'true', 'the resumed session is marked current');
    await item.locator('[data-testid=session-rename]').click();
    const field = item.locator('[data-testid=session-rename-input]');
    await field.waitFor({ timeout: 5_000 });
    await field.fill(RENAMED);
    await item.locator('[data-testid=session-rename-save]').click();
    const history = cairn.locator('[data-testid=session-history]');
    await waitFor(async () => ((await history.locator('[data-testid=session-item]').first().textContent()) ?? '').includes(RENAMED), 10_000, 'the list to show the new title');
    await waitFor(async () => ((await cairn.locator('[data-testid=chat-title]').textContent()) ?? '') === RENAMED, 10_000, 'the chat header to show the new title');
    await page.screenshot({ path: shot('history-renamed.png') });
  });

  await check('the rename survives a reload (the list shows the new title)', async () => {
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairn();
    const item = await searchHistory(WORD);
    const text = (await item.textContent()) ?? '';
    assert.ok(text.includes(RENAMED), `after the reload the session is titled: ${text}`);
    await cairn.locator('[data-testid=session-history-close]').click();
    await page.screenshot({ path: shot('history-resume.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-32-history-resume-failure.png') }).catch(() => {});
  await close();
  log(`flow 32-history-resume: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
