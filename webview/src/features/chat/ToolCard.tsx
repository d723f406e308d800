import { memo } from 'react';
import type { Block } from '../../protocol';
import { useChat } from '../../store';
import { Icon } from '../../ui';
import { formatDuration, toolStatusLabel } from './labels';
import { SubagentCard } from '../agents/SubagentCard';
import { ToolOrigin } from '../mcp/ToolOrigin';
import { WorkerCard } from '../agents/WorkerCard';

type ToolBlock = Extract<Block, { type: 'tool_use' }>;

/** Kinds of tools that only look: their cards start collapsed (the input and output are one click away). */
const LOOKING_KINDS = new Set(['read', 'state', 'memory']);

/** The status icon of a tool call; nothing spins while the turn waits for the user. */
function statusIcon(status: ToolBlock['status'], waiting: boolean): { name: string; spin: boolean } {
  switch (status) {
    case 'done': return { name: 'check', spin: false };
    case 'error': return { name: 'error', spin: false };
    case 'interrupted': return { name: 'circle-slash', spin: false };
    case 'cancelled': return { name: 'circle-slash', spin: false };
    case 'awaiting_approval': return { name: 'bell', spin: false };
    case 'validating': return { name: 'clock', spin: false };
    default: return waiting ? { name: 'clock', spin: false } : { name: 'loading', spin: true };
  }
}

/**
 * A tool call: one line with a status icon, the tool's name, a one-line summary of its input (a path or a
 * command) and the duration; the input and output fold out below.
 */
export const ToolCard = memo(function ToolCard({ block }: { block: ToolBlock }) {
  // A subagent's call is shown as its card while the host reports on it.
  const sub = useChat((s) => (block.name === 'agent' ? s.subagents[block.id] : undefined));
  const worker = useChat((s) => (block.name === 'start_worker' ? s.workers[block.id] : undefined));
  if (sub) return <SubagentCard status={sub} block={block} />;
  if (worker) return <WorkerCard status={worker} block={block} />;
  return <PlainToolCard block={block} />;
});

const PlainToolCard = memo(function PlainToolCard({ block }: { block: ToolBlock }) {
  const read = block.kind !== undefined && LOOKING_KINDS.has(block.kind);
  // The tool's own description of the call when the host sent it; else a summary read from the input.
  const summary = block.title ?? inputSummary(block.inputJson);
  const inFlight = block.status === 'streaming' || block.status === 'running' || block.status === 'awaiting_approval';
  const waiting = useChat((s) => inFlight && (block.status === 'awaiting_approval' || s.approvals.length > 0 || s.reviews.length > 0));
  const icon = statusIcon(block.status, waiting);
  const status = waiting ? 'waiting for you' : toolStatusLabel(block.status);
  const hasBody = block.inputJson !== '' || block.output !== undefined;
  const head = (
    <>
      <Icon name={icon.name} spin={icon.spin} className={`tool-icon tool-icon-${block.status}`} />
      <ToolOrigin name={block.name} />
      {summary && <span className="tool-summary" title={summary}>{summary}</span>}
      {block.offPlan && (
        <span className="tool-off-plan" data-testid="off-plan-flag" title={`Off plan: ${block.offPlan}`}>
          <Icon name="warning" /> off plan<span className="visually-hidden">: {block.offPlan}</span>
        </span>
      )}
      {block.durationMs !== undefined && <span className="tool-duration">{formatDuration(block.durationMs)}</span>}
      <span className="visually-hidden">, {status}</span>
    </>
  );
  return (
    <div className={`tool-card${block.offPlan ? ' tool-card-off-plan' : ''}`} data-testid="tool-card" data-tool={block.name} data-status={block.status} {...(block.offPlan ? { 'data-off-plan': 'true' } : {})} role="group" aria-label={`Tool ${block.name}: ${status}${block.offPlan ? ', off plan' : ''}`}>
      {hasBody ? (
        <details className="tool-details" open={!read && block.status === 'error' ? true : undefined}>
          <summary className="tool-card-head" title={`${block.name}: ${status}`}>
            {head}
            <Icon name="chevron-right" className="tool-chevron" />
          </summary>
          <div className="tool-body">
            {block.inputJson !== '' && (
              <div className="tool-section tool-input">
                <div className="tool-section-label">Input</div>
                <pre className="tool-pre">{prettyJson(block.inputJson, block.status === 'streaming')}</pre>
              </div>
            )}
            {block.output !== undefined && (
              <div className="tool-section tool-output" data-testid="tool-output">
                <div className="tool-section-label">Output</div>
                <pre className="tool-pre" tabIndex={0}>{block.output === '' ? '(no output)' : block.output}</pre>
              </div>
            )}
          </div>
        </details>
      ) : (
        <div className="tool-card-head" title={`${block.name}: ${status}`}>{head}</div>
      )}
    </div>
  );
});

/** The most telling field of a tool's input (a path, a command, a pattern), for the card's head line. */
export function inputSummary(inputJson: string): string {
  let input: unknown;
  try { input = JSON.parse(inputJson); } catch { return ''; }
  if (!input || typeof input !== 'object') return '';
  const o = input as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const path = str('path') ?? str('file_path');
  const pattern = str('pattern') ?? str('query') ?? str('glob');
  const text = str('command') ?? (pattern !== undefined ? (path !== undefined ? `${pattern} in ${path}` : pattern) : path) ?? '';
  return text.slice(0, 200);
}

function prettyJson(text: string, partial: boolean): string {
  if (partial) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
