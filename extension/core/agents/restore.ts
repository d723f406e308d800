/**
 * A reopened session's finished subagents: their last status read back from the `agent` calls' results in the
 * transcript (each result carries its subagent's summary for the UI), so their cards come back after the editor
 * restarts. Anything malformed is skipped: a transcript is data, the card is only a view of it.
 */
import type { TranscriptEntry } from '../session/entries';
import type { SubagentStatus } from './hub';

const STATES = new Set(['completed', 'error', 'aborted', 'interrupted']);
const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);

export function finishedSubagents(entries: readonly TranscriptEntry[]): SubagentStatus[] {
  const out: SubagentStatus[] = [];
  for (const e of entries) {
    if (e.t !== 'tool_result' || !e.display || typeof e.display.subagent !== 'object' || !e.display.subagent) continue;
    const d = e.display.subagent as Record<string, unknown>;
    const agentId = str(d.agentId, 120);
    const type = str(d.type, 40);
    const state = str(d.state, 20);
    const transcript = str(d.transcript, 500);
    if (!agentId || !type || !state || !STATES.has(state) || !transcript) continue;
    const u = (d.usage ?? {}) as Record<string, unknown>;
    const report = str(d.report, 4_000);
    out.push({
      agentId, toolUseId: e.toolUseId, type, description: str(d.description, 200) ?? type, depth: 1,
      state: state as SubagentStatus['state'], toolCount: num(d.toolCount),
      usage: { inputTokens: num(u.inputTokens), outputTokens: num(u.outputTokens), cacheReadTokens: num(u.cacheReadTokens), cacheWriteTokens: num(u.cacheWriteTokens) },
      ...(typeof d.costUsd === 'number' && d.costUsd >= 0 ? { costUsd: d.costUsd } : {}),
      ...(report !== undefined ? { report } : {}), transcript,
    });
  }
  return out;
}
