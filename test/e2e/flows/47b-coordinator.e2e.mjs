// Issue 14 in a real VS Code: a coordinator run with two workers ends with their diffs for review.
//
// Coordinator on (the composer's checkbox) -> one task -> the scripted coordinator starts two workers with
// start_worker, then waits with wait_workers -> the panel shows two worker cards, both finish -> each worker (a
// separate process: the packaged `dist/cli.js --worker` under the extension host's Node, in its own copy of the
// workspace) wrote one new file, and each change is offered in the diff review card, one after the other -> the
// first offered is applied and lands on disk exactly; the second is offered too (the other file) and rejected, so
// it never reaches the workspace -> the coordinator's last answer follows. Coordinator mode is switched off again
// at the end, so later flows start ordinary sessions.
//
// The coordinator and both workers call the same emulator at the same time, so every model turn is a rule matched
// on the request's own last message (order does not matter), never a queue.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, log, openCairnChat, openFreshChat, sendMessage, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = `coord-${Date.now().toString(36)}`;
const FILE_A = `coordinator-a-${tag}.txt`;
const FILE_B = `coordinator-b-${tag}.txt`;
const CONTENT = { [FILE_A]: `alpha from worker A (${tag})\nsecond line A\n`, [FILE_B]: `beta from worker B (${tag})\nsecond line B\n` };
const abs = (rel) => path.join(WORKSPACE, rel);
const userText = `Split the two notes between two workers (${tag})`;
const FINAL = `Both workers are done (${tag}); their changes are offered for review.`;
const tool = (name, input) => ({ type: 'tool_use', name, input });
const cardsSel = '[data-testid=worker-card]';

const { check, write } = createChecks('flow 47b-coordinator');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;

try {
  await check('setup: the model turns of the coordinator and its two workers are rules', async () => {
    for (const f of [FILE_A, FILE_B]) fs.rmSync(abs(f), { force: true });
    await emu.reset();
    await emu.rules([
      // The coordinator, after wait_workers (the most specific first: its result also names both files).
      { match: { toolResult: 'wait_workers', lastUserText: 'All 2 finished' }, times: 1, reply: { text: FINAL } },
      // The coordinator, once both workers are started (the two results come back in one message).
      { match: { toolResult: 'start_worker', lastUserText: 'Use wait_workers' }, times: 1, reply: { content: [
        { type: 'text', text: 'Both are working; I wait for them.' }, tool('wait_workers', { timeout_seconds: 600 }),
      ] } },
      // The coordinator's first turn: two workers.
      { match: { lastUserText: userText }, times: 1, reply: { content: [
        { type: 'text', text: 'I will give each note to its own worker.' },
        tool('start_worker', { description: 'Write note A', task: `WORKA-${tag}: create ${FILE_A} with the alpha note.` }),
        tool('start_worker', { description: 'Write note B', task: `WORKB-${tag}: create ${FILE_B} with the beta note.` }),
      ] } },
      // Each worker (its own process): write its file, then report. Slow enough that both cards are seen working.
      { match: { lastUserText: `WORKA-${tag}` }, times: 1, reply: { delayMs: 100, content: [
        { type: 'text', text: 'Writing note A.' }, tool('write_file', { path: FILE_A, content: CONTENT[FILE_A] }),
      ] } },
      { match: { lastUserText: `WORKB-${tag}` }, times: 1, reply: { delayMs: 100, content: [
        { type: 'text', text: 'Writing note B.' }, tool('write_file', { path: FILE_B, content: CONTENT[FILE_B] }),
      ] } },
      { match: { toolResult: 'write_file', lastUserText: `Created ${FILE_A}` }, times: 1, reply: { text: `Worker report A ${tag}: wrote ${FILE_A}.` } },
      { match: { toolResult: 'write_file', lastUserText: `Created ${FILE_B}` }, times: 1, reply: { text: `Worker report B ${tag}: wrote ${FILE_B}.` } },
    ]);
  }, { fatal: true });

  await check('a fresh chat with Coordinator mode switched on', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
    const toggle = cairn.locator('[data-testid=coordinator-toggle]');
    await toggle.waitFor({ timeout: 60_000 });
    if (!(await toggle.isChecked())) await toggle.click();
    await waitFor(async () => toggle.isChecked(), 60_000, 'the Coordinator checkbox to be on');
    await waitFor(async () => (await cairn.locator('[data-testid=message]').count()) === 0, 60_000, 'an empty session');
  }, { fatal: true });

  await check('the task starts two workers: two worker cards that both finish', async () => {
    await sendMessage(cairn, userText);
    const cards = cairn.locator(cardsSel);
    await waitFor(async () => (await cards.count()) === 2, 90_000, 'two worker cards');
    await page.screenshot({ path: shot('coordinator-workers.png') });
    await waitFor(async () => (await cairn.locator(`${cardsSel}[data-state=done]`).count()) === 2, 180_000,
      'both workers done', 500).catch(async (e) => {
      const states = await cards.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-state')}: ${el.textContent}`));
      throw new Error(`${e.message}; cards: ${JSON.stringify(states).slice(0, 3000)}`);
    });
    for (const f of [FILE_A, FILE_B]) assert.equal(fs.existsSync(abs(f)), false, `${f} reached the workspace before any review`);
  }, { fatal: true });

  let first;
  await check('one worker\'s change is offered in the review card; applied, the file on disk is exactly its version', async () => {
    const card = cairn.locator('[data-testid=review-card]');
    await card.first().waitFor({ timeout: 90_000 });
    assert.equal(await card.count(), 1, 'one review at a time');
    const text = (await card.textContent()) ?? '';
    first = text.includes(FILE_A) ? FILE_A : text.includes(FILE_B) ? FILE_B : undefined;
    assert.ok(first, `the review card names neither worker's file: ${text.slice(0, 300)}`);
    const hunks = card.locator('[data-testid=review-hunk]');
    await waitFor(async () => (await hunks.count()) >= 1, 30_000, 'the hunks of the review');
    for (let i = 0; i < (await hunks.count()); i++) await hunks.nth(i).locator('[data-testid=hunk-accept]').click();
    await page.screenshot({ path: shot('coordinator-review.png') });
    await card.locator('[data-testid=review-apply]').click();
    // VS Code saves by truncating and rewriting: an empty read is a save in progress, not the result.
    await waitFor(() => fs.existsSync(abs(first)) && fs.readFileSync(abs(first), 'utf8') !== '', 60_000, `${first} to be written`);
    assert.equal(fs.readFileSync(abs(first), 'utf8'), CONTENT[first]);
  }, { fatal: true });

  await check('the other worker\'s change is offered too; rejected, it stays out of the workspace', async () => {
    const other = first === FILE_A ? FILE_B : FILE_A;
    const card = cairn.locator('[data-testid=review-card]', { hasText: other });
    await card.waitFor({ timeout: 90_000 });
    const hunks = card.locator('[data-testid=review-hunk]');
    await waitFor(async () => (await hunks.count()) >= 1, 30_000, 'the hunks of the second review');
    assert.match((await card.textContent()) ?? '', new RegExp(`${other === FILE_A ? 'alpha from worker A' : 'beta from worker B'} \\(${tag}\\)`), 'the second card shows the worker\'s text');
    await page.screenshot({ path: shot('coordinator-review-second.png') });
    await card.locator('[data-testid=review-reject-all]').click();
    await waitFor(async () => (await cairn.locator('[data-testid=review-card]').count()) === 0, 60_000, 'the review card to leave');
    assert.equal(fs.existsSync(abs(other)), false, `${other} was written though its change was rejected`);
    assert.equal(fs.readFileSync(abs(first), 'utf8'), CONTENT[first], `${first} changed after it was applied`);
  });

  await check('the coordinator\'s answer follows; both workers\' diffs are saved with the session', async () => {
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: FINAL }).waitFor({ timeout: 90_000 });
    const sessions = path.join(WORKSPACE, '.agent', 'sessions');
    const diffs = fs.readdirSync(sessions).flatMap((s) => {
      const dir = path.join(sessions, s, 'workers');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.diff')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
    });
    assert.ok(diffs.some((d) => d.includes(FILE_A) && d.includes(`alpha from worker A (${tag})`)), 'worker A\'s diff is saved');
    assert.ok(diffs.some((d) => d.includes(FILE_B) && d.includes(`beta from worker B (${tag})`)), 'worker B\'s diff is saved');
    await page.screenshot({ path: shot('coordinator-done.png') });
  });

  await check('after a window reload both worker cards are back, finished', async () => {
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: FINAL }).waitFor({ timeout: 60_000 });
    await waitFor(async () => (await cairn.locator(`${cardsSel}[data-state=done]`).count()) === 2, 60_000, 'two finished worker cards after the reload');
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  // Later flows must start ordinary sessions: coordinator mode is remembered across sessions.
  try {
    const toggle = cairn?.locator('[data-testid=coordinator-toggle]');
    if (toggle && (await toggle.isChecked({ timeout: 10_000 }))) {
      await waitFor(async () => !(await toggle.isDisabled()), 60_000, 'the Coordinator checkbox to be enabled');
      await toggle.click();
      await waitFor(async () => !(await toggle.isChecked()), 30_000, 'the Coordinator checkbox to be off');
    }
  } catch (e) { console.error('could not switch coordinator mode off:', e); process.exitCode = 1; }
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-47b-coordinator-failure.png') }).catch(() => {});
  await close();
  for (const f of [FILE_A, FILE_B]) fs.rmSync(abs(f), { force: true });
  log(`flow 47b-coordinator: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
