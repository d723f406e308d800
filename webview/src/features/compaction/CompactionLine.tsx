import { useState } from 'react';
import { useActions, useChat } from '../../store';
import { Button, Icon } from '../../ui';
import { formatTokens } from '../chat/labels';
import { strategyLabel } from './CompactionDivider';

/**
 * The meter's compaction line: what context management is doing (compacting now, close to the mark, failed,
 * switched off), the last compaction with its figures, and "Compact now". Session notes fold out below.
 */
export function CompactionLine() {
  const status = useChat((s) => s.compaction);
  const busy = useChat((s) => s.turn === 'streaming');
  const hasMessages = useChat((s) => s.messages.length > 1);
  const { compact, sessionNotes } = useActions();
  const [notes, setNotes] = useState<{ text?: string; updated?: number } | null | undefined>(undefined);
  if (!status) return null;
  const running = status.state === 'running';
  const tone = status.state === 'failed' || status.state === 'disabled' ? 'error' : status.state === 'warning' ? 'warning' : 'info';
  const loadNotes = async () => setNotes(await sessionNotes());
  return (
    <div className={`compaction-line compaction-${tone}`} data-testid="compaction-line" data-state={status.state} role="status" aria-live="polite">
      {running && <span className="compaction-state"><Icon name="loading" spin /> Compacting ({strategyLabel(status.strategy ?? '').toLowerCase()})…</span>}
      {status.state === 'warning' && <span className="compaction-state" data-testid="compaction-warning"><Icon name="warning" /> {status.message ?? 'The context is nearly full.'} It will compact automatically{status.auto ? '' : ' — automatic compaction is off'}.</span>}
      {(status.state === 'failed' || status.state === 'disabled') && <span className="compaction-state" data-testid="compaction-error"><Icon name="error" /> {status.message}</span>}
      {status.state === 'idle' && status.last && (
        <span className="compaction-state" data-testid="compaction-last" title={status.last.dropped.join('\n')}>
          <Icon name="fold" /> Last: {strategyLabel(status.last.strategy).toLowerCase()}, {formatTokens(status.last.before)} → {formatTokens(status.last.after)} tokens
        </span>
      )}
      {status.state === 'idle' && !status.last && <span className="compaction-state compaction-quiet">{status.auto ? 'Compacts automatically near the mark' : 'Automatic compaction is off'}</span>}
      <span className="compaction-actions">
        <Button variant="secondary" testId="compact-now" icon="fold" title="Summarise the conversation now (/compact)" disabled={busy || running || !hasMessages} onClick={() => void compact()}>Compact now</Button>
        <Button variant="secondary" testId="session-notes" icon="note" title="The session notes (what compaction uses first)" onClick={() => void (notes === undefined ? loadNotes() : setNotes(undefined))}>Notes</Button>
      </span>
      {notes !== undefined && (
        <div className="session-notes" data-testid="session-notes-text">
          {notes?.text ? <pre className="compaction-text" tabIndex={0}>{notes.text}</pre> : <p className="compaction-quiet">No session notes yet: they are written once the conversation has grown.</p>}
        </div>
      )}
    </div>
  );
}
