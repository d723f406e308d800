import { useActions, useChat } from '../../store';
import { Button, ProgressRing } from '../../ui';
import { assistantName, canContinue, errorTitle, stopNote } from './labels';

/** Under the conversation: who is responding, a pending retry, or why the last task stopped. */
export function TurnStatusLine() {
  const streaming = useChat((s) => s.turn === 'streaming');
  const retrying = useChat((s) => s.retrying);
  const who = useChat((s) => assistantName(s.auth));
  const note = useChat((s) => (s.turn === 'idle' ? stopNote(s.stopReason) : null));
  const continuable = useChat((s) => s.turn === 'idle' && canContinue(s.stopReason));
  const { continueTask } = useActions();

  if (streaming) {
    const label = retrying
      ? `${errorTitle(retrying.error.kind)}: retrying in ${Math.ceil(retrying.delayMs / 1000)} s (attempt ${retrying.attempt} of ${retrying.maxAttempts})…`
      : `${who} is responding…`;
    return (
      <div className="streaming-indicator" data-testid="streaming-indicator" data-retrying={retrying !== null}>
        <ProgressRing label={label} showLabel />
      </div>
    );
  }
  if (note !== null) {
    return (
      <div className="stop-note" data-testid="stop-note">
        <span>{note}</span>
        {continuable && <Button variant="secondary" testId="continue-button" onClick={() => void continueTask()}>Continue</Button>}
      </div>
    );
  }
  return null;
}
