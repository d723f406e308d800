// The MCP panel in the webview: the header button opens it, it lists each server (state, tool count, tools,
// stderr tail of a failed one, why a blocked one does not start), restart asks the host, the status follows
// mcp/changed, a server whose tools changed mid-session says the new tools wait for the next session, hooks
// show their last failure; and an MCP tool's card names its server.
import './setup';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Root } from '../../webview/src/features/app/Root';
import { createMcpStore } from '../../webview/src/features/mcp';
import type { ExtensionsStatus, McpServerInfo } from '../../webview/src/protocol';
import { createChatStore } from '../../webview/src/store';
import { assistantMessage, FakeHost, flush, makeSnapshot } from './helpers';

const ready: McpServerInfo = { name: 'github', scope: 'user', transport: 'stdio', state: 'ready', toolCount: 2, tools: ['mcp__github__create_issue', 'mcp__github__search'], summary: 'gh-mcp --stdio' };
const failed: McpServerInfo = { name: 'docs', scope: 'project', transport: 'stdio', state: 'failed', toolCount: 0, tools: [], summary: 'node docs.js', error: 'the server exited', stderrTail: 'line 1\nError: cannot find module docs-db\n' };
const blocked: McpServerInfo = { name: 'web', scope: 'project', transport: 'http', state: 'blocked', toolCount: 0, tools: [], summary: 'https://example.com/mcp', error: 'a project server that you have not approved' };
const status: ExtensionsStatus = {
  servers: [ready, failed, blocked],
  hooks: [
    { event: 'PreToolUse', command: './check.sh', scope: 'user', matcher: 'run_command', state: 'active' },
    { event: 'Stop', command: 'notify-send done', scope: 'user', state: 'active', lastProblem: 'timed out after 100 ms and was stopped', lastProblemAt: 1 },
    { event: 'SessionStart', command: './evil.sh', scope: 'project', state: 'blocked', why: 'you did not approve this project hook' },
  ],
  problems: ['user settings (cairn.mcpServers): mcpServers.bad: needs "command" or "url"; it was skipped'],
};

async function mount(snapshot = makeSnapshot()) {
  const host = new FakeHost();
  const bridge = host.bridge();
  const chat = createChatStore(bridge);
  chat.start();
  const mcp = createMcpStore(bridge);
  render(<Root chat={chat} bridge={bridge} features={{ mcp }} />);
  host.setSeq(snapshot.seq);
  await act(async () => { host.reply(host.lastRequest('session/snapshot'), snapshot); await flush(); });
  return { host, mcp };
}

async function openPanel(host: FakeHost, answer: ExtensionsStatus = status) {
  fireEvent.click(screen.getByTestId('mcp-button'));
  await act(async () => { await flush(); host.reply(host.lastRequest('mcp/status'), answer); await flush(); });
  return screen.getByTestId('mcp-view');
}

const row = (name: string) => screen.getAllByTestId('mcp-server').find((r) => r.getAttribute('data-name') === name)!;

describe('MCP panel', () => {
  it('lists each server with its state, tool count and tools; a failed one with its stderr tail; a blocked one with why', async () => {
    const { host } = await mount();
    await openPanel(host);
    expect(screen.getAllByTestId('mcp-server').map((r) => [r.getAttribute('data-name'), r.getAttribute('data-state')])).toEqual([['github', 'ready'], ['docs', 'failed'], ['web', 'blocked']]);
    expect(within(row('github')).getByTestId('mcp-server-state').textContent).toBe('ready · 2 tools · user · stdio');
    expect(within(row('github')).getAllByTestId('mcp-tool').map((t) => t.textContent)).toEqual(['mcp__github__create_issue', 'mcp__github__search']);
    expect(within(row('docs')).getByTestId('mcp-stderr').textContent).toContain('Error: cannot find module docs-db');
    expect(within(row('docs')).getByTestId('mcp-server-error').textContent).toBe('the server exited');
    expect(within(row('web')).queryByTestId('mcp-stderr')).toBeNull();
    expect(within(row('web')).getByTestId('mcp-server-error').textContent).toContain('not approved');
    expect(screen.getByTestId('mcp-problems').textContent).toContain('mcpServers.bad');
  });

  it('the header button says how many servers and hooks need attention', async () => {
    const { host } = await mount();
    // Before the panel was opened the status arrives as an event and already counts.
    await act(async () => { host.emit('mcp/changed', status); await flush(); });
    // failed + blocked servers, a failed and a blocked hook, one configuration problem.
    expect(screen.getByTestId('mcp-button').getAttribute('aria-label')).toBe('Show MCP servers and hooks (5 need attention)');
    await act(async () => { host.emit('mcp/changed', { servers: [ready], hooks: [], problems: [] }); await flush(); });
    expect(screen.getByTestId('mcp-button').getAttribute('aria-label')).toBe('Show MCP servers and hooks');
  });

  it('Restart asks the host for that server and is disabled until it answers', async () => {
    const { host } = await mount();
    await openPanel(host);
    const button = within(row('docs')).getByTestId('mcp-restart');
    fireEvent.click(button);
    await act(async () => { await flush(); });
    expect(host.lastRequest('mcp/restart').params).toEqual({ name: 'docs' });
    expect(within(row('docs')).getByTestId('mcp-restart').getAttribute('aria-disabled')).toBe('true');
    await act(async () => {
      host.emit('mcp/changed', { ...status, servers: [ready, { ...failed, state: 'ready', toolCount: 1, tools: ['mcp__docs__lookup'], error: undefined, stderrTail: undefined } as McpServerInfo, blocked] });
      host.reply(host.lastRequest('mcp/restart'), { ok: true, state: 'ready' });
      await flush();
    });
    expect(row('docs').getAttribute('data-state')).toBe('ready');
    expect(within(row('docs')).getByTestId('mcp-restart').getAttribute('aria-disabled')).toBeNull();
  });

  it('a failed restart is shown', async () => {
    const { host } = await mount();
    await openPanel(host);
    fireEvent.click(within(row('github')).getByTestId('mcp-restart'));
    await act(async () => { await flush(); host.fail(host.lastRequest('mcp/restart'), 'handler_error', 'the host is gone'); await flush(); });
    expect(screen.getByTestId('mcp-error').textContent).toContain('the host is gone');
  });

  it('a server whose tools changed mid-session says the new tools wait for the next session', async () => {
    const { host } = await mount();
    await openPanel(host);
    expect(screen.queryByTestId('mcp-tools-changed')).toBeNull();
    await act(async () => { host.emit('mcp/changed', { ...status, servers: [{ ...ready, toolCount: 3, tools: [...ready.tools, 'mcp__github__late'], toolsChanged: true }] }); await flush(); });
    expect(within(row('github')).getByTestId('mcp-tools-changed').textContent).toContain('new tools wait for the next session');
  });

  it('hooks show their event, command, a blocked hook why, and a failed hook its last problem', async () => {
    const { host } = await mount();
    await openPanel(host);
    const hooks = screen.getAllByTestId('mcp-hook');
    expect(hooks.map((h) => [h.getAttribute('data-event'), h.getAttribute('data-state')])).toEqual([['PreToolUse', 'active'], ['Stop', 'failed'], ['SessionStart', 'blocked']]);
    expect(within(hooks[1]!).getByTestId('mcp-hook-problem').textContent).toContain('timed out after 100 ms');
    expect(hooks[2]!.textContent).toContain('you did not approve this project hook');
  });

  it('with no servers it says where to configure them', async () => {
    const { host } = await mount();
    await openPanel(host, { servers: [], hooks: [], problems: [] });
    expect(screen.getByTestId('mcp-empty').textContent).toContain('cairn.mcpServers');
  });

  it('an MCP tool\'s card names its server and shows the tool\'s own name; a built-in tool\'s card is unchanged; mcp/changed keeps the chat in step', async () => {
    const { host } = await mount(makeSnapshot({ seq: 3, messages: [assistantMessage('a1', [
      { type: 'tool_use', id: 't1', name: 'mcp__github__create_issue', inputJson: '{"title":"x"}', status: 'done', kind: 'external', output: 'created #1' },
      { type: 'tool_use', id: 't2', name: 'read_file', inputJson: '{"path":"a.ts"}', status: 'done', kind: 'read' },
    ])] }));
    const cards = screen.getAllByTestId('tool-card');
    expect(cards[0]!.getAttribute('data-tool')).toBe('mcp__github__create_issue');
    expect(within(cards[0]!).getByTestId('tool-server').textContent).toBe('github');
    expect(cards[0]!.querySelector('.tool-name')!.textContent).toBe('create_issue');
    expect(within(cards[1]!).queryByTestId('tool-server')).toBeNull();
    expect(cards[1]!.querySelector('.tool-name')!.textContent).toBe('read_file');
    // A status event between chat events does not put the chat out of step (no new snapshot is asked).
    const snapshots = host.requests('session/snapshot').length;
    await act(async () => {
      host.emit('mcp/changed', status);
      host.emit('message/toolDelta', { messageId: 'a1', blockIndex: 2, id: 't3', name: 'mcp__docs__lookup', inputJsonDelta: '{}', status: 'streaming' });
      await flush();
    });
    expect(host.requests('session/snapshot').length).toBe(snapshots);
    expect(within(screen.getAllByTestId('tool-card')[2]!).getByTestId('tool-server').textContent).toBe('docs');
  });
});
