import { memo } from 'react';
import type { Block, ChatMessage } from '../../protocol';
import { Markdown } from '../markdown/Markdown';
import { ToolCard } from './ToolCard';
import { UserText } from './UserText';
import { CompactionDivider } from '../compaction/CompactionDivider';

/** One message. Memoised by identity: the reducer replaces only the message a delta touched. */
export const MessageItem = memo(function MessageItem({ message }: { message: ChatMessage }) {
  if (message.role === 'system') {
    // A marker of the session itself (a compaction), not a message of either side.
    return (
      <div className="message message-system" data-testid="message" data-role="system" data-status={message.status}>
        {message.blocks.map((b, i) => (b.type === 'compaction' ? <CompactionDivider key={i} block={b} /> : null))}
      </div>
    );
  }
  const author = message.role === 'user' ? 'You' : 'Cairn';
  const attachments = message.blocks.filter((b) => b.type === 'attachment');
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.status}
      aria-label={`${author}${message.status === 'streaming' ? ' (writing)' : ''}`}
    >
      <div className="message-author" aria-hidden="true">{author}</div>
      {attachments.length > 0 && (
        <ul className="attachment-chips" aria-label="Attached">
          {attachments.map((a, i) => <li key={i} className="chip" data-testid="attachment-chip">@{a.label}</li>)}
        </ul>
      )}
      {message.blocks.map((block, i) => (block.type === 'attachment' ? null : <BlockView key={blockKey(block, i)} block={block} user={message.role === 'user'} />))}
      {message.status === 'incomplete' && <p className="message-note">The response was cut off before it finished.</p>}
      {message.status === 'error' && <p className="message-note message-note-error">This response failed.</p>}
    </article>
  );
});

function blockKey(block: Block, i: number): string {
  return block.type === 'tool_use' ? `tool:${block.id}` : `${block.type}:${i}`;
}

const BlockView = memo(function BlockView({ block, user }: { block: Block; user: boolean }) {
  switch (block.type) {
    case 'text':
      return user ? <UserText text={block.text} /> : <Markdown text={block.text} />;
    case 'thinking':
      return (
        <details className="block-thinking" data-testid="thinking">
          <summary>Thinking</summary>
          <div className="block-text">{block.text}</div>
        </details>
      );
    case 'tool_use':
      return <ToolCard block={block} />;
    default:
      return null;
  }
});
