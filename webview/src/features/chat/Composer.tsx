import { useRef, useState, type KeyboardEvent } from 'react';
import { useActions, useChat } from '../../store';
import { Button, TextArea } from '../../ui';

/** The protocol's limit for one message. */
const MAX_CHARS = 200_000;

/** Enter sends, Shift+Enter adds a line, Escape stops a running reply. */
export function Composer() {
  const streaming = useChat((s) => s.turn === 'streaming');
  const actionError = useChat((s) => s.actionError);
  const { send, stop, dismissActionError } = useActions();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const tooLong = text.length > MAX_CHARS;
  const canSend = text.trim() !== '' && !tooLong && !streaming && !sending;

  const submit = async () => {
    if (!canSend) return;
    const sent = text;
    setSending(true);
    const ok = await send(sent);
    setSending(false);
    // Keep whatever the user typed meanwhile; keep the text when sending failed.
    if (ok) setText((current) => (current === sent ? '' : current));
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && streaming) {
      e.preventDefault();
      void stop();
    }
  };

  return (
    <form className="composer" aria-label="Message composer" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      {actionError !== null && (
        <div className="inline-error" role="alert" data-testid="action-error">
          <span>{actionError}</span>
          <Button variant="icon" label="Dismiss" testId="dismiss-action-error" onClick={dismissActionError}>✕</Button>
        </div>
      )}
      <TextArea
        ref={inputRef}
        value={text}
        onChange={setText}
        onKeyDown={onKeyDown}
        label="Message Cairn"
        placeholder={streaming ? 'Cairn is working… (Escape stops)' : 'Ask Cairn or describe a task'}
        testId="composer-input"
        describedBy="composer-hint"
      />
      <div className="composer-bar">
        <span id="composer-hint" className={tooLong ? 'hint hint-error' : 'hint'}>
          {tooLong ? `Too long: ${text.length.toLocaleString('en-US')} of ${MAX_CHARS.toLocaleString('en-US')} characters` : 'Enter to send, Shift+Enter for a new line'}
        </span>
        {streaming && (
          <Button variant="secondary" testId="stop-button" label="Stop the response" onClick={() => void stop()}>Stop</Button>
        )}
        <Button variant="primary" testId="send-button" disabled={!canSend} onClick={() => void submit()}>Send</Button>
      </div>
    </form>
  );
}
