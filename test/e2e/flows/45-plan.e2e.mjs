// Flow: a plan approved before anything changes (issue 13), in the real VS Code.
//
// Plan mode -> the model (scripted through the emulator) reads the files and proposes a three-step plan -> the
// plan card shows it and nothing changes -> in the panel the first step is reworded and the second deleted ->
// "Approve and review each edit" -> the model's next turn is answered by an emulator rule that only matches when
// the edited plan reached it (the reworded step present, the deleted one absent), so the edits follow the edited
// plan -> each edit waits in a review card (the mode is exactly "ask") -> steps are checked off in the task card
// and in the plan file -> the window is reloaded mid-way: the plan file, the task card's progress and the mode
// are still there, and the model is sent the approved plan again -> the last step is done and the plan records
// its outcome. Screenshots of the plan card in the light and the dark theme.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, log, openCairnChat, openFreshChat, runCommandAndPick, sendMessage, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const shot = (name) => path.join(RESULTS_DIR, name);

const tag = Date.now().toString(36);
const rel = (n) => `src/plan-${n}-${tag}.ts`;
const A = rel('a');
const B = rel('b');
const C = rel('c');
const abs = (r) => path.join(WORKSPACE, r);
const ORIGINAL = { [A]: "export const greeting = 'hi';\n", [B]: "export const farewell = 'bye';\n", [C]: 'export const version = 1;\n' };
const EDITED_WORD = `hello-edited-${tag}`;
const TITLE = `Constants ${tag}`;
const STEPS = [
  { text: `Change greeting in ${A}`, files: [A] },
  { text: `Change farewell in ${B}`, files: [B] },
  { text: `Bump version in ${C}`, files: [C] },
];
const EDITED_STEP = `Change greeting in ${A} to "${EDITED_WORD}"`;
const FINAL = `Plan ${tag} finished.`;
const EDITOR_NOTE = `Editor note ${tag}: keep the quotes single.`;
const OUTCOME = `greeting is ${EDITED_WORD} and version is 2 (${tag}).`;
const PLANS = path.join(WORKSPACE, '.agent', 'plans');
const WS_SETTINGS = path.join(WORKSPACE, '.vscode', 'settings.json');
let wsSettingsBefore = null;
const PLAN_FILE = path.join(PLANS, `constants-${tag}.md`);

const tool = (name, input) => ({ type: 'tool_use', name, input });
const read = (p) => fs.readFileSync(p, 'utf8');
/** The text of a request's last user message (text blocks and tool results), as the model reads it. */
const lastUserText = (req) => {
  const last = [...req.body.messages].reverse().find((m) => m.role === 'user');
  const parts = [];
  for (const b of Array.isArray(last?.content) ? last.content : [{ type: 'text', text: String(last?.content ?? '') }]) {
    if (b.type === 'text') parts.push(b.text);
    if (b.type === 'tool_result') parts.push(typeof b.content === 'string' ? b.content : (b.content ?? []).map((x) => x.text ?? '').join(''));
  }
  return parts.join('\n');
};
/** Every text the model is sent (system, messages, tool results), joined. */
const allText = (req) => {
  const parts = [];
  const walk = (v) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') { if (typeof v.text === 'string') parts.push(v.text); if (v.content !== undefined) walk(v.content); }
  };
  walk(req.body.system ?? '');
  walk(req.body.messages);
  return parts.join('\n');
};

/** Switch the workbench to a theme through the picker and wait until the workbench and the webview show it. */
async function setTheme(page, cairn, kind) {
  const dark = kind === 'dark';
  const label = dark ? 'Dark Modern' : 'Light Modern';
  const isDark = async () => (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
  if ((await isDark()) !== dark) await runCommandAndPick(page, 'Preferences: Color Theme', label, label);
  await waitFor(async () => (await isDark()) === dark, 60_000, `the workbench in the ${kind} theme`);
  await waitFor(async () => new RegExp(`vscode-${kind}`).test((await cairn.locator('body').getAttribute('class')) ?? ''), 60_000, `webview body.vscode-${kind}`);
}

/** Accept every hunk of the one review card and apply it; wait until `file` holds `expected`. */
async function applyReview(cairn, file, expected) {
  const card = cairn.locator('[data-testid=review-card]');
  await card.waitFor({ timeout: 60_000 });
  const text = (await card.textContent()) ?? '';
  assert.ok(text.includes(path.relative(WORKSPACE, file)), `the review card does not name ${file}: ${text.slice(0, 200)}`);
  const hunk = card.locator('[data-testid=review-hunk][data-index="0"]');
  await hunk.locator('[data-testid=hunk-accept]').click();
  await waitFor(async () => (await hunk.getAttribute('data-accepted')) === 'true', 30_000, 'the hunk marked accepted');
  await card.locator('[data-testid=review-apply]').click();
  // VS Code saves by truncating and rewriting: an empty read is a save in progress, not the result.
  await waitFor(() => read(file) === expected, 60_000, `${path.basename(file)} to hold the accepted edit`);
  await waitFor(async () => (await cairn.locator('[data-testid=review-card]').count()) === 0, 60_000, 'the review card to leave');
}

/** The todo card's items as [text, status] pairs. */
async function taskCard(cairn) {
  const items = cairn.locator('[data-testid=todo-card] [data-testid=todo-item]');
  const out = [];
  for (let i = 0; i < (await items.count()); i++) out.push([((await items.nth(i).locator('.todo-text').textContent()) ?? '').trim(), await items.nth(i).getAttribute('data-status')]);
  return out;
}

const { check, write } = createChecks('flow 45-plan');
const t0 = Date.now();
const { page, close } = await launch();
let cairn;
let startedDark = false;

try {
  await check('setup: three files; the research and proposal turns are queued', async () => {
    for (const [r, text] of Object.entries(ORIGINAL)) { fs.mkdirSync(path.dirname(abs(r)), { recursive: true }); fs.writeFileSync(abs(r), text); }
    fs.rmSync(PLAN_FILE, { force: true });
    // Auto save off in this workspace (restored at the end): the editor's edit stays unsaved until the approval.
    fs.mkdirSync(path.dirname(WS_SETTINGS), { recursive: true });
    wsSettingsBefore = fs.existsSync(WS_SETTINGS) ? read(WS_SETTINGS) : null;
    fs.writeFileSync(WS_SETTINGS, JSON.stringify({ ...(wsSettingsBefore ? JSON.parse(wsSettingsBefore) : {}), 'files.autoSave': 'off' }, null, 2));
    await emu.reset();
    await emu.enqueue([
      { content: [{ type: 'text', text: 'Let me read the three files first.' }, tool('read_file', { path: A }), tool('read_file', { path: B }), tool('read_file', { path: C })] },
      { content: [{ type: 'text', text: 'Here is my plan.' }, tool('propose_plan', {
        title: TITLE,
        summary: `Change the three constants (${tag}).`,
        steps: STEPS,
        risks: ['Other modules may import these constants.'],
        verification: 'Read each file back.',
      })] },
    ]);
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, plan mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, {
      mode: 'plan',
      beforeChat: async () => { startedDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0; },
    });
    await waitFor(async () => (await cairn.locator('[data-testid=mode-picker]').inputValue()) === 'plan', 60_000, 'the mode picker to show plan (the host confirms the mode)');
  }, { fatal: true });

  await check('the model proposes a plan: the card shows it, the file is written, nothing else changes', async () => {
    await sendMessage(cairn, `Plan how to change the three constants (${tag})`);
    const card = cairn.locator('[data-testid=plan-card]');
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.locator('[data-testid=plan-title]').textContent(), TITLE);
    await waitFor(async () => (await card.locator('[data-testid=plan-step]').count()) === 3, 30_000, 'three steps on the plan card');
    const texts = await card.locator('[data-testid=plan-step-text]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(texts, STEPS.map((s) => s.text));
    await waitFor(() => fs.existsSync(PLAN_FILE), 30_000, `${PLAN_FILE} to be written`);
    const file = read(PLAN_FILE);
    assert.match(file, /^status: open$/m);
    assert.ok(file.includes(`- [ ] ${STEPS[1].text}`), `the plan file lacks step 2:\n${file}`);
    for (const [r, text] of Object.entries(ORIGINAL)) assert.equal(read(abs(r)), text, `${r} changed before the plan was approved`);
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: 'Here is my plan.' }).waitFor({ timeout: 30_000 });
  }, { fatal: true });

  await check('screenshots of the plan card in the light and the dark theme', async () => {
    const card = cairn.locator('[data-testid=plan-card]');
    for (const kind of startedDark ? ['dark', 'light'] : ['light', 'dark']) {
      await setTheme(page, cairn, kind);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`plan-card-${kind}.png`) });
    }
    if (!startedDark) await setTheme(page, cairn, 'light');
  });

  await check('"Open in editor" opens the plan file; a note typed there (unsaved) is part of what gets approved', async () => {
    await cairn.locator('[data-testid=plan-card] [data-testid=plan-open-file]').click();
    const tab = page.locator('.tabs-container .tab', { hasText: path.basename(PLAN_FILE) });
    await tab.waitFor({ timeout: 60_000 });
    const editor = page.locator('.editor-group-container .monaco-editor').first();
    await editor.waitFor({ timeout: 60_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`## Notes`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type(EDITOR_NOTE);
    await waitFor(async () => ((await tab.getAttribute('class')) ?? '').includes('dirty'), 30_000, 'the plan editor to have unsaved edits');
    assert.ok(!read(PLAN_FILE).includes(EDITOR_NOTE), 'the note was saved before the approval');
    cairn = await openCairnChat(page);
  }, { fatal: true });

  await check('in the panel: step 1 is reworded and step 2 deleted; then "Approve and review each edit"', async () => {
    const card = cairn.locator('[data-testid=plan-card]');
    const first = card.locator('[data-testid=plan-step-text]').first();
    await first.fill(EDITED_STEP);
    await card.locator('[data-testid=plan-step]').nth(1).locator('[data-testid=plan-step-delete]').click();
    await waitFor(async () => (await card.locator('[data-testid=plan-step]').count()) === 2, 30_000, 'two steps left on the card');
    // The model's next turn: only when the plan it is sent is the edited one (reworded step in, deleted step out).
    const notDeleted = `(?![\\s\\S]*${STEPS[1].text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`;
    await emu.rules([{
      match: { lastUserRegex: `^${notDeleted}[\\s\\S]*${EDITED_WORD}` },
      times: 1,
      reply: { content: [{ type: 'text', text: 'Starting with step 1 of the approved plan.' }, tool('update_plan_step', { step: 1, state: 'in_progress' }), tool('edit_file', { path: A, edits: [{ old_text: "'hi'", new_text: `'${EDITED_WORD}'` }] })] },
    }]);
    await card.locator('[data-testid=plan-approve-review]').click();
    await waitFor(async () => (await cairn.locator('[data-testid=plan-card]').count()) === 0, 60_000, 'the plan card to leave');
  }, { fatal: true });

  await check('the approved plan file holds the edits; the mode is exactly "ask"; the model was sent the edited plan', async () => {
    await waitFor(() => /^status: approved$/m.test(read(PLAN_FILE)), 30_000, 'the plan file to be approved');
    const file = read(PLAN_FILE);
    assert.match(file, /^mode: ask$/m);
    assert.ok(file.includes(`- [ ] ${EDITED_STEP}`) || file.includes(`- [~] ${EDITED_STEP}`), `the edited step is not in the file:\n${file}`);
    assert.ok(!file.includes(STEPS[1].text), `the deleted step is still in the file:\n${file}`);
    assert.ok(file.includes(`## Notes\n\n${EDITOR_NOTE}`), `the editor's unsaved note was not saved into the plan at approval:\n${file}`);
    await waitFor(async () => (await cairn.locator('[data-testid=mode-picker]').inputValue()) === 'ask', 30_000, 'the mode picker to show ask');
    // The file is written as the approval is taken; the request that carries it follows.
    const approval = await waitFor(async () => (await emu.messages()).find((r) => lastUserText(r).includes('Approved the plan')), 30_000, 'a request that carries the approval');
    const sent = lastUserText(approval);
    assert.ok(sent.includes(EDITED_STEP), 'the model was not sent the edited step');
    assert.ok(!sent.includes(STEPS[1].text), 'the model was sent the deleted step');
    assert.ok(sent.includes(EDITOR_NOTE), 'the model was not sent the note typed in the editor');
    assert.equal(approval.source, 'rule', 'the edited plan did not trigger the scripted execution');
  }, { fatal: true });

  await check('step 1: its edit waits for review and is applied; it is checked off', async () => {
    // After the review, the model marks step 1 done and stops for now (a reply the test can wait for).
    await emu.enqueue([
      { content: [{ type: 'text', text: 'Step 1 is applied.' }, tool('update_plan_step', { step: 1, state: 'done' })] },
      { text: `Step 1 of plan ${tag} is done; step 2 is next.` },
    ]);
    assert.equal(read(abs(A)), ORIGINAL[A], 'the edit ran before its review');
    await applyReview(cairn, abs(A), `export const greeting = '${EDITED_WORD}';\n`);
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Step 1 of plan ${tag} is done` }).waitFor({ timeout: 60_000 });
    await waitFor(() => read(PLAN_FILE).includes(`- [x] ${EDITED_STEP}`), 30_000, 'step 1 checked off in the plan file');
    await waitFor(async () => JSON.stringify((await taskCard(cairn)).map((x) => x[1])) === JSON.stringify(['completed', 'pending']), 30_000, 'the task card to show step 1 done, step 2 to do');
    assert.equal(read(abs(B)), ORIGINAL[B], 'the deleted step was executed');
    await page.screenshot({ path: shot('plan-progress.png') });
  }, { fatal: true });

  await check('a reload mid-way keeps the plan, its progress and the mode', async () => {
    log('reloading the window mid-plan');
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: tag }).first().waitFor({ timeout: 60_000 });
    await waitFor(async () => JSON.stringify(await taskCard(cairn)) === JSON.stringify([[EDITED_STEP, 'completed'], [STEPS[2].text, 'pending']]), 60_000, 'the task card with the plan progress after the reload');
    assert.equal(await cairn.locator('[data-testid=mode-picker]').inputValue(), 'ask');
    const file = read(PLAN_FILE);
    assert.match(file, /^status: approved$/m);
    assert.ok(file.includes(`- [x] ${EDITED_STEP}`) && file.includes(`- [ ] ${STEPS[2].text}`), `plan file after reload:\n${file}`);
    await page.screenshot({ path: shot('plan-after-reload.png') });
  }, { fatal: true });

  await check('after the reload: the model is sent the approved plan again and finishes it; the outcome is recorded', async () => {
    await emu.enqueue([
      { content: [{ type: 'text', text: 'On to step 2.' }, tool('update_plan_step', { step: 2, state: 'in_progress' }), tool('read_file', { path: C })] },
      { content: [tool('edit_file', { path: C, edits: [{ old_text: 'version = 1', new_text: 'version = 2' }] })] },
      { content: [tool('update_plan_step', { step: 2, state: 'done', outcome: OUTCOME })] },
      { text: FINAL },
    ]);
    const before = (await emu.messages()).length;
    await sendMessage(cairn, `Go on with the plan (${tag})`);
    await waitFor(async () => (await emu.messages()).length > before, 60_000, 'the request after the reload');
    const req = (await emu.messages())[before];
    const sent = allText(req);
    assert.ok(sent.includes(EDITED_STEP) && sent.includes(`.agent/plans/constants-${tag}.md`), 'the request after the reload does not carry the approved plan');
    await applyReview(cairn, abs(C), 'export const version = 2;\n');
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: FINAL }).waitFor({ timeout: 60_000 });
    await waitFor(() => /^status: done$/m.test(read(PLAN_FILE)), 30_000, 'the plan file to be done');
    const file = read(PLAN_FILE);
    assert.ok(file.includes(`- [x] ${STEPS[2].text}`), `step 2 not checked off:\n${file}`);
    assert.ok(file.includes(`## Outcome\n\n${OUTCOME}`), `the outcome is not recorded:\n${file}`);
    await waitFor(async () => JSON.stringify((await taskCard(cairn)).map((x) => x[1])) === JSON.stringify(['completed', 'completed']), 30_000, 'the task card to show both steps done');
    assert.equal(read(abs(B)), ORIGINAL[B], 'the deleted step was executed');
    await page.screenshot({ path: shot('plan-done.png') });
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-45-plan-failure.png') }).catch(() => {});
  await close();
  for (const r of [A, B, C]) fs.rmSync(abs(r), { force: true });
  fs.rmSync(PLAN_FILE, { force: true });
  if (wsSettingsBefore === null) fs.rmSync(WS_SETTINGS, { force: true }); else fs.writeFileSync(WS_SETTINGS, wsSettingsBefore);
  log(`flow 45-plan: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
