// Flow: a command that needs approval in ask mode. The model (scripted through the emulator's control endpoint)
// asks to run `touch <marker>`; the approval card waits (the marker does not appear), the user approves, the
// command runs (the marker appears) and the turn completes.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, waitForWorkbench, runCommand, findCairnFrame, waitFor, log, createChecks } from '../lib.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CS_URL = process.env.CS_URL ?? 'http://127.0.0.1:8080';
const WORKSPACE = process.env.WORKSPACE ?? path.join(REPO, '.e2e/run/workspace');
const EMULATOR_URL = process.env.EMULATOR_URL;
const RESULTS_DIR = process.env.RESULTS_DIR ?? path.join(REPO, 'test-results/e2e');
fs.mkdirSync(RESULTS_DIR, { recursive: true });
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const MARKER = `approved-marker-${tag}.txt`;
const MARKER_PATH = path.join(WORKSPACE, MARKER);
const COMMAND = `touch ${MARKER}`;

async function control(route, body) {
  assert.ok(EMULATOR_URL, 'EMULATOR_URL is not set (run through test/e2e/run.sh)');
  const res = await fetch(`${EMULATOR_URL}/_emulator/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const text = await res.text();
  assert.equal(res.status, 200, `${route}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

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
        { content: [{ type: 'text', text: 'I will create the marker file.' }, { type: 'tool_use', name: 'run_command', input: { command: COMMAND } }] },
        { text: `Approval flow ${tag} finished.` },
      ],
    });
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
    await waitForWorkbench(page);
    await runCommand(page, 'Cairn: Focus Chat');
    cairn = await findCairnFrame(page, 45_000);
    await runCommand(page, 'Cairn: New Session');
    cairn = await findCairnFrame(page, 30_000);
    await cairn.locator('[data-testid=composer-input]').waitFor({ timeout: 15_000 });
    const picker = cairn.locator('[data-testid=mode-picker]');
    if (await picker.count()) await picker.selectOption('ask');
  }, { fatal: true });

  await check('the approval card appears and the command waits for it', async () => {
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(`Create the marker file (${tag})`);
    await input.press('Enter');
    const card = cairn.locator('[data-testid=approval]');
    await card.waitFor({ timeout: 45_000 });
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
