import { useCallback } from 'react';
import { messageAt, useActions, useChat, type MessageLog } from '../../store';
import { Icon } from '../../ui';
import { VirtualList } from '../virtual/VirtualList';
import { EXAMPLE_PROMPTS } from './examples';
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
      empty={<EmptyState />}
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

/** No messages yet: what Cairn is for, three prompts to start from (they fill the composer), the keys; in the demo, what it is. */
function EmptyState() {
  const { fillComposer } = useActions();
  const demo = useChat((s) => s.auth.status === 'demo');
  return (
    <div className="empty-state" data-testid="empty-state">
      <Icon name="comment-discussion" className="empty-state-icon" />
      <p className="empty-state-title">Ask Cairn about this workspace, or give it a task.</p>
      <p className="empty-state-sub">It reads, edits and runs commands here, asking first for anything that changes things.</p>
      {demo && (
        <p className="empty-state-sub hint" data-testid="demo-hint">
          This is the offline demo: its replies are scripted, on the sample workspace. Each example below starts a part of the tour.
        </p>
      )}
      <ul className="example-prompts" aria-label="Example prompts">
        {EXAMPLE_PROMPTS.map((e) => (
          <li key={e.text}>
            <button type="button" className="example-prompt" data-testid="example-prompt" onClick={() => fillComposer(e.text)}>
              <Icon name={e.icon} />
              <span>{e.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
