import { memo } from 'react';
import type { Block, SubagentStatus } from '../../protocol';
import { useActions } from '../../store';
import { Button, Icon, IconButton } from '../../ui';

type ToolBlock = Extract<Block, { type: 'tool_use' }>;

const STATE_LABEL: Record<SubagentStatus['state'], string> = {
  queued: 'waiting for a slot', running: 'working', completed: 'done', error: 'failed', aborted: 'stopped', interrupted: 'interrupted',
};

const tokens = (s: SubagentStatus) => s.usage.inputTokens + s.usage.cacheReadTokens + s.usage.cacheWriteTokens + s.usage.outputTokens;
const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

/**
 * A subagent, nested in the turn where its `agent` call sits: its type and task, live status, the tool it runs,
 * how many tools it ran, its tokens and cost, and a stop button while it works. Once it finishes it collapses into
 * its report (one click opens it).
 */
export const SubagentCard = memo(function SubagentCard({ status, block }: { status: SubagentStatus; block: ToolBlock }) {
  const { stopSubagent, openTranscript } = useActions();
  const live = status.state === 'running' || status.state === 'queued';
  const label = STATE_LABEL[status.state];
  const icon = live ? { name: 'loading', spin: true } : status.state === 'completed' ? { name: 'check', spin: false } : { name: status.state === 'error' ? 'error' : 'circle-slash', spin: false };
  const head = (
    <>
      <Icon name={icon.name} spin={icon.spin} className={`tool-icon subagent-icon-${status.state}`} />
      <span className="subagent-type">{status.type}</span>
      <span className="tool-summary" title={status.description}>{status.description}</span>
      <span className="subagent-figures" data-testid="subagent-figures">
        {status.toolCount} {status.toolCount === 1 ? 'tool' : 'tools'} · {compact(tokens(status))} tokens{status.costUsd !== undefined ? ` · $${status.costUsd.toFixed(3)}` : ''}
      </span>
      <span className="visually-hidden">, {label}</span>
    </>
  );
  return (
    <div className="tool-card subagent-card" data-testid="subagent-card" data-state={status.state} data-type={status.type} role="group" aria-label={`${status.type} subagent: ${label}`}>
      {live ? (
        <>
          <div className="tool-card-head">
            {head}
            <IconButton icon="debug-stop" label={`Stop the ${status.type} subagent`} onClick={() => void stopSubagent(status.agentId)} testId="subagent-stop" />
          </div>
          <div className="subagent-current" data-testid="subagent-current" aria-live="polite">
            {status.currentTool ? status.currentTool : status.state === 'queued' ? 'Waiting for another subagent to finish' : 'Thinking'}
          </div>
        </>
      ) : (
        <details className="tool-details">
          <summary className="tool-card-head" title={`${status.type} subagent: ${label}`}>
            {head}
            <Icon name="chevron-right" className="tool-chevron" />
          </summary>
          <div className="tool-body">
            <div className="tool-section" data-testid="subagent-report">
              <div className="tool-section-label">Report</div>
              <pre className="tool-pre" tabIndex={0}>{status.report || block.output || '(no report)'}</pre>
            </div>
            <div className="subagent-transcript">
              Transcript: {status.transcript}{' '}
              <Button variant="secondary" onClick={() => void openTranscript(status.agentId)} testId="subagent-transcript">Open (read-only)</Button>
            </div>
          </div>
        </details>
      )}
    </div>
  );
});
