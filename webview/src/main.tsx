/** Entry of the webview bundle: connect to the host, load the session, render. */
// The icon font first (its .ttf is emitted beside the bundle as dist/codicon.ttf), then the view's own styles.
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { createBridge, defaultTransport, installGlobalErrorReporting } from './bridge';
import { Root } from './features/app/Root';
import { createBackgroundStore } from './features/background/backgroundStore';
import { createMemoryStore } from './features/memory/memoryStore';
import { createMcpStore } from './features/mcp/mcpStore';
import { createChatStore } from './store';

const bridge = createBridge(defaultTransport());
installGlobalErrorReporting(bridge);

const chat = createChatStore(bridge);
chat.start();
const memory = createMemoryStore(bridge);
const background = createBackgroundStore(bridge);
const mcp = createMcpStore(bridge);

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(<Root chat={chat} bridge={bridge} features={{ memory, background, mcp }} />);
} else {
  console.error('[cairn/webview] no #root element to render into');
  bridge.reportError('webview: the page has no #root element');
}
