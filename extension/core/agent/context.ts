/** The context meter: tokens in context at the last request, the window, and where autocompaction starts. */
import { modelInfo } from '../providers/models';
import type { Usage } from '../providers/types';

export interface ContextFigures { tokens: number; window: number; compactAt: number }

/** Output reserve: the most a reply may need (capped), kept free below the window. */
export const OUTPUT_RESERVE_CAP = 20_000;
/** A buffer below the reserve, so a compaction has room to run before the window is full. */
export const COMPACT_BUFFER = 13_000;

export function contextInfo(last: Usage, model: { id: string; maxTokens: number }, windowOverride?: number): ContextFigures {
  const window = windowOverride ?? modelInfo(model.id).contextWindow;
  const reserve = Math.min(model.maxTokens, OUTPUT_RESERVE_CAP);
  return {
    tokens: last.inputTokens + last.cacheReadTokens + last.cacheWriteTokens,
    window,
    compactAt: Math.max(1, window - reserve - COMPACT_BUFFER),
  };
}
