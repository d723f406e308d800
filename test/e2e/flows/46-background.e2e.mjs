// Flow: the background in a real VS Code (issue 15).
// Proactive: short tick and idle settings; proactive mode turned on with the panel's toggle; a failing test is
// planted in the workspace; once the user is idle a tick runs (its model answers scripted through the emulator):
// it runs `npm test` for real (the allow-listed command), sees the planted failure, and raises a notice that
// appears in the panel's feed with why now and what it looked at; "Fix with Cairn" starts it as a normal chat task.
// Dream: two duplicate memories are seeded; "Dream now" in the memory view runs a dream (scripted) that merges them;
// the memory view shows each change with its reason and the diff; one click on Undo puts every memory file back.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, USER_SETTINGS, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, openFreshChat, readJson, waitFor, writeJson } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, USER_SETTINGS, RESULTS_DIR } = flowEnv(import.meta.url);
const shot = (name) => path.join(RESULTS_DIR, name);
const emu = emulatorControl(EMULATOR_URL);

const tag = Date.now().toString(36);
const PLANTED_TEST = `test/planted-${tag}.test.js`;
const PLANTED_NAME = `planted total ${tag}`;
const TITLE = `A test fails: ${PLANTED_NAME}`;
const WHY = `npm test fails in ${PLANTED_TEST} (${tag}) since the last check`;
const FIX = `Fix the failing test "${PLANTED_NAME}" in ${PLANTED_TEST}.`;
const FIX_ANSWER = `Looking at the failing test (${tag}).`;
const AGENT = path.join(WORKSPACE, '.agent');
// Short slugs and titles: an index line is at most 54 bytes.
const short = tag.slice(-5);
const KEEP = `bld-${short}`;
const DUP = `bld2-${short}`;
const MERGED = `Build with \`npm run build\` and test with \`npm test\` (${tag}).`;

/** Every memory file (MEMORY.md and memory/*.md) by path: what undo must restore exactly. */
function memoryFiles() {
  const out = {};
  const index = path.join(AGENT, 'MEMORY.md');
  if (fs.existsSync(index)) out['MEMORY.md'] = fs.readFileSync(index, 'utf8');
  const dir = path.join(AGENT, 'memory');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) if (f.endsWith('.md')) out[`memory/${f}`] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

function topic(slug, name, body) {
  return ['---', `name: ${name}`, `description: ${name}`, 'type: project', 'updated: 2026-11-20T10:00:00.000Z', 'source: user', '---', '', body, ''].join('\n');
}

const originalSettings = fs.readFileSync(USER_SETTINGS, 'utf8');
const { check, write } = createChecks('flow 46-background');
const { page, close } = await launch();
let cairn;

try {
  await check('setup: short tick and idle settings, no automatic dream, a planted failing test, the tick\'s model turns queued', async () => {
    // The automatic dream stays closed (minHours is a year, counted from the first session while none has run,
    // though earlier flows made more than five sessions): only "Dream now" dreams in this flow.
    writeJson(USER_SETTINGS, { ...readJson(USER_SETTINGS), 'cairn.proactive.tickMinutes': 0.1, 'cairn.background.idleMinutes': 0.1, 'cairn.dream.minHours': 8760 });
    fs.writeFileSync(path.join(WORKSPACE, PLANTED_TEST), [
      "import assert from 'node:assert/strict';",
      "import { test } from 'node:test';",
      "import { total } from '../src/cart.js';",
      '',
      `test('${PLANTED_NAME}', () => {`,
      '  assert.equal(total([{ priceCents: 100, quantity: 2 }]), 201);',
      '});',
      '',
    ].join('\n'));
    await emu.reset();
    await emu.enqueue([
      { content: [{ type: 'text', text: 'Running the tests.' }, { type: 'tool_use', name: 'run_command', input: { command: 'npm test' } }] },
      { content: [{ type: 'tool_use', name: 'notify', input: { title: TITLE, why_now: WHY, looked_at: ['npm test output', 'git status'], urgency: 'normal', suggested_fix: FIX } }] },
    ]);
  }, { fatal: true });

  await check('workbench + Cairn chat open; the bell opens proactive mode, off', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
    await cairn.locator('[data-testid=background-button]').click();
    await cairn.locator('[data-testid=background-panel]').waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=proactive-state]', { hasText: 'off' }).waitFor({ timeout: 30_000 });
  }, { fatal: true });

  await check('the toggle turns proactive mode on: watching, with the short interval from the settings', async () => {
    await cairn.locator('[data-testid=proactive-switch]').click();
    await cairn.locator('[data-testid=proactive-state]', { hasText: 'watching' }).waitFor({ timeout: 30_000 });
    await waitFor(async () => (await cairn.locator('[data-testid=proactive-detail]').textContent())?.includes('every 0.1 min'), 30_000, 'the detail to name the 0.1 min interval');
    await waitFor(() => readJson(USER_SETTINGS)['cairn.proactive.enabled'] === true, 30_000, 'cairn.proactive.enabled written to the user settings');
    await page.screenshot({ path: shot('background-watching.png') });
  }, { fatal: true });

  await check('once the user is idle, a tick runs `npm test` for real and raises a notice that appears in the feed', async () => {
    const notice = cairn.locator('[data-testid=feed-notice]', { hasText: TITLE });
    await notice.waitFor({ timeout: 120_000 });
    assert.equal(await notice.locator('[data-testid=feed-notice-why]').textContent(), `Why now: ${WHY}`);
    assert.equal(await notice.locator('[data-testid=feed-notice-looked]').textContent(), 'Looked at: npm test output, git status');
    assert.equal(await cairn.locator('[data-testid=feed-notice]').count(), 1, 'one notice in the feed');
    // The tick's second request carried the real test output: the planted test failed.
    const reqs = await emu.messages();
    const results = reqs.flatMap((r) => r.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []))).filter((b) => b.type === 'tool_result');
    const output = results.map((b) => (typeof b.content === 'string' ? b.content : JSON.stringify(b.content))).join('\n');
    assert.ok(output.includes(PLANTED_NAME), `the npm test output the tick saw lacks the planted test: ${output.slice(0, 600)}`);
    const tick = reqs.filter((r) => JSON.stringify(r.body.system ?? '').includes('proactive background agent'));
    assert.ok(tick.length >= 2, 'the tick made two requests (run the tests, then notify)');
    assert.match(tick[0].body.model, /haiku/, 'a tick runs on the small model');
    // The daily log has the tick's line with its decision.
    const day = new Date().toISOString().slice(0, 10).split('-');
    const logFile = path.join(AGENT, 'logs', day[0], day[1], `${day[2]}.md`);
    await waitFor(() => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes(`notice "${TITLE}"`), 30_000, `the tick's line in ${logFile}`);
    await page.screenshot({ path: shot('background-notice.png') });
  }, { fatal: true });

  await check('the toggle turns proactive mode off again', async () => {
    await cairn.locator('[data-testid=proactive-switch]').click();
    await cairn.locator('[data-testid=proactive-state]', { hasText: 'off' }).waitFor({ timeout: 30_000 });
    await waitFor(() => readJson(USER_SETTINGS)['cairn.proactive.enabled'] === false, 30_000, 'cairn.proactive.enabled false in the user settings');
  }, { fatal: true });

  await check('"Fix with Cairn" on the notice starts a normal chat task with the suggested fix', async () => {
    await emu.enqueue([{ text: FIX_ANSWER }]);
    await cairn.locator('[data-testid=feed-notice]', { hasText: TITLE }).locator('[data-testid=feed-notice-fix]').click();
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: FIX }).waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: FIX_ANSWER }).waitFor({ timeout: 60_000 });
  }, { fatal: true });

  let before;
  await check('setup: two duplicate memories seeded; the dream\'s model turns queued', async () => {
    fs.mkdirSync(path.join(AGENT, 'memory'), { recursive: true });
    fs.writeFileSync(path.join(AGENT, 'memory', `${KEEP}.md`), topic(KEEP, 'build', `Build with \`npm run build\` (${tag}).`));
    fs.writeFileSync(path.join(AGENT, 'memory', `${DUP}.md`), topic(DUP, 'build 2', `Test with \`npm test\` (${tag}).`));
    const index = fs.existsSync(path.join(AGENT, 'MEMORY.md')) ? fs.readFileSync(path.join(AGENT, 'MEMORY.md'), 'utf8') : '# Memory\n\n';
    fs.writeFileSync(path.join(AGENT, 'MEMORY.md'), `${index.replace(/\n*$/, '\n')}- [build](memory/${KEEP}.md): build\n- [build 2](memory/${DUP}.md): test\n`);
    before = memoryFiles();
    await emu.enqueue([
      { content: [{ type: 'tool_use', name: 'dream_write', input: { slug: KEEP, name: 'build', description: 'How to build and test', type: 'project', hook: 'build, test', content: MERGED, why: `merged the duplicate ${DUP}` } }] },
      { content: [{ type: 'tool_use', name: 'dream_delete', input: { slug: DUP, why: `duplicate of ${KEEP} (merged there)` } }] },
      { text: `Merged ${DUP} into ${KEEP}.` },
    ]);
  }, { fatal: true });

  await check('"Dream now" in the memory view shows what changed, why, and the diff', async () => {
    await cairn.locator('[data-testid=memory-button]').click();
    await cairn.locator('[data-testid=memory-view] [data-testid=dream-section]').waitFor({ timeout: 30_000 });
    await cairn.locator(`[data-testid=memory-topic][data-slug="${DUP}"]`).waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=dream-now]').click();
    await cairn.locator('[data-testid=dream-change][data-op=delete]', { hasText: DUP }).waitFor({ timeout: 90_000 });
    const changes = await cairn.locator('[data-testid=dream-change]').allTextContents();
    assert.deepEqual(changes, [`rewrote ${KEEP} — merged the duplicate ${DUP}`, `deleted ${DUP} — duplicate of ${KEEP} (merged there)`]);
    assert.equal(await cairn.locator('[data-testid=dream-status]').textContent(), 'done');
    const removed = cairn.locator(`[data-testid=dream-file][data-path="memory/${DUP}.md"]`);
    assert.equal(await removed.getAttribute('data-status'), 'removed');
    assert.ok((await removed.locator('[data-testid=diff-del]').allTextContents()).some((t) => t.includes(`Test with \`npm test\` (${tag}).`)), 'the removed file\'s lines show as deleted');
    const changed = cairn.locator(`[data-testid=dream-file][data-path="memory/${KEEP}.md"]`);
    assert.ok((await changed.locator('[data-testid=diff-add]').allTextContents()).some((t) => t.includes(MERGED)), 'the merged text shows as added');
    assert.equal(await cairn.locator('[data-testid=dream-file][data-path="MEMORY.md"]').getAttribute('data-status'), 'changed');
    // On disk: merged, the duplicate gone, its index line gone.
    assert.ok(!fs.existsSync(path.join(AGENT, 'memory', `${DUP}.md`)), 'the duplicate topic file is gone');
    assert.ok(fs.readFileSync(path.join(AGENT, 'memory', `${KEEP}.md`), 'utf8').includes(MERGED));
    assert.ok(!fs.readFileSync(path.join(AGENT, 'MEMORY.md'), 'utf8').includes(`memory/${DUP}.md`));
    await cairn.locator(`[data-testid=memory-topic][data-slug="${DUP}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    await page.screenshot({ path: shot('background-dream-diff.png') });
  }, { fatal: true });

  await check('one click on Undo restores every memory file exactly', async () => {
    await cairn.locator('[data-testid=dream-undo]').click();
    await cairn.locator('[data-testid=dream-status]', { hasText: 'undone' }).waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=dream-note]', { hasText: 'Dream undone: 3 files restored.' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(memoryFiles(), before);
    assert.equal(await cairn.locator('[data-testid=dream-undo]').count(), 0, 'an undone dream offers no second undo');
    // The memory view reloaded: the duplicate is listed again.
    await cairn.locator(`[data-testid=memory-topic][data-slug="${DUP}"]`).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shot('background-dream-undone.png') });
  });
} finally {
  try { await page.screenshot({ path: shot('background-final.png') }); } catch { /* the page may be gone */ }
  // Later flows get the settings and the workspace as they were.
  fs.writeFileSync(USER_SETTINGS, originalSettings);
  fs.rmSync(path.join(WORKSPACE, PLANTED_TEST), { force: true });
  const s = write();
  console.log(`background: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
