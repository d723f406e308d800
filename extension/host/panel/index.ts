/** The chat panel's host-side features: code actions, status bar, mentions (issue 5). */
import type * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { Logger } from '../log';

export function registerPanelFeatures(_context: vscode.ExtensionContext, _controller: ChatController, _log: Logger): vscode.Disposable[] {
  return [];
}
