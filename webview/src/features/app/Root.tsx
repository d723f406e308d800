import { StrictMode } from 'react';
import { errorText, type Bridge } from '../../bridge';
import { StoreProvider, type ChatStore } from '../../store';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { FeaturesProvider, type Features } from './features';

/** The whole view: store context, a crash boundary that reports to the host, and the app. */
export function Root({ chat, bridge, features = {} }: { chat: ChatStore; bridge: Pick<Bridge, 'reportError'>; features?: Features }) {
  return (
    <StrictMode>
      <FeaturesProvider value={features}>
      <StoreProvider value={chat}>
        <ErrorBoundary onError={(error, componentStack) => {
          console.error('[cairn/webview] render error:', error);
          bridge.reportError(`render error in webview: ${errorText(error)}`, [error.stack, componentStack].filter(Boolean).join('\n'));
        }}>
          <App />
        </ErrorBoundary>
      </StoreProvider>
      </FeaturesProvider>
    </StrictMode>
  );
}
