// Flow: a full task in a real VS Code (issues 5 and 6). One user message; the model (scripted through the
// emulator's control endpoint) reads a file, edits it (ask mode: a review card; the user accepts the hunk and
// applies), runs a command that needs approval (the user approves) and ends with a text reply. The file on
// disk has exactly the accepted change and the command's side effect exists. Screenshots in light and dark.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorCall, flowEnv, launch, log, openFreshChat, runCommandAndPick, sleep, waitFor } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const REL = `src/full-task-${tag}.ts`;
const FILE = path.join(WORKSPACE, REL);
const ORIGINAL = [
  `// full task target ${tag}`,
  'export function total(prices: number[]): number {',
  '  let sum = 0;',
  '  for (const p of prices) sum += p;',
  '  return sum;',
  '}',
  '',
  'export const CURRENCY = "EUR";',
  '',
].join('\n');
const OLD = '  return sum;';
const NEW = '  return Math.round(sum * 100) / 100;';
const EXPECTED = ORIGINAL.replace(OLD, NEW);
const MARKER = `full-task-done-${tag}.txt`;
const MARKER_PATH = path.join(WORKSPACE, MARKER);
const COMMAND = `touch ${MARKER}`;
const FINAL = `Full task ${tag} finished: total() now rounds to cents.`;

/** The emulator's control endpoints (see test/emulator/README.md). */
const control = (route, body) => emulatorCall(EMULATOR_URL, route, body ?? {});

/** Switch the workbench to a theme through the picker and wait until the workbench and the webview show it. */
async function setTheme(page, cairn, kind) {
  const dark = kind === 'dark';
  const label = dark ? 'Dark Modern' : 'Light Modern';
  const isDark = async () => (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
  if ((await isDark()) !== dark) await runCommandAndPick(page, 'Preferences: Color Theme', label, label);
  await waitFor(async () => (await isDark()) === dark, 20_000, `the workbench in the ${kind} theme`);
  await waitFor(async () => new RegExp(`vscode-${kind}`).test((await cairn.locator('body').getAttribute('class')) ?? ''), 10_000, `webview body.vscode-${kind}`);
  await sleep(500);
}

const { check, write } = createChecks('flow 30-full-task');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;
let startedDark = false;

try {
  await check('setup: a workspace file; read, edit, command and final turns are queued', async () => {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, ORIGINAL);
    fs.rmSync(MARKER_PATH, { force: true });
    await control('reset');
    await control('enqueue', {
      items: [
        { content: [{ type: 'text', text: 'Let me read the file first.' }, { type: 'tool_use', name: 'read_file', input: { path: REL } }] },
        { content: [{ type: 'text', text: 'I will round the total to cents.' }, { type: 'tool_use', name: 'edit_file', input: { path: REL, edits: [{ old_text: OLD, new_text: NEW }] } }] },
        { content: [{ type: 'text', text: 'Now I record that the task is done.' }, { type: 'tool_use', name: 'run_command', input: { command: COMMAND } }] },
        { text: FINAL },
      ],
    });
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, {
      mode: 'ask',
      beforeChat: async () => { startedDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0; },
    });
  }, { fatal: true });

  await check('the message starts the task; read_file runs and the edit waits in a review card', async () => {
    const input = cairn.locator('[data-testid=composer-input]');
    await input.click();
    await input.fill(`Make total() in ${REL} round to cents, then mark the task done (${tag})`);
    await input.press('Enter');
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: tag }).waitFor({ timeout: 15_000 });
    const card = cairn.locator('[data-testid=review-card]');
    await card.waitFor({ timeout: 45_000 });
    await waitFor(async () => (await card.locator('[data-testid=review-hunk]').count()) === 1, 10_000, '1 review hunk');
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(REL), `the card does not name ${REL}: ${text.slice(0, 200)}`);
    assert.ok(text.includes('Math.round(sum * 100)'), `the hunk does not show the new line: ${text.slice(0, 400)}`);
    const read = cairn.locator('[data-testid=tool-card]').first();
    assert.equal(await read.getAttribute('data-status'), 'done', 'read_file is not done');
    assert.equal(fs.readFileSync(FILE, 'utf8'), ORIGINAL, 'the file changed before the review was answered');
    assert.equal(fs.existsSync(MARKER_PATH), false, 'the command ran before the edit was reviewed');
  }, { fatal: true });

  await check('accept the hunk and apply: the file on disk has exactly the accepted change', async () => {
    const card = cairn.locator('[data-testid=review-card]');
    const hunk = card.locator('[data-testid=review-hunk][data-index="0"]');
    await hunk.locator('[data-testid=hunk-accept]').click();
    await waitFor(async () => (await hunk.getAttribute('data-accepted')) === 'true', 5_000, 'hunk 0 marked accepted');
    await card.locator('[data-testid=review-apply]').click();
    // VS Code saves by truncating and rewriting: an empty read is a save in progress, not the result.
    await waitFor(() => { const t = fs.readFileSync(FILE, 'utf8'); return t !== ORIGINAL && t !== ''; }, 20_000, 'the file to change on disk');
    assert.equal(fs.readFileSync(FILE, 'utf8'), EXPECTED);
    await waitFor(async () => (await cairn.locator('[data-testid=review-card]').count()) === 0, 15_000, 'the review card to leave');
  }, { fatal: true });

  await check('the command waits for approval; approving runs it (its side effect appears)', async () => {
    const approval = cairn.locator('[data-testid=approval]');
    await approval.waitFor({ timeout: 30_000 });
    const text = (await approval.textContent()) ?? '';
    assert.ok(text.includes(MARKER), `the approval card does not show the command: ${text.slice(0, 300)}`);
    await page.waitForTimeout(1500);
    assert.equal(fs.existsSync(MARKER_PATH), false, 'the command ran before it was approved');
    await approval.locator('[data-testid=approve-button]').click();
    await waitFor(() => fs.existsSync(MARKER_PATH), 20_000, `${MARKER} to be created`);
    await waitFor(async () => (await cairn.locator('[data-testid=approval]').count()) === 0, 15_000, 'the approval card to leave');
  }, { fatal: true });

  await check('the turn completes with the final reply; every tool card is done; the file is unchanged since', async () => {
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: FINAL }).waitFor({ timeout: 30_000 });
    const cards = cairn.locator('[data-testid=tool-card]');
    await waitFor(async () => (await cards.count()) === 3, 10_000, '3 tool cards');
    for (let i = 0; i < 3; i++) assert.equal(await cards.nth(i).getAttribute('data-status'), 'done', `tool card ${i}`);
    assert.equal(fs.readFileSync(FILE, 'utf8'), EXPECTED);
    const { requests } = await (await fetch(`${EMULATOR_URL}/_emulator/requests`)).json();
    const calls = requests.filter((r) => r.path === '/v1/messages');
    assert.equal(calls.length, 4, `expected 4 model requests (one per scripted turn), got ${calls.length}`);
    const last = calls.at(-1).body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const results = last.filter((b) => b.type === 'tool_result');
    assert.equal(results.length, 3, 'three tool results went back to the model');
    assert.ok(results.every((r) => !r.is_error), `a tool failed: ${JSON.stringify(results.filter((r) => r.is_error)).slice(0, 400)}`);
  });

  await check('screenshots: full-task-light.png and full-task-dark.png', async () => {
    await setTheme(page, cairn, 'light');
    await page.screenshot({ path: shot('full-task-light.png') });
    await setTheme(page, cairn, 'dark');
    await page.screenshot({ path: shot('full-task-dark.png') });
    log('saved full-task-light.png, full-task-dark.png');
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-30-full-task-failure.png') }).catch(() => {});
  // Leave the theme as we found it (later flows and screenshots expect the profile's theme).
  if (cairn && !startedDark) await setTheme(page, cairn, 'light').catch(() => {});
  await close();
  fs.rmSync(FILE, { force: true });
  fs.rmSync(MARKER_PATH, { force: true });
  log(`flow 30-full-task: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
