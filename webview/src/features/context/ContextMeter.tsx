import type { ReactNode } from 'react';
import type { Usage } from '../../protocol';
import { useChat } from '../../store';
import { formatCost, formatTokens } from '../chat/labels';

/** Share of input that came from the cache: cacheRead / (input + cacheRead + cacheWrite); null without input. */
export function cacheHitRate(u: Usage | null): number | null {
  if (!u) return null;
  const total = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
  return total > 0 ? u.cacheReadTokens / total : null;
}

function compact(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)}M` : n >= 1000 ? `${Math.round(n / 1000)}K` : String(n);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * One compact line: a thin bar of the tokens in context against the window (the compaction threshold is the
 * bar's "high" mark), the share used, the cache hit rate and the session's cost; the tooltip has the details,
 * and the line folds out into the full usage figures. `compaction` is a slot for compaction status and history.
 */
export function ContextMeter({ compaction }: { compaction?: ReactNode }) {
  const context = useChat((s) => s.context);
  const last = useChat((s) => s.lastRequest);
  const usage = useChat((s) => s.usage);
  const cost = useChat((s) => s.costUsd);
  const auto = useChat((s) => s.compaction?.auto ?? false);
  const lastRate = cacheHitRate(last);
  const sessionRate = cacheHitRate(usage);
  const used = context ? Math.min(1, context.tokens / context.window) : 0;
  const threshold = context ? Math.min(1, context.compactAt / context.window) : 1;
  const near = context !== null && context.tokens >= context.compactAt * 0.9;
  const tooltip = [
    context
      ? `Context: ${formatTokens(context.tokens)} of ${formatTokens(context.window)} tokens (${pct(used)}); ${auto ? `compacts automatically at ${formatTokens(context.compactAt)} (${pct(threshold)})` : 'automatic compaction is off'}`
      : 'Context: nothing sent yet',
    `Cache hit rate: ${lastRate === null ? '—' : pct(lastRate)} last request${sessionRate === null ? '' : `, ${pct(sessionRate)} session`}`,
    `Tokens: in ${formatTokens(usage.inputTokens)}, out ${formatTokens(usage.outputTokens)}, cached ${formatTokens(usage.cacheReadTokens)}`,
    ...(cost !== null ? [`Cost: ${formatCost(cost)}`] : []),
    'Click for the figures.',
  ].join('\n');
  return (
    <footer className="context-meter" data-testid="context-meter" aria-label="Context and usage">
      <details className="usage-details">
        <summary className="context-line" title={tooltip}>
          {context ? (
            <>
              <span
                className={near ? 'context-bar context-bar-near' : 'context-bar'}
                data-testid="context-bar"
                role="meter"
                aria-valuemin={0}
                aria-valuemax={context.window}
                aria-valuenow={context.tokens}
                aria-label={`Context: ${formatTokens(context.tokens)} of ${formatTokens(context.window)} tokens; compaction at ${formatTokens(context.compactAt)}`}
              >
                {/* Widths go through React's style property (CSSOM), which the webview's CSP allows. */}
                <span className="context-bar-fill" style={{ width: `${(used * 100).toFixed(1)}%` }} />
                <span className="context-bar-mark" style={{ left: `${(threshold * 100).toFixed(1)}%` }} />
              </span>
              <span className="context-text" data-testid="context-text">
                {compact(context.tokens)} / {compact(context.window)} ({pct(used)})
              </span>
            </>
          ) : (
            <span className="context-text-empty">{usage.inputTokens + usage.outputTokens === 0 ? 'No usage yet' : `${formatTokens(usage.inputTokens + usage.outputTokens)} tokens`}</span>
          )}
          {lastRate !== null && <span className="context-line-item">cache {pct(lastRate)}</span>}
          {cost !== null && <span className="context-line-item">{formatCost(cost)}</span>}
        </summary>
        <div className="usage-row" data-testid="usage-footer">
          {context && (auto ? <span data-testid="compacts-at">Compacts at {pct(threshold)} ({compact(context.compactAt)})</span> : <span data-testid="compacts-at">Automatic compaction off</span>)}
          <span title="Tokens read from the prompt cache in the last request / in this session">
            Cache <span data-testid="cache-hit-rate">{lastRate === null ? '—' : pct(lastRate)}</span>
            {sessionRate !== null && <span className="usage-sub"> (session {pct(sessionRate)})</span>}
          </span>
          <span>In <span data-testid="usage-input">{formatTokens(usage.inputTokens)}</span> · Out <span data-testid="usage-output">{formatTokens(usage.outputTokens)}</span>
            {' '}· Cached <span data-testid="usage-cache-read">{formatTokens(usage.cacheReadTokens)}</span></span>
          {cost !== null && <span>Cost <span data-testid="usage-cost">{formatCost(cost)}</span></span>}
        </div>
      </details>
      <div className="compaction-slot" data-testid="compaction-slot">{compaction}</div>
    </footer>
  );
}
