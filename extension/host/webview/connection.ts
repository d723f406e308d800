/**
 * One webview's connection to the controller: every incoming message is validated against the protocol;
 * a malformed or unknown message is logged and answered with an error (when it has an id), never acted on.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type ResponseMessage } from '../../protocol/envelope';
import type { ChatController } from '../chat/controller';
import type { Logger } from '../log';

export function connectWebview(webview: vscode.Webview, controller: ChatController, log: Logger): vscode.Disposable {
  const post = (msg: unknown) => {
    void webview.postMessage(msg).then(undefined, (err) => log.error('postMessage failed', err));
  };
  const detach = controller.attach(post);
  const sub = webview.onDidReceiveMessage(async (raw: unknown) => {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      log.error(`rejected a message from the webview (${parsed.error.code}): ${parsed.error.message}`);
      const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
        post({ kind: 'response', id, ok: false, error: { code: parsed.error.code, message: parsed.error.message } } satisfies ResponseMessage);
      }
      return;
    }
    const { id, method, params } = parsed.value;
    try {
      const result = await controller.handle(method, params);
      post({ kind: 'response', id, ok: true, result } satisfies ResponseMessage);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn(`request ${method} failed: ${message}`);
      post({ kind: 'response', id, ok: false, error: { code: 'failed', message } } satisfies ResponseMessage);
    }
  });
  return { dispose: () => { detach(); sub.dispose(); } };
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
