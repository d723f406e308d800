import { useActions, useChat } from '../../store';
import { Button, ProgressRing } from '../../ui';
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
  if (sync === 'loading') {
    return (
      <main className="center-screen" data-testid="loading">
        <ProgressRing label="Loading the session…" showLabel />
      </main>
    );
  }
  if (authStatus === 'missing') return <FirstRun />;
  return <ChatView />;
}
