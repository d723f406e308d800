// Issue 6 in a real VS Code: a fact the agent stores in one session is found through the index and read back in
// a new session. Session 1: the model (scripted through the emulator) calls memory_write. "Cairn: New Session".
// Session 2: the first request's first user content holds the index line; the model calls memory_read and the
// topic's content comes back in the tool result.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, newCairnSession, openCairnChat, runCommand, sendMessage, waitFor, waitForWorkbench } from '../lib.mjs';

const { CS_URL, WORKSPACE, EMULATOR_URL, RESULTS_DIR } = flowEnv(import.meta.url);

const { check, write } = createChecks('flow 40-memory');
const { page, close } = await launch();
const tag = Date.now().toString(36);
const slug = `e2e-fact-${tag}`;
const FACT = `The e2e staging port is 6543 (${tag}).`;
const TOPIC = path.join(WORKSPACE, '.agent', 'memory', `${slug}.md`);
const INDEX = path.join(WORKSPACE, '.agent', 'MEMORY.md');

const emu = emulatorControl(EMULATOR_URL);

/** Wait for the tool card to finish; approve it if the permission mode asks (memory tools may be 'state' kind). */
async function toolDone(cairn, index) {
  const cards = cairn.locator('[data-testid=tool-card]');
  await waitFor(async () => {
    const approve = cairn.locator('[data-testid=approval] [data-testid=approve-button]');
    if (await approve.count()) await approve.first().click().catch(() => {});
    return (await cards.count()) > index && (await cards.nth(index).getAttribute('data-status')) === 'done';
  }, 30_000, `tool card ${index} done`);
}

const messages = () => emu.messages();
const firstUserText = (req) => {
  const first = req.body.messages[0];
  return (Array.isArray(first.content) ? first.content : [{ type: 'text', text: first.content }]).filter((b) => b.type === 'text').map((b) => b.text).join('\n');
};

let cairn;
try {
  await check('workbench loads and a new Cairn session opens', async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
    await waitForWorkbench(page);
    cairn = await openCairnChat(page);
    await newCairnSession(cairn);
  }, { fatal: true });

  await check('session 1: the model stores a fact with memory_write (topic file, then index line)', async () => {
    await emu.enqueue([
      { content: [{ type: 'tool_use', name: 'memory_write', input: { slug, name: 'E2E port', description: 'Port used by the e2e staging', type: 'project', hook: 'port 6543', content: FACT, origin: 'user' } }] },
      { text: `Saved it (${tag}).` },
    ]);
    await sendMessage(cairn, `Remember: the e2e staging port is 6543 (${tag})`);
    await toolDone(cairn, 0);
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: `Saved it (${tag})` }).waitFor({ timeout: 30_000 });
    assert.ok(fs.existsSync(TOPIC), `the topic file ${TOPIC} was not written`);
    assert.ok(fs.readFileSync(TOPIC, 'utf8').includes(FACT), 'the topic file lacks the fact');
    assert.ok(fs.readFileSync(INDEX, 'utf8').includes(`](memory/${slug}.md)`), 'MEMORY.md lacks the index line');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'memory-session1.png') });
  }, { fatal: true });

  let before = 0;
  await check('"Cairn: New Session" starts session 2', async () => {
    before = (await messages()).length;
    await runCommand(page, 'Cairn: New Session');
    cairn = await openCairnChat(page);
    await waitFor(async () => (await cairn.locator('[data-testid=message]').count()) === 0, 10_000, 'an empty new session');
  }, { fatal: true });

  await check('session 2: the first request carries the index line in the first user content', async () => {
    await emu.enqueue([
      { content: [{ type: 'tool_use', name: 'memory_read', input: { slug } }] },
      { text: `The port is 6543 (${tag}, read back).` },
    ]);
    await sendMessage(cairn, `Which port does e2e staging use? (${tag} session 2)`);
    await waitFor(async () => (await messages()).length > before, 30_000, 'a request from session 2');
    const first = (await messages())[before];
    const text = firstUserText(first);
    assert.ok(text.includes(`](memory/${slug}.md)`), `the first user content lacks the index line: ${text.slice(0, 600)}`);
    assert.ok(!text.includes(FACT), 'the topic body must not be in the prelude (loaded on demand only)');
  });

  await check('session 2: memory_read returns the topic content in the tool result', async () => {
    await toolDone(cairn, 0);
    await cairn.locator('[data-testid=message][data-role=assistant]', { hasText: 'read back' }).waitFor({ timeout: 30_000 });
    const reqs = (await messages()).slice(before);
    const blocks = reqs.at(-1).body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const use = blocks.find((b) => b.type === 'tool_use' && b.name === 'memory_read');
    assert.ok(use, 'the memory_read call is in the history');
    const result = blocks.find((b) => b.type === 'tool_result' && b.tool_use_id === use.id);
    const content = typeof result?.content === 'string' ? result.content : JSON.stringify(result?.content);
    assert.ok(content?.includes(FACT), `the tool result lacks the fact: ${String(content).slice(0, 400)}`);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'memory-session2.png') });
  });
} finally {
  const s = write();
  console.log(`memory: ${s.passed} passed, ${s.failed} failed`);
  await close();
  process.exitCode = s.failed ? 1 : 0;
}
