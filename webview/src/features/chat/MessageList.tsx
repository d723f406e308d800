import { useCallback } from 'react';
import { messageAt, useChat, type MessageLog } from '../../store';
import { VirtualList } from '../virtual/VirtualList';
import { MessageItem } from './MessageItem';

/**
 * The conversation: a polite live log (busy while a reply streams, so readers announce it whole), windowed so
 * a 5,000-message session keeps only the messages near the viewport in the DOM.
 */
export function MessageList() {
  const messages = useChat((s) => s.messages);
  const streaming = useChat((s) => s.turn === 'streaming');
  const pinKey = useChat((s) => lastUserIndex(s.messages));
  const itemKey = useCallback((i: number) => messageAt(messages, i)?.id ?? `#${i}`, [messages]);
  const renderItem = useCallback((i: number) => {
    const m = messageAt(messages, i);
    return m ? <MessageItem message={m} /> : null;
  }, [messages]);

  return (
    <VirtualList
      className="message-list"
      testId="message-list"
      label="Conversation"
      busy={streaming}
      count={messages.length}
      itemKey={itemKey}
      renderItem={renderItem}
      pinKey={pinKey}
      empty={(
        <div className="empty-state" data-testid="empty-state">
          <p>Ask Cairn about this workspace, or give it a task.</p>
          <p className="hint">Enter sends · Shift+Enter adds a line · @ attaches files, problems or the selection</p>
        </div>
      )}
    />
  );
}

/** The position of the newest user message (looks at the last few only): sending one re-pins the list. */
function lastUserIndex(log: MessageLog): number {
  for (let i = log.length - 1; i >= Math.max(0, log.length - 4); i--) {
    if (messageAt(log, i)?.role === 'user') return i;
  }
  return -1;
}
