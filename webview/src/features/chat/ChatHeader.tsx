import { useActions, useChat } from '../../store';
import { Button } from '../../ui';
import { modelLabel } from './labels';

export function ChatHeader() {
  const title = useChat((s) => s.title);
  const demo = useChat((s) => s.auth.status === 'demo');
  const label = useChat((s) => modelLabel(s.auth, s.model));
  const streaming = useChat((s) => s.turn === 'streaming');
  const { newSession } = useActions();

  return (
    <header className="chat-header">
      <div className="chat-header-text">
        <h1 className="chat-title">{title || 'New session'}</h1>
        <span className={demo ? 'model-label model-label-demo' : 'model-label'} data-testid="model-label" data-demo={demo}>
          {label}
        </span>
      </div>
      <Button variant="secondary" testId="new-session-button" label="Start a new session" title="Start a new session" disabled={streaming} onClick={() => void newSession()}>
        New
      </Button>
    </header>
  );
}
