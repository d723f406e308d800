import { StrictMode } from 'react';
import { errorText, type Bridge } from '../../bridge';
import { StoreProvider, type ChatStore } from '../../store';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';

/** The whole view: store context, a crash boundary that reports to the host, and the app. */
export function Root({ chat, bridge }: { chat: ChatStore; bridge: Pick<Bridge, 'reportError'> }) {
  return (
    <StrictMode>
      <StoreProvider value={chat}>
        <ErrorBoundary onError={(error, componentStack) => {
          console.error('[cairn/webview] render error:', error);
          bridge.reportError(`render error in webview: ${errorText(error)}`, [error.stack, componentStack].filter(Boolean).join('\n'));
        }}>
          <App />
        </ErrorBoundary>
      </StoreProvider>
    </StrictMode>
  );
}
