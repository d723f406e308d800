/** Cairn's commands. Each is a thin call into the controller, the auth service or the views. */
import * as vscode from 'vscode';
import type { AuthService } from './auth';
import type { ChatController } from './chat/controller';
import type { ChatPanels } from './webview/views';
import { CHAT_VIEW_ID } from './webview/views';

export function registerCommands(controller: ChatController, auth: AuthService, panels: ChatPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cairn.openChatInEditor', () => panels.open()),
    vscode.commands.registerCommand('cairn.focusChat', () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('cairn.newSession', async () => {
      if (controller.sessionBusy) {
        const pick = await vscode.window.showWarningMessage('Cairn is still working. Stop it and start a new session?', { modal: true }, 'Stop and start new');
        if (pick !== 'Stop and start new') return undefined;
      }
      return controller.newSession();
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
