import { useState } from 'react';
import { useActions, useChat } from '../../store';
import { Button } from '../../ui';
import { modelLabel } from './labels';

/** Title, model, and the session actions: history, undo the last turn's edits, new session. */
export function ChatHeader({ historyOpen, onToggleHistory, memoryOpen = false, onToggleMemory }: {
  historyOpen: boolean; onToggleHistory: () => void; memoryOpen?: boolean; onToggleMemory?: () => void;
}) {
  const title = useChat((s) => s.title);
  const demo = useChat((s) => s.auth.status === 'demo');
  const label = useChat((s) => modelLabel(s.auth, s.model));
  const streaming = useChat((s) => s.turn === 'streaming');
  const hasMessages = useChat((s) => s.messages.length > 0);
  const { newSession, undoLastTurn } = useActions();
  const [undoNote, setUndoNote] = useState<string | null>(null);

  const undo = async () => {
    const r = await undoLastTurn();
    if (!r) return;
    const n = r.restored.length + r.deleted.length;
    setUndoNote(r.undone ? `Undid the last turn's edits (${n} file${n === 1 ? '' : 's'}).` : 'Nothing to undo.');
    setTimeout(() => setUndoNote(null), 5000);
  };

  return (
    <header className="chat-header">
      <div className="chat-header-text">
        <h1 className="chat-title" data-testid="chat-title">{title || 'New session'}</h1>
        <span className={demo ? 'model-label model-label-demo' : 'model-label'} data-testid="model-label" data-demo={demo}>
          {label}
        </span>
        {undoNote && <span className="hint" role="status" data-testid="undo-note">{undoNote}</span>}
      </div>
      <div className="chat-header-actions">
        <Button variant="secondary" testId="undo-button" label="Undo the last turn's file edits" title="Undo the last turn's file edits" disabled={streaming || !hasMessages} onClick={() => void undo()}>
          Undo edits
        </Button>
        <Button variant="secondary" testId="history-button" label={historyOpen ? 'Close the session history' : 'Show the session history'} title="Session history" onClick={onToggleHistory}>
          History
        </Button>
        {onToggleMemory && (
          <Button variant="secondary" testId="memory-button" label={memoryOpen ? 'Close the memory view' : 'Show what Cairn remembers'} title="Memory" onClick={onToggleMemory}>
            Memory
          </Button>
        )}
        <Button variant="secondary" testId="new-session-button" label="Start a new session" title="Start a new session" disabled={streaming} onClick={() => void newSession()}>
          New
        </Button>
      </div>
    </header>
  );
}
