/**
 * The MCP servers and hooks in the panel: the status request and restart, the status pushed on every change, a
 * notice when a server's tools change mid-session or a hook fails, and a reload when `cairn.mcpServers`,
 * `cairn.hooks`, `.agent/mcp.json`, `.agent/settings.json` or the workspace's trust change.
 */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { AgentExtensions } from './service';
import { expandPrompt, promptList, resourceCandidates } from './resources';

export function registerExtensionsPanel(controller: ChatController, extensions: AgentExtensions, root: string): vscode.Disposable[] {
  controller.addHandlers({
    'mcp/status': () => extensions.status(),
    'mcp/restart': async ({ name }) => {
      const ok = await extensions.restart(name);
      const state = extensions.servers().find((s) => s.name === name)?.state;
      return { ok, ...(state ? { state } : {}) };
    },
    'mcp/resources': async ({ query }) => ({ candidates: await resourceCandidates(extensions.mcp, query) }),
    'mcp/prompts': async () => ({ prompts: await promptList(extensions.mcp) }),
    'mcp/getPrompt': async ({ server, name, args }) => ({ text: await expandPrompt(extensions.mcp, server, name, args) }),
  });
  let last = '';
  const changed = new Set<string>();
  const push = () => {
    const status = extensions.status();
    const text = JSON.stringify(status);
    if (text === last) return;
    last = text;
    controller.emit('mcp/changed', status);
    for (const s of status.servers) {
      if (s.toolsChanged && !changed.has(s.name)) {
        changed.add(s.name);
        controller.emit('session/notice', { level: 'info', message: `The MCP server "${s.name}" now has other tools than this session started with. The new tools wait for the next session (start a new session to use them).` });
      } else if (!s.toolsChanged) changed.delete(s.name);
    }
  };
  const reloadSoon = debounce(() => { void extensions.reload().then(() => freshSession(controller, extensions)); }, 300);
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '.agent/{mcp,settings}.json'));
  return [
    extensions.onDidChange(push),
    extensions.onHookFailure((r) => controller.emit('session/notice', { level: 'warning', message: `The ${r.event} hook "${r.command}" failed: ${r.problem ?? 'unknown reason'}` })),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('cairn.mcpServers') || e.affectsConfiguration('cairn.hooks')) reloadSoon(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => reloadSoon()),
    watcher, watcher.onDidChange(reloadSoon), watcher.onDidCreate(reloadSoon), watcher.onDidDelete(reloadSoon),
    { dispose: () => reloadSoon.cancel() },
  ];
}

/** Once servers are up, a still-empty session is assembled again so that it gets their tools. */
export function freshSession(controller: ChatController, extensions: AgentExtensions): void {
  if (extensions.servers().some((s) => s.state === 'ready') && controller.sessionEmpty && !controller.sessionBusy) controller.newSession();
}

function debounce(fn: () => void, ms: number): (() => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = Object.assign(() => { if (timer) clearTimeout(timer); timer = setTimeout(() => { timer = undefined; fn(); }, ms); }, { cancel: () => { if (timer) clearTimeout(timer); } });
  return run;
}
