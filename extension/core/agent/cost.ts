/** Cost in USD from usage and the price table. */
import type { Usage } from '../providers/types';
import { modelInfo } from '../providers/models';

export function costUsd(usage: Usage, modelId: string): number | undefined {
  const m = modelInfo(modelId);
  if (!m.known) return undefined;
  const p = m.price;
  return (usage.inputTokens * p.input + usage.outputTokens * p.output + usage.cacheWriteTokens * p.cacheWrite5m + usage.cacheReadTokens * p.cacheRead) / 1_000_000;
}
