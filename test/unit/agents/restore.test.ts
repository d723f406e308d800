// A reopened session's finished subagents come back from their `agent` results in the transcript (their cards
// survive an editor restart); anything malformed in the transcript is skipped, never trusted as-is.
import { describe, expect, it } from 'vitest';
import { finishedSubagents } from '../../../extension/core/agents/restore';
import type { TranscriptEntry } from '../../../extension/core/session/entries';

const result = (toolUseId: string, display: Record<string, unknown> | undefined): TranscriptEntry => ({
  t: 'tool_result', ts: 1, toolUseId, content: 'x', isError: false, status: 'done', durationMs: 5, ...(display ? { display } : {}),
});
const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 2 };

describe('finishedSubagents', () => {
  it('reads each subagent\'s last status from its result; skips other results and malformed ones', () => {
    const entries: TranscriptEntry[] = [
      result('t1', { subagent: { agentId: 'a1', type: 'explore', description: 'Find it', state: 'completed', toolCount: 3, usage, costUsd: 0.01, transcript: '.agent/sessions/s/agents/a1.jsonl', report: 'found' } }),
      result('t2', { path: 'src/a.ts' }),
      result('t3', undefined),
      result('t4', { subagent: { agentId: 'a4', type: 'plan', state: 'running', transcript: 'x' } }),
      result('t5', { subagent: { agentId: 'a5', type: 'verify', state: 'error', toolCount: -2, usage: { inputTokens: 'lots' }, transcript: 'y', report: 'r'.repeat(9_000) } }),
    ];
    const got = finishedSubagents(entries);
    expect(got).toEqual([
      { agentId: 'a1', toolUseId: 't1', type: 'explore', description: 'Find it', depth: 1, state: 'completed', toolCount: 3, usage, costUsd: 0.01, report: 'found', transcript: '.agent/sessions/s/agents/a1.jsonl' },
      { agentId: 'a5', toolUseId: 't5', type: 'verify', description: 'verify', depth: 1, state: 'error', toolCount: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, report: 'r'.repeat(4_000), transcript: 'y' },
    ]);
  });
});
