import { memo } from 'react';
import type { Block, WorkerStatus } from '../../protocol';
import { useActions } from '../../store';
import { Button, Icon, IconButton } from '../../ui';

type ToolBlock = Extract<Block, { type: 'tool_use' }>;

const STATE_LABEL: Record<WorkerStatus['state'], string> = {
  starting: 'starting', running: 'working', done: 'done', error: 'failed', stopped: 'stopped', crashed: 'crashed',
};

const tokens = (s: WorkerStatus) => s.usage.inputTokens + s.usage.cacheReadTokens + s.usage.cacheWriteTokens + s.usage.outputTokens;
const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

/**
 * A coordinator's worker, nested in the turn where its `start_worker` call sits: its task, live status, the tool
 * it runs, its tool count, tokens and cost, and a stop button while it works. Once it finishes it collapses into its
 * report and the files it changed, with its diff offered for review (again with one click) and its transcript.
 */
export const WorkerCard = memo(function WorkerCard({ status, block }: { status: WorkerStatus; block: ToolBlock }) {
  const { stopWorker, reviewWorker, openTranscript } = useActions();
  const live = status.state === 'running' || status.state === 'starting';
  const label = STATE_LABEL[status.state];
  const icon = live ? { name: 'loading', spin: true } : status.state === 'done' ? { name: 'check', spin: false } : { name: status.state === 'stopped' ? 'circle-slash' : 'error', spin: false };
  const files = status.files ?? [];
  const head = (
    <>
      <Icon name={icon.name} spin={icon.spin} className={`tool-icon subagent-icon-${status.state}`} />
      <span className="subagent-type">worker</span>
      <span className="tool-summary" title={status.description}>{status.description}</span>
      <span className="subagent-figures" data-testid="worker-figures">
        {status.toolCount} {status.toolCount === 1 ? 'tool' : 'tools'} · {compact(tokens(status))} tokens{status.costUsd !== undefined ? ` · $${status.costUsd.toFixed(3)}` : ''}
        {!live && status.files ? ` · ${files.length} ${files.length === 1 ? 'file' : 'files'}` : ''}
      </span>
      <span className="visually-hidden">, {label}</span>
    </>
  );
  return (
    <div className="tool-card subagent-card worker-card" data-testid="worker-card" data-state={status.state} role="group" aria-label={`worker ${status.description}: ${label}`}>
      {live ? (
        <>
          <div className="tool-card-head">
            {head}
            <IconButton icon="debug-stop" label={`Stop the worker: ${status.description}`} onClick={() => void stopWorker(status.workerId)} testId="worker-stop" />
          </div>
          <div className="subagent-current" data-testid="worker-current" aria-live="polite">
            {status.currentTool ? status.currentTool : status.state === 'starting' ? 'Starting in its own worktree' : 'Thinking'}
          </div>
        </>
      ) : (
        <details className="tool-details" open={status.state === 'crashed' || status.state === 'error'}>
          <summary className="tool-card-head" title={`worker: ${label}`}>
            {head}
            <Icon name="chevron-right" className="tool-chevron" />
          </summary>
          <div className="tool-body">
            {status.error && <div className="tool-section worker-error" data-testid="worker-error" role="alert">{label}: {status.error}</div>}
            {files.length > 0 && (
              <div className="tool-section" data-testid="worker-files">
                <div className="tool-section-label">Changed in its {status.isolation === 'worktree' ? 'worktree' : 'copy'} (not in your workspace until you apply them)</div>
                <ul className="worker-files">
                  {files.map((f) => <li key={f.path}><code>{f.path}</code> {f.status}{f.binary ? ' (binary)' : ` +${f.additions} −${f.deletions}`}</li>)}
                </ul>
                <div className="worker-actions">
                  <Button variant="secondary" onClick={() => void reviewWorker(status.workerId)} testId="worker-review">Review changes</Button>
                  {status.diffPath && <span className="subagent-transcript">Diff: {status.diffPath}</span>}
                </div>
              </div>
            )}
            <div className="tool-section" data-testid="worker-report">
              <div className="tool-section-label">Report</div>
              <pre className="tool-pre" tabIndex={0}>{status.report || block.output || '(no report)'}</pre>
            </div>
            {status.state === 'crashed' && <div className="subagent-transcript">Its folder is kept: {status.worktree}</div>}
            {status.transcript && <Button variant="secondary" onClick={() => void openTranscript(status.workerId)} testId="worker-transcript">Open transcript</Button>}
          </div>
        </details>
      )}
    </div>
  );
});
