// Issue 10 in a real VS Code: a long scripted session reaches the autocompact mark (the emulator reports a nearly
// full context), Cairn compacts with a summary request, the conversation shows a divider whose summary folds out,
// the meter's compaction line names the strategy and the figures, the conversation goes on from the summary, and
// after a window reload the compacted session resumes: same divider, and the next request still starts from the
// summary. Screenshots in light and dark.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, log, openCairnChat, openFreshChat, runCommandAndPick, sendMessage, sleep, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const { check, write } = createChecks('flow 35-compaction');
const tag = Date.now().toString(36);
const SUMMARY = `Summary ${tag}: the user is tuning the parser; the tests pass.`;
const SUMMARY_MARK = 'The conversation is about to be compacted';

const { page, close } = await launch();
let cairn;

const messages = () => emu.messages();
const mainRequests = async () => (await messages()).filter((r) => !JSON.stringify(r.body).includes(SUMMARY_MARK));

try {
  await check('setup: the summary rule and a scripted session whose second reply reports a nearly full context', async () => {
    await emu.reset();
    // Rules, not the queue: the queue answers first, and the summary request must get the summary. The summary
    // request's last user message holds the instruction (appended to the third question), so its rule comes first.
    await emu.rules([
      { match: { lastUserText: SUMMARY_MARK }, reply: { text: `<analysis>notes</analysis><summary>${SUMMARY}</summary>` } },
      { match: { lastUserText: `first question ${tag}` }, reply: { text: `First answer (${tag}).` } },
      // The default model's window is 1M tokens; its autocompact mark is about 979K.
      { match: { lastUserText: `second question ${tag}` }, reply: { text: `Second answer (${tag}), after a lot of work.`, extra_input_tokens: 990_000 } },
      { match: { lastUserText: `third question ${tag}` }, reply: { text: `Third answer (${tag}), working from the summary.` } },
      { match: { lastUserText: `fourth question ${tag}` }, reply: { text: `Fourth answer (${tag}), after the reload.` } },
    ]);
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE);
  }, { fatal: true });

  await check('two turns fill the context; the third message compacts first, then is answered', async () => {
    for (const [i, text] of [`first question ${tag}`, `second question ${tag}`].entries()) {
      await sendMessage(cairn, text);
      await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `${['First', 'Second'][i]} answer (${tag})` }).waitFor({ timeout: 30_000 });
    }
    await sendMessage(cairn, `third question ${tag}`);
    await cairn.locator('[data-testid=compaction-divider]').waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Third answer (${tag})` }).waitFor({ timeout: 30_000 });
    const all = await messages();
    const summaryReq = all.findIndex((r) => JSON.stringify(r.body).includes(SUMMARY_MARK));
    assert.ok(summaryReq > 0, 'no summary request was sent');
    // The request after it starts from the summary; tools and system are byte-identical to the first request's.
    const next = all[summaryReq + 1].body;
    assert.ok(JSON.stringify(next.messages[0]).includes(SUMMARY), 'the next request does not start from the summary');
    assert.equal(JSON.stringify(next.tools), JSON.stringify(all[0].body.tools), 'the tools changed through the compaction');
    assert.equal(JSON.stringify(next.system), JSON.stringify(all[0].body.system), 'the system prompt changed through the compaction');
  }, { fatal: true });

  await check('the divider names the strategy and the figures, and its summary folds out; the whole conversation stays', async () => {
    const divider = cairn.locator('[data-testid=compaction-divider]').first();
    assert.equal(await divider.getAttribute('data-strategy'), 'autocompact');
    const figures = (await divider.locator('[data-testid=compaction-figures]').textContent()) ?? '';
    assert.match(figures, /→/, `figures: ${figures}`);
    await divider.locator('summary').click();
    await divider.locator('[data-testid=compaction-summary]', { hasText: SUMMARY }).waitFor({ timeout: 5_000 });
    for (const q of ['first', 'second', 'third']) await cairn.locator('[data-testid=message][data-role=user]', { hasText: `${q} question ${tag}` }).waitFor({ timeout: 5_000 });
  });

  await check('the meter\'s compaction line shows the last compaction', async () => {
    const line = cairn.locator('[data-testid=compaction-last]');
    await line.waitFor({ timeout: 10_000 });
    assert.match((await line.textContent()) ?? '', /compacted/i);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'compaction-light.png') });
    await runCommandAndPick(page, 'Preferences: Color Theme', 'Dark Modern', 'Dark Modern');
    await waitFor(async () => (await page.locator('.monaco-workbench.vs-dark').count()) > 0, 20_000, 'the dark theme');
    await sleep(500);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'compaction-dark.png') });
    await runCommandAndPick(page, 'Preferences: Color Theme', 'Light Modern', 'Light Modern');
  });

  await check('after a window reload the compacted session resumes and goes on from the summary', async () => {
    const before = (await mainRequests()).length;
    log('reloading the window');
    await page.reload();
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await cairn.locator('[data-testid=compaction-divider]').waitFor({ timeout: 30_000 });
    await cairn.locator('[data-testid=message][data-role=user]', { hasText: `first question ${tag}` }).waitFor({ timeout: 10_000 });
    await sendMessage(cairn, `fourth question ${tag}`);
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Fourth answer (${tag})` }).waitFor({ timeout: 30_000 });
    const after = await mainRequests();
    assert.equal(after.length, before + 1, 'the reload sent more than one request');
    const first = JSON.stringify(after.at(-1).body.messages[0]);
    assert.ok(first.includes(SUMMARY), 'after the reload the request does not start from the summary');
    assert.ok(!first.includes(`first question ${tag}`) || first.includes('<user-messages>'), 'the compacted messages came back verbatim');
  });
} finally {
  const s = write();
  console.log(`flow 35-compaction: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
