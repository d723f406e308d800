import { useChat } from '../../store';
import { MessageItem } from './MessageItem';
import { useStickToBottom } from './useStickToBottom';

/** The conversation: a polite live log (busy while a reply streams, so readers announce it whole). */
export function MessageList() {
  const messages = useChat((s) => s.messages);
  const streaming = useChat((s) => s.turn === 'streaming');
  const { ref, onScroll } = useStickToBottom(messages);

  return (
    <div
      ref={ref}
      className="message-list"
      data-testid="message-list"
      role="log"
      aria-live="polite"
      aria-busy={streaming}
      aria-label="Conversation"
      tabIndex={0}
      onScroll={onScroll}
    >
      {messages.length === 0 ? (
        <div className="empty-state" data-testid="empty-state">
          <p>Ask Cairn about this workspace, or give it a task.</p>
          <p className="hint">Enter sends · Shift+Enter adds a line</p>
        </div>
      ) : (
        messages.map((m) => <MessageItem key={m.id} message={m} />)
      )}
    </div>
  );
}
