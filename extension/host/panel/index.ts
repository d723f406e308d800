/** The chat panel's host-side features: code actions, status bar, mentions, models (issue 5). */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { Logger } from '../log';
import { registerCodeActions } from './codeActions';
import { mentionCandidates } from './mentions';
import { listModels, setModel } from './models';
import { createStatusBar } from './statusBar';

const CHAT_VIEW_FOCUS = 'cairn.chatView.focus';

export function registerPanelFeatures(context: vscode.ExtensionContext, controller: ChatController, log: Logger): vscode.Disposable[] {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const root = folder?.scheme === 'file' ? folder.fsPath : join(context.globalStorageUri.fsPath, 'no-folder');
  controller.addHandlers({
    'panel/mentionCandidates': (p) => mentionCandidates(root, p.query).then((candidates) => ({ candidates })),
    'panel/models': () => listModels(),
    'panel/setModel': (p) => setModel(p),
  });
  return [
    createStatusBar(controller, 'cairn.focusChat'),
    ...registerCodeActions(controller, root, log, () => vscode.commands.executeCommand(CHAT_VIEW_FOCUS)),
  ];
}
