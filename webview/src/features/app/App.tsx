import { useActions, useChat } from '../../store';
import { Button } from '../../ui';
import { ChatView } from '../chat/ChatView';
import { FirstRun } from '../first-run/FirstRun';

/** Picks the screen: loading, load failure, first run (no key), or the chat. */
export function App() {
  const sync = useChat((s) => s.sync);
  const loadError = useChat((s) => s.loadError);
  const authStatus = useChat((s) => s.auth.status);
  const { reload } = useActions();

  if (loadError !== null) {
    return (
      <main className="center-screen" data-testid="load-error">
        <p role="alert">{loadError}</p>
        <Button variant="primary" testId="reload-button" onClick={reload}>Reload</Button>
      </main>
    );
  }
  // While the session loads, the chat's frame (header, composer, meter) is already drawn around a spinner, so
  // its cost is paid while the host reads the transcript, not after: the conversation paints sooner once the
  // snapshot arrives. Without a key the first-run screen replaces it then.
  if (sync === 'loading') return <ChatView loading />;
  if (authStatus === 'missing') return <FirstRun />;
  return <ChatView />;
}
