/** The webview's HTML: a strict Content-Security-Policy with a fresh nonce; nothing remote is loaded. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri, where: 'sidebar' | 'editor'): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${n}'`,
    // The toolkit inserts one empty <style>; its hash (of the empty string) allows exactly that and nothing else.
    `style-src ${webview.cspSource} 'nonce-${n}' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${n}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${n}">
<title>Cairn</title>
</head>
<body data-where="${where}">
<div id="root"></div>
<script type="module" nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
