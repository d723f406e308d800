// Issue 14 in a real VS Code: one turn starts two explore subagents; the panel shows two live subagent cards at
// once (type, status, stop), both finish and collapse into their reports, the main answer uses them, and after a
// window reload the cards are still there with their reports (the host's snapshot carries their last status).
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, openCairnChat, openFreshChat, sendMessage, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const { check, write } = createChecks('flow 47-subagents');
const { page, close } = await launch();
const tag = `sub-${Date.now().toString(36)}`;
const FILE_A = `subagents-a-${tag}.txt`;
const FILE_B = `subagents-b-${tag}.txt`;
const userText = `Explore the two notes in parallel (${tag})`;
const cardsSel = '[data-testid=subagent-card]';

let cairn;
try {
  await check('setup: two notes in the workspace; the model turns are scripted by rules', async () => {
    fs.writeFileSync(path.join(WORKSPACE, FILE_A), `alpha-${tag}\n`);
    fs.writeFileSync(path.join(WORKSPACE, FILE_B), `beta-${tag}\n`);
    await emu.reset();
    // Rules match each request by its own last message, so the parallel subagents' order does not matter. The
    // subagents' replies stream slowly (delayMs between events) so both cards are seen working.
    await emu.rules([
      { match: { lastUserText: userText }, times: 1, reply: { content: [
        { type: 'text', text: 'I will send two explore subagents.' },
        { type: 'tool_use', name: 'agent', input: { type: 'explore', description: 'Read note A', prompt: `SUBA-${tag}: read ${FILE_A} and report its content.` } },
        { type: 'tool_use', name: 'agent', input: { type: 'explore', description: 'Read note B', prompt: `SUBB-${tag}: read ${FILE_B} and report its content.` } },
      ] } },
      { match: { lastUserText: `SUBA-${tag}` }, times: 1, reply: { delayMs: 300, content: [{ type: 'text', text: 'Reading note A now, slowly.' }, { type: 'tool_use', name: 'read_file', input: { path: FILE_A } }] } },
      { match: { lastUserText: `SUBB-${tag}` }, times: 1, reply: { delayMs: 300, content: [{ type: 'text', text: 'Reading note B now, slowly.' }, { type: 'tool_use', name: 'read_file', input: { path: FILE_B } }] } },
      { match: { lastUserText: `alpha-${tag}` }, times: 1, reply: { delayMs: 200, text: `Report A ${tag}: the note says alpha.` } },
      { match: { lastUserText: `beta-${tag}` }, times: 1, reply: { delayMs: 200, text: `Report B ${tag}: the note says beta.` } },
      { match: { lastUserText: `Report A ${tag}` }, times: 1, reply: { text: `Both explorations are done (${tag}): alpha and beta.` } },
    ]);
  }, { fatal: true });

  await check('workbench loads and a fresh Cairn chat opens', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
  }, { fatal: true });

  await check('one turn shows two live explore subagent cards at once, each with a stop button', async () => {
    await sendMessage(cairn, userText);
    const cards = cairn.locator(cardsSel);
    await waitFor(async () => (await cards.count()) === 2, 60_000, 'two subagent cards');
    await waitFor(async () => (await cairn.locator(`${cardsSel}[data-state=running]`).count()) === 2, 60_000, 'both subagents working at once');
    assert.equal(await cards.nth(0).getAttribute('data-type'), 'explore');
    assert.equal(await cards.nth(1).getAttribute('data-type'), 'explore');
    assert.equal(await cairn.locator('[data-testid=subagent-stop]').count(), 2, 'a stop button on each live card');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'subagents-live.png') });
  }, { fatal: true });

  await check('both finish and collapse into their reports; the main answer follows', async () => {
    await waitFor(async () => (await cairn.locator(`${cardsSel}[data-state=completed]`).count()) === 2, 90_000, 'both subagents completed');
    assert.equal(await cairn.locator('[data-testid=subagent-stop]').count(), 0, 'no stop button once finished');
    const cards = cairn.locator(cardsSel);
    const reports = [];
    for (let i = 0; i < 2; i++) {
      const card = cards.nth(i);
      assert.equal(await card.locator('details').evaluate((d) => d.open), false, `card ${i} collapsed`);
      assert.match(await card.locator('[data-testid=subagent-figures]').innerText(), /^1 tool · /, `card ${i} counted its one tool`);
      await card.locator('summary').click();
      reports.push(await card.locator('[data-testid=subagent-report]').innerText());
    }
    assert.deepEqual(reports.map((r) => (r.includes(`Report A ${tag}`) ? 'A' : r.includes(`Report B ${tag}`) ? 'B' : '?')).sort(), ['A', 'B']);
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Both explorations are done (${tag})` }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'subagents-done.png') });
  }, { fatal: true });

  await check('after a window reload both cards are back, finished, with their reports', async () => {
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: `Both explorations are done (${tag})` }).waitFor({ timeout: 60_000 });
    await waitFor(async () => (await cairn.locator(`${cardsSel}[data-state=completed]`).count()) === 2, 60_000, 'two finished subagent cards after the reload');
    const card = cairn.locator(cardsSel).first();
    await card.locator('summary').click();
    assert.match(await card.locator('[data-testid=subagent-report]').innerText(), new RegExp(`Report [AB] ${tag}`));
  });
} finally {
  for (const f of [FILE_A, FILE_B]) fs.rmSync(path.join(WORKSPACE, f), { force: true });
  const s = write();
  console.log(`subagents: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
