import { memo } from 'react';
import type { Block, ChatMessage } from '../../protocol';
import { Tag } from '../../ui';
import { formatDuration, toolStatusLabel } from './labels';

/** One message. Memoised by identity: the reducer replaces only the message a delta touched. */
export const MessageItem = memo(function MessageItem({ message }: { message: ChatMessage }) {
  const author = message.role === 'user' ? 'You' : 'Cairn';
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.status}
      aria-label={`${author}${message.status === 'streaming' ? ' (writing)' : ''}`}
    >
      <div className="message-author" aria-hidden="true">{author}</div>
      {message.blocks.map((block, i) => <BlockView key={blockKey(block, i)} block={block} />)}
      {message.status === 'incomplete' && <p className="message-note">The response was cut off before it finished.</p>}
      {message.status === 'error' && <p className="message-note message-note-error">This response failed.</p>}
    </article>
  );
});

function blockKey(block: Block, i: number): string {
  return block.type === 'tool_use' ? `tool:${block.id}` : `${block.type}:${i}`;
}

const BlockView = memo(function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case 'text':
      return <div className="block-text">{block.text}</div>;
    case 'thinking':
      return (
        <details className="block-thinking" data-testid="thinking">
          <summary>Thinking</summary>
          <div className="block-text">{block.text}</div>
        </details>
      );
    case 'tool_use':
      return (
        <div className="tool-card" data-testid="tool-card" data-status={block.status} role="group" aria-label={`Tool ${block.name}: ${toolStatusLabel(block.status)}`}>
          <div className="tool-card-head">
            <span className="tool-name">{block.name}</span>
            <span className="tool-meta">
              {block.durationMs !== undefined && <span className="tool-duration">{formatDuration(block.durationMs)}</span>}
              <Tag className={`tool-status tool-status-${block.status}`}>{toolStatusLabel(block.status)}</Tag>
            </span>
          </div>
          {block.inputJson !== '' && (
            <details className="tool-input">
              <summary>Input</summary>
              <pre>{prettyJson(block.inputJson, block.status === 'streaming')}</pre>
            </details>
          )}
          {block.output !== undefined && (
            <details className="tool-output" data-testid="tool-output">
              <summary>Output</summary>
              <pre>{block.output}</pre>
            </details>
          )}
        </div>
      );
  }
});

function prettyJson(text: string, partial: boolean): string {
  if (partial) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
