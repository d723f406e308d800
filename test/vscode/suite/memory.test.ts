/// <reference types="mocha" />
// Memory (extension/host/memory + extension/core/memory) in the real extension host: a memory_write the model
// (scripted through the emulator's control endpoint) makes lands in the workspace's .agent/MEMORY.md and
// .agent/memory/<slug>.md, .agent/.gitignore keeps sessions/ out of git, the next session's first request carries
// the index line, and a second write with the same slug updates the topic in place.
// The emulator is found through the USER setting cairn.baseUrl (the runner points it there, with --control).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cairnTestApi, waitFor } from '../util/wait';
import type { CairnApi } from '../../../extension/host/activate';



interface Exchange { path: string; body: { messages: Array<{ role: string; content: string | Array<{ type: string; text?: string; name?: string; id?: string; tool_use_id?: string; content?: unknown }> }> } }

describe('memory in the real extension host', function () {
  this.timeout(90_000);
  let testApi: NonNullable<CairnApi['test']>;
  let emulatorUrl: string;
  let agentDir: string;
  const tag = Date.now().toString(36);
  const slug = `cache-${tag}`; // the index line must fit in 54 bytes with the name and a hook
  const FACT = `The suite's build cache lives in /var/cache/suite-${tag}.`;
  const FACT2 = `The suite's build cache moved to /srv/cache/suite-${tag}.`;

  async function emulator<T>(route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${emulatorUrl}/_emulator/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, `${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
  const messages = async () => (await emulator<{ requests: Exchange[] }>('requests')).requests.filter((r) => r.path === '/v1/messages');

  /** Send a message and wait until the turn (with its tool calls and the final reply) is over. */
  async function turn(text: string) {
    await waitFor('an idle session', () => testApi.snapshot().turn === 'idle', 30_000);
    testApi.send(text);
    await waitFor('the turn to start', () => testApi.snapshot().messages.some((m) => m.role === 'user' && m.blocks.some((b) => b.type === 'text' && b.text === text)), 10_000);
    await testApi.idle();
    const snap = await waitFor('the final assistant reply', () => {
      const s = testApi.snapshot();
      const last = s.messages.at(-1);
      return s.turn === 'idle' && last?.role === 'assistant' && last.status !== 'streaming' ? s : undefined;
    }, 30_000);
    assert.equal(snap.lastError, null, `turn failed: ${JSON.stringify(snap.lastError)}`);
    return snap;
  }

  before(async function () {
    testApi = await cairnTestApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file', 'the test run needs a file workspace folder');
    assert.ok(vscode.workspace.isTrusted, 'the workspace must be trusted (memory lives in .agent/ of the folder)');
    agentDir = path.join(folder.fsPath, '.agent');
    emulatorUrl = (vscode.workspace.getConfiguration('cairn').inspect<string>('baseUrl')?.globalValue ?? '').replace(/\/+$/, '');
    assert.match(emulatorUrl, /^https?:\/\/127\.0\.0\.1:\d+$/, 'the runner should write the emulator URL to the user setting cairn.baseUrl');
    await emulator('reset', {});
  });

  after(async function () {
    // The memory stays: removing only the topic would leave a dangling index line (the e2e profile is fresh per run).
    await emulator('reset', {}).catch(() => undefined);
  });

  it('a memory_write by the model lands in .agent/memory/<slug>.md and .agent/MEMORY.md', async function () {
    await vscode.commands.executeCommand('cairn.newSession');
    await emulator('enqueue', { items: [
      { content: [{ type: 'tool_use', name: 'memory_write', input: { slug, name: 'Cache dir', description: 'Where the suite keeps its build cache', type: 'project', hook: 'build cache', content: FACT, origin: 'user' } }] },
      { text: `Noted (${tag}).` },
    ] });
    const snap = await turn(`Remember where the suite's build cache lives (${tag}).`);
    const card = snap.messages.flatMap((m) => m.blocks).find((b) => b.type === 'tool_use' && b.name === 'memory_write');
    assert.ok(card?.type === 'tool_use', `no memory_write tool block in the chat: ${JSON.stringify(snap.messages.map((m) => m.blocks.map((b) => b.type)))}`);
    assert.equal(card.status, 'done', `the memory_write call ended ${card.status}: ${card.output ?? ''}`);
    const topic = path.join(agentDir, 'memory', `${slug}.md`);
    assert.ok(fs.existsSync(topic), `${topic} was not written`);
    const body = fs.readFileSync(topic, 'utf8');
    assert.ok(body.includes(FACT), `the topic file lacks the fact:\n${body}`);
    assert.ok(body.includes('Cache dir'), `the topic file lacks the name:\n${body}`);
    const index = fs.readFileSync(path.join(agentDir, 'MEMORY.md'), 'utf8');
    const line = index.split('\n').find((l) => l.includes(`](memory/${slug}.md)`));
    assert.ok(line, `MEMORY.md has no index line for ${slug}:\n${index}`);
    assert.ok(line.includes('[Cache dir]'), `the index line lacks the name: ${line}`);
    assert.ok(!index.includes(FACT), 'the topic body must stay out of the index');
  });

  it('transcript search runs on the ripgrep VS Code ships, and finds the session above', async function () {
    const r = await testApi.transcriptSearch(`suite-${tag}`);
    assert.equal(r.engine, 'ripgrep', `transcript search used the ${r.engine}, not ripgrep (ripgrep: ${r.ripgrep})`);
    assert.ok(r.ripgrep?.startsWith(vscode.env.appRoot), `the ripgrep in use (${r.ripgrep}) is not VS Code's own (under ${vscode.env.appRoot})`);
    assert.ok(r.hits > 0, `no hit for "suite-${tag}" in the transcripts`);
  });

  it('.agent/.gitignore keeps sessions/ (and state/) out of git', function () {
    const gi = path.join(agentDir, '.gitignore');
    assert.ok(fs.existsSync(gi), '.agent/.gitignore is missing');
    const lines = fs.readFileSync(gi, 'utf8').split(/\r?\n/).map((l) => l.trim());
    assert.ok(lines.includes('sessions/') || lines.includes('/sessions/'), `sessions/ is not ignored: ${JSON.stringify(lines)}`);
    assert.ok(lines.includes('state/') || lines.includes('/state/'), `state/ is not ignored: ${JSON.stringify(lines)}`);
    assert.ok(!lines.includes('memory/') && !lines.includes('MEMORY.md'), 'memory must stay committable');
  });

  it('the next session\'s first request carries the index line, and memory_read returns the topic', async function () {
    await vscode.commands.executeCommand('cairn.newSession');
    const before = (await messages()).length;
    await emulator('enqueue', { items: [
      { content: [{ type: 'tool_use', name: 'memory_read', input: { slug } }] },
      { text: `It is in /var/cache (${tag}, read back).` },
    ] });
    await turn(`Where is the suite's build cache? (${tag}, session 2)`);
    const reqs = (await messages()).slice(before);
    assert.ok(reqs.length >= 2, `expected 2 requests from session 2, got ${reqs.length}`);
    const first = reqs[0]!.body.messages[0]!;
    const firstText = typeof first.content === 'string' ? first.content : first.content.filter((b) => b.type === 'text').map((b) => b.text).join('\n');
    assert.ok(firstText.includes(`](memory/${slug}.md)`), `the first user content lacks the index line: ${firstText.slice(0, 600)}`);
    const blocks = reqs.at(-1)!.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    const use = blocks.find((b) => b.type === 'tool_use' && b.name === 'memory_read');
    assert.ok(use, 'the memory_read call is not in the history');
    const result = blocks.find((b) => b.type === 'tool_result' && b.tool_use_id === use.id);
    assert.ok(JSON.stringify(result?.content ?? '').includes(`/var/cache/suite-${tag}`), `the tool result lacks the fact: ${JSON.stringify(result).slice(0, 400)}`);
  });

  it('a second memory_write with the same slug updates the topic in place (one index line)', async function () {
    await emulator('enqueue', { items: [
      { content: [{ type: 'tool_use', name: 'memory_write', input: { slug, name: 'Cache dir', description: 'Where the suite keeps its build cache', type: 'project', hook: 'build cache', content: FACT2, origin: 'user', reason: 'the cache moved' } }] },
      { text: `Updated (${tag}).` },
    ] });
    await turn(`The cache moved to /srv/cache (${tag}).`);
    const body = fs.readFileSync(path.join(agentDir, 'memory', `${slug}.md`), 'utf8');
    assert.ok(body.includes(FACT2), `the topic was not updated:\n${body}`);
    assert.ok(!body.includes(FACT), 'the old fact is still in the topic');
    const index = fs.readFileSync(path.join(agentDir, 'MEMORY.md'), 'utf8');
    assert.equal(index.split('\n').filter((l) => l.includes(`](memory/${slug}.md)`)).length, 1, `expected one index line:\n${index}`);
  });
});
