// Flow: a command that needs approval in ask mode. The model (scripted through the emulator's control endpoint)
// first runs a read-only command, `ls -la`, which runs without asking (the installed extension read it with
// the bash grammar shipped in the vsix: without the grammar every command would ask); then it asks to run
// `touch <marker>`; the approval card waits (the marker does not appear), the user approves, the command runs
// (the marker appears) and the turn completes.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorCall, flowEnv, launch, log, openFreshChat, waitFor } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const MARKER = `approved-marker-${tag}.txt`;
const MARKER_PATH = path.join(WORKSPACE, MARKER);
const COMMAND = `touch ${MARKER}`;

/** The emulator's control endpoints (see test/emulator/README.md). */
const control = (route, body) => emulatorCall(EMULATOR_URL, route, body ?? {});

const { check, write } = createChecks('flow 21-approval');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;

try {
  await check('setup: the model turns are queued', async () => {
    fs.rmSync(MARKER_PATH, { force: true });
    await control('reset');
    await control('enqueue', {
      items: [
        { content: [{ type: 'text', text: 'First a look around.' }, { type: 'tool_use', name: 'run_command', input: { command: 'ls -la' } }] },
        { content: [{ type: 'text', text: 'I will create the marker file.' }, { type: 'tool_use', name: 'run_command', input: { command: COMMAND } }] },
        { text: `Approval flow ${tag} finished.` },
      ],
    });
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
  }, { fatal: true });

  await check('the approval card appears and the command waits for it', async () => {
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(`Create the marker file (${tag})`);
    await input.press('Enter');
    const card = cairn.locator('[data-testid=approval]');
    await card.waitFor({ timeout: 45_000 });
    // The read-only `ls -la` ran before, without an approval card.
    const first = cairn.locator('[data-testid=tool-card][data-tool=run_command]').first();
    assert.equal(await first.getAttribute('data-status'), 'done', 'the read-only ls did not run by itself');
    assert.ok(((await first.textContent()) ?? '').includes('ls -la'), 'the first tool card is not the ls');
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(MARKER), `the approval card does not show the command: ${text.slice(0, 300)}`);
    await page.waitForTimeout(3000);
    assert.equal(fs.existsSync(MARKER_PATH), false, 'the command ran before it was approved');
    assert.equal(await card.count(), 1, 'the approval card went away by itself');
    await page.screenshot({ path: shot('approval-waiting.png') });
  }, { fatal: true });

  await check('approve: the command runs and the turn completes', async () => {
    await cairn.locator('[data-testid=approval] [data-testid=approve-button]').click();
    await waitFor(() => fs.existsSync(MARKER_PATH), 20_000, `${MARKER} to be created`);
    await waitFor(async () => (await cairn.locator('[data-testid=approval]').count()) === 0, 15_000, 'the approval card to leave');
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: `Approval flow ${tag} finished.` }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shot('approval-approved.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-21-approval-failure.png') }).catch(() => {});
  await close();
  fs.rmSync(MARKER_PATH, { force: true });
  log(`flow 21-approval: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
