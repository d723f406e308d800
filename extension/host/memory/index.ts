/** Memory in .agent: tools, the index in the prompt, and the memory view's requests (issue 6). */
import type * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { RuntimeContribution } from '../features';
import type { Logger } from '../log';

export function createMemoryFeature(_context: vscode.ExtensionContext, _log: Logger, _ws: { root: string; agentDir: string; trusted: () => boolean }): RuntimeContribution & vscode.Disposable {
  return { dispose: () => undefined };
}

/** Registers the memory view's request handlers once the controller exists. */
export function registerMemoryHandlers(_controller: ChatController, _feature: RuntimeContribution): vscode.Disposable[] {
  return [];
}
