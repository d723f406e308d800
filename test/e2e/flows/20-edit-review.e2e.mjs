// Flow: per-hunk review of an edit in ask mode (issue #4). The model (scripted through the emulator's control
// endpoint) reads a file and proposes two edits far apart; the chat shows a review card with two hunks; the user
// accepts the first, rejects the second and applies; the file on disk has exactly the accepted change.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorCall, flowEnv, launch, log, openFreshChat, waitFor } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const REL = `src/review-${tag}.ts`;
const FILE = path.join(WORKSPACE, REL);
const region = (name, from) => Array.from({ length: 12 }, (_, i) => `export const ${name}${i} = ${from + i};`).join('\n');
const ORIGINAL = `// review target ${tag}\n${region('alpha', 1)}\n\n${region('middle', 100)}\n\n${region('omega', 1000)}\n`;
const FIRST = ['export const alpha3 = 4;', 'export const alpha3 = 4000; // first change'];
const SECOND = ['export const omega8 = 1008;', 'export const omega8 = -1; // second change'];
const EXPECTED = ORIGINAL.replace(FIRST[0], FIRST[1]);

/** The emulator's control endpoints (see test/emulator/README.md). */
const control = (route, body) => emulatorCall(EMULATOR_URL, route, body ?? {});

const { check, write } = createChecks('flow 20-edit-review');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;

try {
  await check('setup: a file with two separated regions; the model turns are queued', async () => {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, ORIGINAL);
    await control('reset');
    await control('enqueue', {
      items: [
        { content: [{ type: 'text', text: 'Let me read it first.' }, { type: 'tool_use', name: 'read_file', input: { path: REL } }] },
        { content: [{ type: 'text', text: 'Now the two edits.' }, { type: 'tool_use', name: 'edit_file', input: { path: REL, edits: [{ old_text: FIRST[0], new_text: FIRST[1] }, { old_text: SECOND[0], new_text: SECOND[1] }] } }] },
        { text: `Review flow ${tag} finished.` },
      ],
    });
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
  }, { fatal: true });

  await check('the edit shows a review card with 2 hunks and nothing is written yet', async () => {
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(`Please change alpha3 and omega8 in ${REL} (${tag})`);
    await input.press('Enter');
    const card = cairn.locator('[data-testid=review-card]');
    await card.waitFor({ timeout: 45_000 });
    await waitFor(async () => (await card.locator('[data-testid=review-hunk]').count()) === 2, 10_000, '2 review hunks');
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(REL), `the card does not name ${REL}: ${text.slice(0, 200)}`);
    assert.equal(fs.readFileSync(FILE, 'utf8'), ORIGINAL, 'the file changed before the review was answered');
  }, { fatal: true });

  await check('"Open in diff editor" opens VS Code\'s diff editor', async () => {
    await cairn.locator('[data-testid=review-card] [data-testid=review-open-diff]').click();
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
    const tabs = await page.locator('.tabs-container .tab').allTextContents();
    assert.ok(tabs.some((t) => t.includes(path.basename(FILE))), `no editor tab for ${path.basename(FILE)}: ${JSON.stringify(tabs)}`);
  });

  await check('accept hunk 0, reject hunk 1, apply: the file has exactly the accepted change', async () => {
    const card = cairn.locator('[data-testid=review-card]');
    const hunk = (i) => card.locator(`[data-testid=review-hunk][data-index="${i}"]`);
    await hunk(0).locator('[data-testid=hunk-accept]').click();
    await hunk(1).locator('[data-testid=hunk-reject]').click();
    await waitFor(async () => (await hunk(1).getAttribute('data-accepted')) === 'false', 5_000, 'hunk 1 marked rejected');
    await page.screenshot({ path: shot('review-card.png') });
    await card.locator('[data-testid=review-apply]').click();
    // VS Code saves by truncating and rewriting: an empty read is a save in progress, not the result.
    await waitFor(() => { const t = fs.readFileSync(FILE, 'utf8'); return t !== ORIGINAL && t !== ''; }, 20_000, 'the file to change on disk');
    const now = fs.readFileSync(FILE, 'utf8');
    assert.equal(now, EXPECTED, `unexpected file content:\n${now}`);
    assert.ok(!now.includes(SECOND[1]), 'the rejected hunk was applied');
  });

  await check('the card leaves, the diff editor closes and the turn completes', async () => {
    await waitFor(async () => (await cairn.locator('[data-testid=review-card]').count()) === 0, 15_000, 'the review card to leave');
    await waitFor(async () => (await page.locator('.monaco-diff-editor').count()) === 0, 15_000, 'the diff editor to close');
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: `Review flow ${tag} finished.` }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shot('review-applied.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-20-edit-review-failure.png') }).catch(() => {});
  await close();
  fs.rmSync(FILE, { force: true });
  log(`flow 20-edit-review: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
