import { memo } from 'react';
import type { CompactionBlock } from '../../protocol';
import { Icon } from '../../ui';
import { formatTokens } from '../chat/labels';

const STRATEGY: Record<string, string> = {
  snip: 'Superseded results trimmed',
  microcompact: 'Old tool results cleared',
  collapse: 'Earlier work condensed',
  autocompact: 'Conversation compacted',
  reactive: 'Conversation compacted (the API said it was too long)',
  manual: 'Conversation compacted (/compact)',
};

export function strategyLabel(strategy: string): string {
  return STRATEGY[strategy] ?? `Compaction: ${strategy}`;
}

/**
 * Where context management changed what the model sees. Everything above stays in the conversation; the model
 * works from the summary (expandable here) and the recent messages.
 */
export const CompactionDivider = memo(function CompactionDivider({ block }: { block: CompactionBlock }) {
  const saved = Math.max(0, block.before - block.after);
  return (
    <div className="compaction-divider" data-testid="compaction-divider" data-strategy={block.strategy} role="separator" aria-label={`${strategyLabel(block.strategy)}: ${formatTokens(block.before)} to ${formatTokens(block.after)} tokens`}>
      <details className="compaction-details">
        <summary className="compaction-summary">
          <Icon name="fold" className="compaction-icon" />
          <span className="compaction-title">{strategyLabel(block.strategy)}</span>
          <span className="compaction-figures" data-testid="compaction-figures">{formatTokens(block.before)} → {formatTokens(block.after)} tokens{saved > 0 ? ` (−${formatTokens(saved)})` : ''}</span>
          <Icon name="chevron-right" className="compaction-chevron" />
        </summary>
        <div className="compaction-body">
          <p className="compaction-note">The messages above stay here and in the transcript; the model now works from {block.summary ? 'the summary below' : 'a lighter copy of them'}{block.source === 'notes' ? ' (from the session notes)' : ''}.</p>
          {block.dropped.length > 0 && (
            <>
              <div className="compaction-label">What the model no longer sees</div>
              <ul className="compaction-dropped">
                {block.dropped.slice(0, 50).map((d, i) => <li key={i}>{d}</li>)}
                {block.dropped.length > 50 && <li>… and {block.dropped.length - 50} more</li>}
              </ul>
            </>
          )}
          {block.summary && (
            <>
              <div className="compaction-label">Summary</div>
              <pre className="compaction-text" data-testid="compaction-summary" tabIndex={0}>{block.summary}</pre>
            </>
          )}
        </div>
      </details>
    </div>
  );
});
