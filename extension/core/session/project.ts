/**
 * The history projection: transcript entries -> the API messages the next request is built from.
 *
 * A fold over the log. Each `msg` entry becomes one history item (its entry id, role and content); other entry
 * types may transform the items at their position through a step (the compaction strategies register theirs: a
 * boundary replaces what came before it with a summary, a snip stubs a superseded result...). A step receives the
 * items so far and returns new ones, never mutating the old. The API messages are the items merged so roles
 * alternate (consecutive messages of one role merge; tool results lead a user message). Live sessions fold
 * incrementally (`HistoryProjection`); a resumed session folds the same entries from the start and gets the same
 * messages.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage } from '../providers/types';
import type { ContentList, EntryType, TranscriptEntry } from './entries';
import { COMPACTION_STEPS } from '../compaction/steps';

export type ContentParam = Anthropic.ContentBlockParam;

/** One message of the history as the log recorded it (before merging). */
export interface HistoryItem {
  /** The msg entry's id (older transcripts without ids get `#<n>`, the n-th msg entry). */
  id: string;
  role: ApiMessage['role'];
  content: readonly ContentParam[];
}

/** A transformation of the history at an entry's position. Must not mutate its input. */
export type ProjectionStep = (items: readonly HistoryItem[], entry: TranscriptEntry) => HistoryItem[];

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

/** The API messages of a list of items. */
export function mergeItems(items: readonly HistoryItem[]): ApiMessage[] {
  let out: ApiMessage[] = [];
  for (const it of items) out = appendInPlace(out, it.role, it.content);
  return out;
}

function appendInPlace(out: ApiMessage[], role: ApiMessage['role'], content: readonly ContentParam[]): ApiMessage[] {
  const last = out[out.length - 1];
  if (last && last.role === role) { out[out.length - 1] = appended([last], role, content)[0]!; return out; }
  out.push({ role, content: [...content] } as ApiMessage);
  return out;
}

/** The tool_use blocks of the last assistant message that no later user message answers. */
export function unansweredToolUses(history: readonly ApiMessage[]): Anthropic.ToolUseBlockParam[] {
  const last = history[history.length - 1];
  if (!last || last.role !== 'assistant' || typeof last.content === 'string') return [];
  return last.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
}

/**
 * The fold kept up to date as entries are appended (what a live session does; a resume folds from the start).
 * Its own arrays grow in place; what it hands out are copies, and a message object, once handed out, is never
 * changed (a merge replaces the last message with a new object).
 */
export class HistoryProjection {
  private items: HistoryItem[] = [];
  private merged: ApiMessage[] = [];
  private ordinal = 0;
  /** The compaction strategies' steps are always applied: a compacted transcript projects compacted. */
  constructor(private readonly steps: ProjectionSteps = COMPACTION_STEPS) {}

  apply(entry: TranscriptEntry): void {
    if (entry.t === 'msg') {
      const item: HistoryItem = { id: entry.id ?? `#${this.ordinal}`, role: entry.role, content: entry.content as ContentList };
      this.ordinal++;
      this.items.push(item);
      appendInPlace(this.merged, item.role, item.content);
      return;
    }
    const step = this.steps[entry.t];
    if (!step) return;
    this.items = step(this.items, entry);
    this.merged = mergeItems(this.items);
  }

  /** The history now (a fresh array; its messages are never mutated afterwards). */
  messages(): ApiMessage[] { return this.merged.slice(); }
  /** The items now (before merging), for context management. */
  history(): readonly HistoryItem[] { return this.items.slice(); }
  get length(): number { return this.merged.length; }
  last(): ApiMessage | undefined { return this.merged[this.merged.length - 1]; }
}

/** The whole fold (what a resumed session does). */
export function projectHistory(entries: readonly TranscriptEntry[], steps: ProjectionSteps = COMPACTION_STEPS): ApiMessage[] {
  const p = new HistoryProjection(steps);
  for (const e of entries) p.apply(e);
  return p.messages();
}

/** The items of the whole fold. */
export function projectItems(entries: readonly TranscriptEntry[], steps: ProjectionSteps = COMPACTION_STEPS): readonly HistoryItem[] {
  const p = new HistoryProjection(steps);
  for (const e of entries) p.apply(e);
  return p.history();
}
