// Issue 3 in a real VS Code: a scripted two-tool turn streams into the panel, the window is reloaded
// while the reply is still streaming, and the session comes back at its last completed step: listed in
// "Cairn: Open Session…", both tool cards done, no tool run twice, and it can be continued.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, log, newCairnSession, openCairnChat, sendMessage, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const { check, write } = createChecks('two-tools-reload');
const { page, close } = await launch();
const tag = `reload-${Date.now().toString(36)}`;
const userText = `Look at the workspace and summarise it (${tag})`;
const longReply = `Here is what I found after both tools ran. ${'The workspace holds a README and a few sample files; '.repeat(12)}That is all.`;

let cairn;
try {
  await check('workbench loads and the Cairn chat opens', async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await newCairnSession(cairn);
  }, { fatal: true });

  await check('a scripted two-tool turn streams into the panel; both tools finish', async () => {
    await emu.enqueue([
      { content: [
        { type: 'text', text: 'Let me list the workspace and read its README.' },
        { type: 'tool_use', name: 'list_files', input: { path: '.' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'README.md' } },
      ] },
      { text: longReply, delayMs: 250 },
    ]);
    await sendMessage(cairn, userText);
    const cards = cairn.locator('[data-testid=tool-card]');
    await waitFor(async () => (await cards.count()) === 2, 20_000, 'two tool cards');
    await waitFor(async () => (await cards.nth(0).getAttribute('data-status')) === 'done' && (await cards.nth(1).getAttribute('data-status')) === 'done', 20_000, 'both tool cards done');
  }, { fatal: true });

  await check('the final reply is streaming when the window reloads', async () => {
    const streaming = cairn.locator('[data-testid=message][data-role=assistant][data-status=streaming]', { hasText: 'Here is what I found' });
    await streaming.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'reload-before.png') });
    log('reloading the window mid-stream');
    await page.reload();
    await waitForWorkbench(page);
  }, { fatal: true });

  await check('after the reload the session is back at its last completed step', async () => {
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: tag }).waitFor({ timeout: 30_000 });
    const cards = cairn.locator('[data-testid=tool-card]');
    await waitFor(async () => (await cards.count()) === 2, 15_000, 'the two tool cards after the reload');
    for (let i = 0; i < 2; i++) assert.equal(await cards.nth(i).getAttribute('data-status'), 'done', `tool card ${i} after reload`);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'reload-after.png') });
  });

  await check('the session is listed in "Cairn: Open Session…" and reopens', async () => {
    await page.keyboard.press('F1');
    const box = page.locator('.quick-input-widget input.input');
    await box.waitFor({ timeout: 10_000 });
    await box.fill('>Cairn: Open Session');
    const cmd = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cairn: Open Session' }).first();
    await cmd.waitFor({ timeout: 30_000 });
    await cmd.click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: tag }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: tag }).waitFor({ timeout: 15_000 });
  });

  await check('the resumed session continues, and no tool ran twice', async () => {
    await emu.enqueue([{ text: `Finished after the reload (${tag}).` }]);
    await sendMessage(cairn, 'Please finish the summary.');
    const done = cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Finished after the reload (${tag})` });
    await done.waitFor({ timeout: 30_000 });
    const last = (await emu.messages()).at(-1);
    const blocks = last.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const uses = blocks.filter((b) => b.type === 'tool_use' && ['list_files', 'read_file'].includes(b.name));
    const results = blocks.filter((b) => b.type === 'tool_result' && uses.some((u) => u.id === b.tool_use_id));
    assert.equal(uses.length, 2, 'the history sent to the model holds the two tool calls once each');
    assert.equal(results.length, 2, 'and exactly one result for each');
    assert.equal(blocks.filter((b) => b.type === 'text' && b.text?.includes(tag) && b.text.startsWith('Look at')).length, 1, 'the user message is not duplicated');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'reload-resumed.png') });
  });
} finally {
  const s = write();
  console.log(`two-tools-reload: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
