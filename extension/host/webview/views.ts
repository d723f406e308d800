/** The two places the chat lives: the activity-bar view and an editor tab. Both speak the same protocol. */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { Logger } from '../log';
import { connectWebview, webviewOptions } from './connection';
import { renderHtml } from './html';

export const CHAT_VIEW_ID = 'cairn.chatView';
export const CHAT_PANEL_TYPE = 'cairn.chatPanel';

export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** True while the sidebar chat is on screen. */
  get visible(): boolean { return Boolean(this.view?.visible); }

  constructor(private readonly extensionUri: vscode.Uri, private readonly controller: ChatController, private readonly log: Logger) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    const conn = connectWebview(view.webview, this.controller, this.log);
    view.webview.html = renderHtml(view.webview, this.extensionUri, 'sidebar');
    view.onDidDispose(() => { conn.dispose(); if (this.view === view) this.view = undefined; });
  }
}

export class ChatPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** True while the chat tab is on screen. */
  get visible(): boolean { return Boolean(this.panel?.visible); }

  constructor(private readonly extensionUri: vscode.Uri, private readonly controller: ChatController, private readonly log: Logger) {}

  open(): void {
    if (this.panel) { this.panel.reveal(undefined, false); return; }
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, 'Cairn', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.extensionUri));
    this.adopt(panel);
  }

  /** Also used by the serializer to restore a tab after a window reload. */
  adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cairn.svg');
    panel.webview.options = webviewOptions(this.extensionUri);
    const conn = connectWebview(panel.webview, this.controller, this.log);
    panel.webview.html = renderHtml(panel.webview, this.extensionUri, 'editor');
    panel.onDidDispose(() => { conn.dispose(); if (this.panel === panel) this.panel = undefined; });
  }

  dispose(): void { this.panel?.dispose(); }
}
