/** Cairn's commands. Each is a thin call into the controller, the auth service or the views. */
import * as vscode from 'vscode';
import { undoDoneText, undoQuestion } from '../protocol/undo';
import type { AuthService } from './auth';
import type { ChatController } from './chat/controller';
import type { ChatPanels } from './webview/views';
import { CHAT_VIEW_ID } from './webview/views';
import type { AgentExtensions } from './extensions/service';
import { serverItem } from './extensions/items';

export function registerCommands(controller: ChatController, auth: AuthService, panels: ChatPanels, extensions?: AgentExtensions): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cairn.mcpServers', async () => {
      const servers = extensions?.servers() ?? [];
      if (!servers.length) { void vscode.window.showInformationMessage('Cairn: no MCP servers configured (cairn.mcpServers in your user settings, or .agent/mcp.json in the workspace).'); return undefined; }
      const pick = await vscode.window.showQuickPick(servers.map(serverItem), { title: 'Cairn: MCP Servers', placeHolder: 'Pick a server to restart it', matchOnDetail: true });
      if (!pick || !extensions) return undefined;
      const act = await vscode.window.showQuickPick([{ label: 'Restart', description: 'New tools apply to the next session' }], { title: `MCP server ${pick.name}` });
      if (act?.label !== 'Restart') return undefined;
      await extensions.restart(pick.name);
      const now = extensions.servers().find((s) => s.name === pick.name);
      if (now?.state === 'ready') void vscode.window.showInformationMessage(`Cairn: MCP server "${pick.name}" is ready (${now.toolCount} tools; a new session gets them).`);
      return now?.state;
    }),
    vscode.commands.registerCommand('cairn.openChatInEditor', () => panels.open()),
    vscode.commands.registerCommand('cairn.focusChat', () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('cairn.newSession', async () => {
      if (controller.sessionBusy) {
        const pick = await vscode.window.showWarningMessage('Cairn is still working. Stop it and start a new session?', { modal: true }, 'Stop and start new');
        if (pick !== 'Stop and start new') return undefined;
      }
      return controller.newSession();
    }),
    vscode.commands.registerCommand('cairn.openSession', async () => {
      const sessions = controller.sessions();
      if (!sessions.length) { void vscode.window.showInformationMessage('Cairn: no past sessions in this workspace yet.'); return undefined; }
      const pick = await vscode.window.showQuickPick(sessions.map((s) => ({
        label: s.title,
        description: `${s.messageCount} messages`,
        detail: `${new Date(s.updatedAt).toLocaleString()}${s.id === controller.sessionId ? ' · open now' : ''}`,
        id: s.id,
      })), { title: 'Cairn: Open Session', placeHolder: 'Search past sessions by title', matchOnDescription: true, matchOnDetail: true });
      if (!pick) return undefined;
      if (controller.sessionBusy && pick.id !== controller.sessionId) {
        const ok = await vscode.window.showWarningMessage('Cairn is still working. Stop it and open the other session?', { modal: true }, 'Stop and open');
        if (ok !== 'Stop and open') return undefined;
      }
      if (!controller.openSession(pick.id)) void vscode.window.showErrorMessage(`Cairn: could not open the session "${pick.label}" (see the Cairn output channel).`);
      await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
      return pick.id;
    }),
    vscode.commands.registerCommand('cairn.undoLastTurn', async () => {
      try {
        // Name the turn and its files, and ask first: the newest turn with edits may not be the last turn.
        const preview = await controller.undoPreview();
        if (!preview) { void vscode.window.showInformationMessage('Cairn: no turn of this session changed files.'); return undefined; }
        const ok = await vscode.window.showWarningMessage(undoQuestion(preview), { modal: true }, 'Undo edits');
        if (ok !== 'Undo edits') return undefined;
        const r = await controller.undoLastTurn(preview.turn);
        if (!r) return undefined;
        void vscode.window.showInformationMessage(`Cairn: ${undoDoneText(r)}`);
        return r;
      } catch (err) {
        void vscode.window.showErrorMessage(`Cairn: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('cairn.compact', async () => {
      if (controller.sessionBusy) { void vscode.window.showWarningMessage('Cairn is still working. Stop it or wait for it to finish, then compact.'); return false; }
      const instructions = await vscode.window.showInputBox({ title: 'Cairn: Compact the Conversation', prompt: 'Optional: what the summary should focus on (Enter for a plain summary)', placeHolder: 'e.g. keep the API design decisions' });
      if (instructions === undefined) return false;
      try {
        return await controller.compact(instructions);
      } catch (err) {
        void vscode.window.showErrorMessage(`Cairn: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    }),
    vscode.commands.registerCommand('cairn.setApiKey', async () => {
      const stored = await auth.promptForKey();
      if (stored) void vscode.window.showInformationMessage('Cairn: API key saved in VS Code\'s secret storage.');
      return stored;
    }),
    vscode.commands.registerCommand('cairn.clearApiKey', async () => {
      await auth.clearKey();
      void vscode.window.showInformationMessage(auth.state.source === 'env'
        ? 'Cairn: stored key removed. ANTHROPIC_API_KEY from the environment is still in use.'
        : 'Cairn: stored API key removed.');
    }),
  ];
}
