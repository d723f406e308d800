import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { undoDoneText, undoQuestion, type UndoPreview } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, IconButton } from '../../ui';
import type { BackgroundStore } from '../background/backgroundStore';
import { modelLabel } from './labels';
import { McpButton } from '../mcp/McpButton';
import type { McpStore } from '../mcp/mcpStore';

/**
 * One compact row: the session title (ellipsis) over the model, and icon buttons for the session actions
 * (undo the last turn's edits, history, memory, new session). Every button has a tooltip and an accessible name.
 */
export function ChatHeader({ historyOpen, onToggleHistory, plansOpen = false, onTogglePlans, memoryOpen = false, onToggleMemory, background, backgroundOpen = false, onToggleBackground, mcp, mcpOpen = false, onToggleMcp }: {
  historyOpen: boolean; onToggleHistory: () => void; plansOpen?: boolean; onTogglePlans?: () => void; memoryOpen?: boolean; onToggleMemory?: () => void;
  background?: BackgroundStore; backgroundOpen?: boolean; onToggleBackground?: () => void;
  mcp?: McpStore; mcpOpen?: boolean; onToggleMcp?: () => void;
}) {
  const title = useChat((s) => s.title);
  const demo = useChat((s) => s.auth.status === 'demo');
  const label = useChat((s) => modelLabel(s.auth, s.model));
  const streaming = useChat((s) => s.turn === 'streaming');
  const hasMessages = useChat((s) => s.messages.length > 0);
  const { newSession, undoPreview, undoLastTurn } = useActions();
  const [undoNote, setUndoNote] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<UndoPreview | null>(null);
  const note = (text: string) => { setUndoNote(text); setTimeout(() => setUndoNote(null), 6000); };

  // Undo names the turn it would undo (the newest with edits, maybe not the last) and asks first.
  const askUndo = async () => {
    setUndoNote(null);
    const target = await undoPreview();
    if (target === undefined) return; // the request failed: the action error says why
    if (target === null) { note('No turn of this session changed files: nothing to undo.'); return; }
    setConfirm(target);
  };
  const doUndo = async () => {
    if (!confirm) return;
    const turn = confirm.turn;
    setConfirm(null);
    const r = await undoLastTurn(turn);
    if (!r) return;
    note(r.undone ? undoDoneText(r) : 'Nothing to undo.');
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
          <IconButton icon="discard" testId="undo-button" label="Undo the last turn's file edits" disabled={streaming || !hasMessages} onClick={() => void askUndo()} />
          <IconButton icon="history" testId="history-button" label={historyOpen ? 'Close the session history' : 'Show the session history'}
            title="Session history" pressed={historyOpen} onClick={onToggleHistory} />
          {onTogglePlans && (
            <IconButton icon="checklist" testId="plans-button" label={plansOpen ? 'Close the plan list' : 'Show the plans (open, done, abandoned)'}
              title="Plans" pressed={plansOpen} onClick={onTogglePlans} />
          )}
          {background && onToggleBackground && <BackgroundButton bg={background} open={backgroundOpen} onToggle={onToggleBackground} />}
          {onToggleMemory && (
            <IconButton icon="database" testId="memory-button" label={memoryOpen ? 'Close the memory view' : 'Show what Cairn remembers'}
              title="Memory" pressed={memoryOpen} onClick={onToggleMemory} />
          )}
          {mcp && onToggleMcp && <McpButton store={mcp} open={mcpOpen} onToggle={onToggleMcp} />}
          <IconButton icon="add" testId="new-session-button" label="Start a new session" disabled={streaming} onClick={() => void newSession()} />
        </div>
      </div>
      {confirm && !streaming && (
        <div className="chat-header-confirm" role="alertdialog" aria-labelledby="undo-question" data-testid="undo-confirm">
          <p id="undo-question" className="chat-header-confirm-text">{undoQuestion(confirm)}</p>
          <div className="chat-header-confirm-actions">
            <Button variant="primary" testId="undo-confirm-button" icon="discard" onClick={() => void doUndo()}>Undo edits</Button>
            <Button variant="secondary" testId="undo-cancel-button" onClick={() => setConfirm(null)}>Cancel</Button>
          </div>
        </div>
      )}
      {undoNote && <div className="hint chat-header-note" role="status" data-testid="undo-note">{undoNote}</div>}
    </header>
  );
}

/** The background's header button: proactive mode's state in its tooltip, and how many notices wait. */
function BackgroundButton({ bg, open, onToggle }: { bg: BackgroundStore; open: boolean; onToggle: () => void }) {
  // The state and the notices come with the first load, so the button tells them before the panel is opened.
  useEffect(() => { if (bg.store.getState().status === 'idle') void bg.actions.load(); }, [bg]);
  const status = useStore(bg.store, (s) => s.proactive?.status ?? 'off');
  const count = useStore(bg.store, (s) => s.notices.length);
  const state = status === 'over_budget' ? 'over budget' : status;
  const label = `${open ? 'Close' : 'Show'} proactive mode and notices (proactive: ${state}${count ? `, ${count} notice${count === 1 ? '' : 's'}` : ''})`;
  return (
    <span className="background-button" data-testid="background-button-wrap" data-status={status}>
      <IconButton icon={count ? 'bell-dot' : 'bell'} testId="background-button" label={label} title={label} pressed={open} onClick={onToggle} />
      {count > 0 && <span className="background-count" data-testid="background-count" aria-hidden="true">{count}</span>}
    </span>
  );
}
