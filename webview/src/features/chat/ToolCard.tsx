import { memo } from 'react';
import type { Block } from '../../protocol';
import { Tag } from '../../ui';
import { formatDuration, toolStatusLabel } from './labels';

type ToolBlock = Extract<Block, { type: 'tool_use' }>;

/** Tools that only look: their cards start collapsed (the input and output are one click away). */
const READ_TOOLS = new Set(['read_file', 'list_files', 'glob', 'grep', 'get_diagnostics', 'editor_context', 'todo']);

/** A tool call: name, a one-line summary of its input, status and duration; input and output on demand. */
export const ToolCard = memo(function ToolCard({ block }: { block: ToolBlock }) {
  const read = READ_TOOLS.has(block.name);
  const summary = inputSummary(block.inputJson);
  return (
    <div className="tool-card" data-testid="tool-card" data-tool={block.name} data-status={block.status} role="group" aria-label={`Tool ${block.name}: ${toolStatusLabel(block.status)}`}>
      <div className="tool-card-head">
        <span className="tool-name">{block.name}</span>
        {summary && <span className="tool-summary" title={summary}>{summary}</span>}
        <span className="tool-meta">
          {block.durationMs !== undefined && <span className="tool-duration">{formatDuration(block.durationMs)}</span>}
          <Tag className={`tool-status tool-status-${block.status}`}>{toolStatusLabel(block.status)}</Tag>
        </span>
      </div>
      {block.inputJson !== '' && (
        <details className="tool-input" open={!read && block.status !== 'done' ? true : undefined}>
          <summary>Input</summary>
          <pre>{prettyJson(block.inputJson, block.status === 'streaming')}</pre>
        </details>
      )}
      {block.output !== undefined && (
        <details className="tool-output" data-testid="tool-output" open={!read && block.status === 'error' ? true : undefined}>
          <summary>Output</summary>
          <pre>{block.output}</pre>
        </details>
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
  for (const k of ['path', 'file_path', 'command', 'pattern', 'query', 'glob']) {
    if (typeof o[k] === 'string') return (o[k] as string).slice(0, 200);
  }
  return '';
}

function prettyJson(text: string, partial: boolean): string {
  if (partial) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
