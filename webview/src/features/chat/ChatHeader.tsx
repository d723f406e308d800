import { useState } from 'react';
import { useActions, useChat } from '../../store';
import { IconButton } from '../../ui';
import { modelLabel } from './labels';

/**
 * One compact row: the session title (ellipsis) over the model, and icon buttons for the session actions
 * (undo the last turn's edits, history, memory, new session). Every button has a tooltip and an accessible name.
 */
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

  const shownTitle = title || 'New session';
  return (
    <header className="chat-header">
      <div className="chat-header-row">
        <div className="chat-header-text">
          <h1 className="chat-title" data-testid="chat-title" title={shownTitle}>{shownTitle}</h1>
          <span className={demo ? 'model-label model-label-demo' : 'model-label'} data-testid="model-label" data-demo={demo} title={label}>
            {label}
          </span>
        </div>
        <div className="chat-header-actions" role="toolbar" aria-label="Session">
          <IconButton icon="discard" testId="undo-button" label="Undo the last turn's file edits" disabled={streaming || !hasMessages} onClick={() => void undo()} />
          <IconButton icon="history" testId="history-button" label={historyOpen ? 'Close the session history' : 'Show the session history'}
            title="Session history" pressed={historyOpen} onClick={onToggleHistory} />
          {onToggleMemory && (
            <IconButton icon="database" testId="memory-button" label={memoryOpen ? 'Close the memory view' : 'Show what Cairn remembers'}
              title="Memory" pressed={memoryOpen} onClick={onToggleMemory} />
          )}
          <IconButton icon="add" testId="new-session-button" label="Start a new session" disabled={streaming} onClick={() => void newSession()} />
        </div>
      </div>
      {undoNote && <div className="hint chat-header-note" role="status" data-testid="undo-note">{undoNote}</div>}
    </header>
  );
}
