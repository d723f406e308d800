import { useChat } from '../../store';
import { formatCost, formatTokens } from './labels';

/** Cumulative token usage of the session. */
export function UsageFooter() {
  const usage = useChat((s) => s.usage);
  const cost = useChat((s) => s.costUsd);
  return (
    <footer className="usage-footer" data-testid="usage-footer" aria-label="Token usage this session">
      <span>Input <span data-testid="usage-input">{formatTokens(usage.inputTokens)}</span></span>
      <span aria-hidden="true">·</span>
      <span>Output <span data-testid="usage-output">{formatTokens(usage.outputTokens)}</span></span>
      <span aria-hidden="true">·</span>
      <span>Cache read <span data-testid="usage-cache-read">{formatTokens(usage.cacheReadTokens)}</span></span>
      <span className="usage-unit">tokens</span>
      {cost !== null && (
        <>
          <span aria-hidden="true">·</span>
          <span>Cost <span data-testid="usage-cost">{formatCost(cost)}</span></span>
        </>
      )}
    </footer>
  );
}
