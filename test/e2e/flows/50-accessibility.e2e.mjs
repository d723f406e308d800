// Accessibility of the chat panel in the real VS Code: axe-core runs inside Cairn's webview frame with a
// conversation, tool cards and a pending approval on screen, in the dark and the light theme. Serious or
// critical violations fail the flow; lesser ones are printed.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
/* global document */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createChecks, emulatorControl, flowEnv, launch, log, openFreshChat, runCommandAndPick, sendMessage, waitFor } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const emu = emulatorControl(EMULATOR_URL);
const { check, write } = createChecks('accessibility');
const { page, close } = await launch();
const tag = Date.now().toString(36);
const MARKER = `a11y-marker-${tag}.txt`;

/** Run axe in the frame (DevTools evaluation is not subject to the page's CSP) and return its violations. */
async function audit(frame) {
  if (!(await frame.evaluate(() => typeof globalThis.axe === 'object'))) await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

function judge(violations, theme) {
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations) log(`${theme}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(' | ')})`);
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.join(' | ')}`), [], `serious or critical accessibility violations in the ${theme} theme`);
}

let cairn;
try {
  await check('a conversation with tool cards and a pending approval is on screen', async () => {
    fs.writeFileSync(path.join(WORKSPACE, `a11y-${tag}.md`), '# notes\n');
    await emu.enqueue([
      { content: [{ type: 'text', text: 'Reading the notes, then **one** command:\n\n```ts\nconst a = 1;\n```' }, { type: 'tool_use', name: 'read_file', input: { path: `a11y-${tag}.md` } }] },
      { content: [{ type: 'tool_use', name: 'run_command', input: { command: `touch ${MARKER}` } }] },
      { text: 'Done.' },
    ]);
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
    await sendMessage(cairn, `Check the notes (${tag})`);
    await cairn.locator('[data-testid=approval]').first().waitFor({ timeout: 30_000 });
  }, { fatal: true });

  await check('no serious or critical axe violations in the dark theme', async () => {
    judge(await audit(cairn), 'dark');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'a11y-dark.png') });
  });

  await check('no serious or critical axe violations in the light theme', async () => {
    // Leave the composer first: Escape there stops a running turn, and the palette helper presses Escape.
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
    await runCommandAndPick(page, 'Preferences: Color Theme', 'Light Modern', /Light Modern/);
    await waitFor(async () => (await page.locator('.monaco-workbench.vs').count()) > 0, 15_000, 'the light theme');
    judge(await audit(cairn), 'light');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'a11y-light.png') });
  });

  await check('the approval can be answered from the keyboard alone', async () => {
    // Put keyboard focus in the panel the way a user does (VS Code routes keys to the focused webview), then
    // only the keyboard: focus the Approve button and press Enter.
    await cairn.locator('[data-testid=approval]').first().click({ position: { x: 4, y: 4 } });
    const approve = cairn.locator('[data-testid=approval] [data-testid=approve-button]').first();
    await approve.focus();
    assert.ok(await cairn.evaluate(() => document.hasFocus()), 'the webview does not have keyboard focus');
    await page.keyboard.press('Enter');
    await waitFor(() => fs.existsSync(path.join(WORKSPACE, MARKER)), 20_000, 'the approved command to run');
  });
} finally {
  await runCommandAndPick(page, 'Preferences: Color Theme', 'Dark Modern', /Dark Modern/).catch(() => {});
  const s = write();
  console.log(`accessibility: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
