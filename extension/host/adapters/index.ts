/** VS Code implementations of the core's editor ports (issue 4). */
import type * as vscode from 'vscode';
import type { Logger } from '../log';
import type { RuntimeContribution } from '../features';

export function createHostPorts(_context: vscode.ExtensionContext, _log: Logger, _root: string): RuntimeContribution & vscode.Disposable {
  return { ports: () => ({}), dispose: () => undefined };
}
