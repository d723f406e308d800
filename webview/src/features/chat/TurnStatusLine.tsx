import { useActions, useChat } from '../../store';
import { Button, Icon } from '../../ui';
import { assistantName, canContinue, errorTitle, stopNote } from './labels';

/**
 * Under the conversation: who is responding, that the turn waits for the user (an approval or a review: then
 * nothing spins), a pending retry, or why the last task stopped.
 */
export function TurnStatusLine() {
  const streaming = useChat((s) => s.turn === 'streaming');
  const retrying = useChat((s) => s.retrying);
  const waitingFor = useChat((s) => (s.approvals.length > 0 ? 'approval' : s.reviews.length > 0 ? 'review' : null));
  const who = useChat((s) => assistantName(s.auth));
  const note = useChat((s) => (s.turn === 'idle' ? stopNote(s.stopReason) : null));
  const continuable = useChat((s) => s.turn === 'idle' && canContinue(s.stopReason));
  const { continueTask } = useActions();

  if (streaming) {
    const label = waitingFor !== null
      ? `Waiting for your ${waitingFor}`
      : retrying
        ? `${errorTitle(retrying.error.kind)}: retrying in ${Math.ceil(retrying.delayMs / 1000)} s (attempt ${retrying.attempt} of ${retrying.maxAttempts})…`
        : `${who} is responding…`;
    return (
      <div className={waitingFor ? 'streaming-indicator streaming-indicator-waiting' : 'streaming-indicator'} role="status"
        data-testid="streaming-indicator" data-retrying={retrying !== null} data-waiting={waitingFor ?? undefined}>
        <Icon name={waitingFor ? 'bell' : retrying ? 'sync' : 'loading'} spin={waitingFor === null} className="streaming-icon" />
        <span className="streaming-label">{label}</span>
      </div>
    );
  }
  if (note !== null) {
    return (
      <div className="stop-note" data-testid="stop-note">
        <Icon name="debug-pause" className="stop-note-icon" />
        <span>{note}</span>
        {continuable && <Button variant="secondary" testId="continue-button" icon="debug-continue" onClick={() => void continueTask()}>Continue</Button>}
      </div>
    );
  }
  return null;
}
