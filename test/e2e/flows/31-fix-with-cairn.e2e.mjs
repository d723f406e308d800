// Flow: "Fix with Cairn" from the editor (issue 5). A .ts file with a real type error is opened; once the
// TypeScript diagnostic shows, the cursor goes on the error, the quick fix menu (Ctrl+.) offers "Fix with Cairn",
// which starts a chat turn quoting the file and the diagnostic. The model (scripted beforehand through the
// emulator's control endpoint) reads the file and fixes the line; the review card is accepted and applied; the
// file on disk is fixed and the squiggle goes away.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorCall, flowEnv, launch, log, openFreshChat, sendMessage, waitFor } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const NAME = `fix-me-${tag}.ts`;
const REL = `src/${NAME}`;
const FILE = path.join(WORKSPACE, REL);
const BAD = "const n: number = 'x';";
const GOOD = 'const n: number = 21;';
const ORIGINAL = [
  `// fix with cairn target ${tag}`,
  'export function double(x: number): number {',
  '  return x * 2;',
  '}',
  '',
  BAD,
  'export const answer = double(n);',
  '',
].join('\n');
const EXPECTED = ORIGINAL.replace(BAD, GOOD);
const DIAGNOSTIC = "Type 'string' is not assignable to type 'number'.";
const FINAL = `Fixed the type error in ${NAME} (${tag}).`;
const UNRELATED = `Unrelated answer ${tag}.`;

/** The emulator's control endpoints (see test/emulator/README.md). */
const control = (route, body) => emulatorCall(EMULATOR_URL, route, body ?? {});

const { check, write } = createChecks('flow 31-fix-with-cairn');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;
const editor = () => page.locator('.part.editor .monaco-editor').filter({ has: page.locator('.view-lines', { hasText: `target ${tag}` }) }).first();

try {
  await check('setup: a .ts file with a type error; the model turns are queued', async () => {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, ORIGINAL);
    await control('reset');
    await control('enqueue', {
      items: [
        { text: UNRELATED },
        { content: [{ type: 'text', text: 'Let me look at the file.' }, { type: 'tool_use', name: 'read_file', input: { path: REL } }] },
        { content: [{ type: 'text', text: 'n must be a number.' }, { type: 'tool_use', name: 'edit_file', input: { path: REL, edits: [{ old_text: BAD, new_text: GOOD }] } }] },
        { text: FINAL },
      ],
    });
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
  }, { fatal: true });

  await check('an unrelated conversation is going on in the panel', async () => {
    await sendMessage(cairn, `something unrelated ${tag}`);
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: UNRELATED }).waitFor({ timeout: 30_000 });
  }, { fatal: true });

  await check('the file opens through quick open and TypeScript reports the type error', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } }).catch(() => {});
    await page.keyboard.press('Control+p');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(NAME);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: NAME }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    await editor().waitFor({ timeout: 20_000 });
    // tsserver starts on the first .ts file: allow it time.
    await editor().locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 90_000 });
    const problems = page.locator('.part.statusbar [id="status.problems"]');
    if (await problems.count()) log(`status bar problems: ${(await problems.textContent())?.trim()}`);
  }, { fatal: true });

  await check('Ctrl+. on the error offers "Fix with Cairn", which starts a turn quoting the file and the diagnostic', async () => {
    const squiggle = editor().locator('.squiggly-error').first();
    const box = await squiggle.boundingBox();
    assert.ok(box, 'the squiggle has no bounding box');
    await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
    await page.waitForTimeout(300);
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Fix with Cairn' }).first();
    let shown = false;
    for (let attempt = 0; attempt < 4 && !shown; attempt++) {
      await page.keyboard.press('Control+.');
      shown = await item.waitFor({ timeout: 8_000 }).then(() => true, () => false);
      if (!shown) { await page.keyboard.press('Escape'); await page.waitForTimeout(1000); }
    }
    assert.ok(shown, 'the quick fix menu did not offer "Fix with Cairn"');
    await page.screenshot({ path: shot('fix-with-cairn-menu.png') });
    await item.click();
    // The fix starts its own session: wait for its message (the unrelated one goes away with the old session).
    const user = cairn.locator('[data-testid=message][data-role=user]', { hasText: REL }).first();
    await user.waitFor({ timeout: 20_000 });
    const text = (await user.textContent()) ?? '';
    assert.ok(text.includes(REL), `the user message does not name ${REL}: ${text.slice(0, 400)}`);
    assert.ok(text.includes(DIAGNOSTIC), `the user message does not quote the diagnostic: ${text.slice(0, 600)}`);
    assert.ok(text.includes(BAD), `the user message does not quote the code: ${text.slice(0, 600)}`);
    // Its own session (the unrelated one stays in the history), and the quoted code as a code block, not fences.
    assert.equal(await cairn.locator('[data-testid=message][data-role=user]').count(), 1, 'the fix joined the unrelated session');
    assert.equal(await cairn.locator('[data-testid=message]', { hasText: UNRELATED }).count(), 0, 'the unrelated answer is still shown');
    assert.ok(!text.includes('```'), `the user message shows raw code fences: ${text.slice(0, 400)}`);
    assert.ok((await user.locator('pre', { hasText: BAD }).count()) > 0, 'the quoted code is not a code block');
    // A 7-line file (ending in a newline) is quoted as lines 3–7 around line 6: never past its last line.
    assert.ok(text.includes('lines 3–7'), `the quoted range is not lines 3–7: ${text.slice(0, 300)}`);
  }, { fatal: true });

  await check('the fix shows a review card; accept + apply fixes the file on disk', async () => {
    const card = cairn.locator('[data-testid=review-card]');
    await card.waitFor({ timeout: 45_000 });
    await waitFor(async () => (await card.locator('[data-testid=review-hunk]').count()) === 1, 10_000, '1 review hunk');
    assert.equal(fs.readFileSync(FILE, 'utf8'), ORIGINAL, 'the file changed before the review was answered');
    const hunk = card.locator('[data-testid=review-hunk][data-index="0"]');
    await hunk.locator('[data-testid=hunk-accept]').click();
    await page.screenshot({ path: shot('fix-with-cairn-review.png') });
    await card.locator('[data-testid=review-apply]').click();
    // VS Code saves by truncating and rewriting: an empty read is a save in progress, not the result.
    await waitFor(() => { const t = fs.readFileSync(FILE, 'utf8'); return t !== ORIGINAL && t !== ''; }, 20_000, 'the file to change on disk');
    assert.equal(fs.readFileSync(FILE, 'utf8'), EXPECTED);
  }, { fatal: true });

  await check('the turn completes and the type error is gone from the editor', async () => {
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: FINAL }).waitFor({ timeout: 30_000 });
    await waitFor(async () => (await editor().locator('.view-lines', { hasText: GOOD }).count()) > 0, 15_000, 'the editor to show the fix');
    await waitFor(async () => (await editor().locator('.squiggly-error').count()) === 0, 30_000, 'the squiggle to go away');
    await page.screenshot({ path: shot('fix-with-cairn.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-31-fix-with-cairn-failure.png') }).catch(() => {});
  await close();
  fs.rmSync(FILE, { force: true });
  log(`flow 31-fix-with-cairn: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
