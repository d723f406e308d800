// Issue 16 in a real VS Code: an MCP server configured in the user settings (a small stdio server built from the
// SDK's own server classes, test/e2e/fixtures/tickets-mcp-server.mjs) starts when Cairn activates, the panel's
// server list shows it ready with its tool; a new session sends its tool after the built-ins; a call scripted through the
// emulator asks for approval (MCP tools always ask), runs, and its card names the server. A UserPromptSubmit hook
// from the user settings adds context to the message and a Stop hook runs when the task ends.
//
// Env (set by run.sh): CS_URL, WORKSPACE, EMULATOR_URL, USER_SETTINGS, RESULTS_DIR, E2E_RESULTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createChecks, emulatorControl, flowEnv, launch, log, newCairnSession, openFreshChat, readJson, sendMessage, waitFor, writeJson } from '../lib.mjs';

const { REPO, CS_URL, WORKSPACE, EMULATOR_URL, USER_SETTINGS, RESULTS_DIR } = flowEnv(import.meta.url);
const emu = emulatorControl(EMULATOR_URL);
const { check, write } = createChecks('flow 48-mcp');
const shot = (name) => path.join(RESULTS_DIR, name);
const tag = Date.now().toString(36);
const TOOL = 'mcp__tickets__lookup_ticket';
const SERVER = path.join(REPO, 'test/e2e/fixtures/tickets-mcp-server.mjs');
const STOP_MARKER = path.join(WORKSPACE, `stop-hook-${tag}.txt`);
const node = JSON.stringify(process.execPath);
const settingsBefore = fs.readFileSync(USER_SETTINGS, 'utf8');
const t0 = Date.now();

const { page, close } = await launch();
let cairn;

try {
  await check('setup: the server and two hooks in the user settings; the model asks to look up a ticket, then answers', async () => {
    fs.rmSync(STOP_MARKER, { force: true });
    // Written before the workbench opens: code-server's browser workbench does not pick up an external edit of the
    // settings file promptly (a change made in the editor reloads the servers and hooks at once).
    const settings = readJson(USER_SETTINGS);
    settings['cairn.mcpServers'] = { tickets: { command: process.execPath, args: [SERVER] } };
    settings['cairn.hooks'] = {
      UserPromptSubmit: [{ command: `${node} -e ${JSON.stringify(`process.stdin.resume();process.stdin.on('end',()=>console.log(JSON.stringify({context:'Tracker: tickets ${tag}'})))`)}` }],
      Stop: [{ command: `${node} -e ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(STOP_MARKER)},'stopped')`)}` }],
    };
    writeJson(USER_SETTINGS, settings);
    await emu.reset();
    await emu.enqueue([
      { content: [{ type: 'text', text: 'Let me look that ticket up.' }, { type: 'tool_use', name: TOOL, input: { id: 'ABC-12' } }] },
      { text: `Ticket flow ${tag} finished.` },
    ]);
  }, { fatal: true });

  await check('workbench + Cairn chat open in a fresh session, ask mode', async () => {
    cairn = await openFreshChat(page, CS_URL, WORKSPACE, { mode: 'ask' });
  }, { fatal: true });

  await check('the panel lists the server ready with its tool, and both hooks', async () => {
    await cairn.locator('[data-testid=mcp-button]').click();
    const row = cairn.locator('[data-testid=mcp-server][data-name=tickets]');
    await row.waitFor({ timeout: 60_000 });
    await cairn.locator('[data-testid=mcp-server][data-name=tickets][data-state=ready]').waitFor({ timeout: 60_000 });
    assert.match((await row.locator('[data-testid=mcp-server-state]').textContent()) ?? '', /^ready · 1 tool · user · stdio$/);
    await row.locator('summary', { hasText: 'Tools' }).click();
    assert.deepEqual(await row.locator('[data-testid=mcp-tool]').allTextContents(), [TOOL]);
    await waitFor(async () => (await cairn.locator('[data-testid=mcp-hook]').count()) === 2, 60_000, 'both hooks in the list');
    assert.deepEqual(await cairn.locator('[data-testid=mcp-hook]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-event')}:${e.getAttribute('data-state')}`)), ['UserPromptSubmit:active', 'Stop:active']);
    await page.screenshot({ path: shot('mcp-servers.png') });
    await cairn.locator('[data-testid=mcp-button]').click();
  }, { fatal: true });

  await check('in a new session the call asks first, runs after approval, and its card names the server', async () => {
    await newCairnSession(cairn);
    await sendMessage(cairn, `What is ticket ABC-12 about? (${tag})`);
    const approval = cairn.locator('[data-testid=approval]');
    await approval.waitFor({ timeout: 60_000 });
    assert.ok(((await approval.textContent()) ?? '').includes(TOOL), 'the approval does not name the MCP tool');
    await approval.locator('[data-testid=approve-button]').click();
    const card = cairn.locator(`[data-testid=tool-card][data-tool=${TOOL}][data-status=done]`);
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.locator('[data-testid=tool-server]').textContent(), 'tickets');
    assert.equal(await card.locator('.tool-name').textContent(), 'lookup_ticket');
    await cairn.locator('[data-testid=message][data-role=assistant][data-status=complete]', { hasText: `Ticket flow ${tag} finished.` }).waitFor({ timeout: 60_000 });
    await card.locator('summary').click();
    await card.locator('[data-testid=tool-output]', { hasText: 'Login fails when the password has a space' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: shot('mcp-tool-card.png') });
  }, { fatal: true });

  await check('the request carried the MCP tool after the built-ins and the hook\'s context; the Stop hook ran', async () => {
    const reqs = (await emu.messages()).filter((r) => JSON.stringify(r.body.messages).includes(tag));
    assert.ok(reqs.length >= 2, `expected two requests of this task, got ${reqs.length}`);
    const names = reqs[0].body.tools.map((t) => t.name);
    // The built-in tools first (sorted), then the contributed ones (memory, MCP), sorted by name.
    const at = names.indexOf(TOOL);
    assert.ok(at > names.indexOf('write_file') && at > names.indexOf('read_file'), `the MCP tool is not after the built-ins: ${names.join(', ')}`);
    const contributed = names.slice(names.indexOf('write_file') + 1);
    assert.deepEqual(contributed, [...contributed].sort(), `the contributed tools are not sorted: ${contributed.join(', ')}`);
    assert.equal(JSON.stringify(reqs[1].body.tools), JSON.stringify(reqs[0].body.tools), 'the tool list changed within the task');
    assert.ok(JSON.stringify(reqs[0].body.messages).includes(`Tracker: tickets ${tag}`), 'the UserPromptSubmit hook\'s context is not in the request');
    assert.ok(JSON.stringify(reqs[1].body.messages).includes('Login fails when the password has a space'), 'the tool result did not reach the model');
    await waitFor(() => fs.existsSync(STOP_MARKER), 60_000, 'the Stop hook to write its marker');
  });
} catch (e) {
  console.error('flow crashed:', e);
  process.exitCode = 1;
} finally {
  const s = write({ ms: Date.now() - t0 });
  if (s.failed) await page.screenshot({ path: shot('flow-48-mcp-failure.png') }).catch(() => {});
  // Later flows run without this server and these hooks.
  fs.writeFileSync(USER_SETTINGS, settingsBefore);
  await close();
  fs.rmSync(STOP_MARKER, { force: true });
  log(`flow 48-mcp: ${s.passed} passed, ${s.failed} failed in ${Date.now() - t0}ms`);
  if (s.failed) process.exitCode = 1;
}
