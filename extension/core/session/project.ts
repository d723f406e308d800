/**
 * The history projection: transcript entries -> the API messages the next request is built from.
 *
 * A fold over the log. `msg` entries append to the history (consecutive messages of one role merge, so roles
 * alternate; tool results lead a user message). Other entry types may transform the history at their position
 * through a step (compaction strategies register theirs): a step receives the messages so far and returns the
 * new list, without mutating the old one. Live sessions fold incrementally (`HistoryProjection`); a resumed
 * session folds the same entries from the start and gets the same messages.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage } from '../providers/types';
import type { ContentList, EntryType, TranscriptEntry } from './entries';

export type ContentParam = Anthropic.ContentBlockParam;

/** A transformation of the history at an entry's position. Must not mutate its input. */
export type ProjectionStep = (messages: readonly ApiMessage[], entry: TranscriptEntry) => ApiMessage[];

export type ProjectionSteps = Partial<Record<EntryType | string, ProjectionStep>>;

/** Append content as a message (returns a new list; the old one and its messages are untouched). */
export function appended(history: readonly ApiMessage[], role: ApiMessage['role'], content: readonly ContentParam[]): ApiMessage[] {
  const out = history.slice();
  const last = out[out.length - 1];
  if (last && last.role === role) {
    const prev = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
    const merged = [...prev, ...content] as ContentParam[];
    // tool_result blocks must come first in a user message
    const ordered = role === 'user' ? [...merged.filter((b) => b.type === 'tool_result'), ...merged.filter((b) => b.type !== 'tool_result')] : merged;
    out[out.length - 1] = { role, content: ordered } as ApiMessage;
    return out;
  }
  out.push({ role, content: [...content] } as ApiMessage);
  return out;
}

/** The tool_use blocks of the last assistant message that no later user message answers. */
export function unansweredToolUses(history: readonly ApiMessage[]): Anthropic.ToolUseBlockParam[] {
  const last = history[history.length - 1];
  if (!last || last.role !== 'assistant' || typeof last.content === 'string') return [];
  return last.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
}

/** One step of the fold. */
export function projectEntry(history: readonly ApiMessage[], entry: TranscriptEntry, steps: ProjectionSteps = {}): readonly ApiMessage[] {
  if (entry.t === 'msg') return appended(history, entry.role, entry.content as ContentList);
  const step = steps[entry.t];
  return step ? step(history, entry) : history;
}

/** The whole fold (what a resumed session does). */
export function projectHistory(entries: readonly TranscriptEntry[], steps: ProjectionSteps = {}): ApiMessage[] {
  let h: readonly ApiMessage[] = [];
  for (const e of entries) h = projectEntry(h, e, steps);
  return h.slice();
}

/** The fold kept up to date as entries are appended (what a live session does). */
export class HistoryProjection {
  private current: readonly ApiMessage[] = [];
  constructor(private readonly steps: ProjectionSteps = {}) {}
  apply(entry: TranscriptEntry): void { this.current = projectEntry(this.current, entry, this.steps); }
  /** The history now (a fresh array; its messages are never mutated afterwards). */
  messages(): ApiMessage[] { return this.current.slice(); }
  get length(): number { return this.current.length; }
  last(): ApiMessage | undefined { return this.current[this.current.length - 1]; }
}
