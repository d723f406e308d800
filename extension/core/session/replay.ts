/**
 * Reading a session back: its entries folded through the same projections a live session uses (the history for
 * the next request, the conversation for the panel), plus what a crash left open.
 */
import type { TranscriptEntry } from './entries';
import { projectHistory, unansweredToolUses, type ContentParam } from './project';
import { ChatView, type ToolInfo } from './view';
import { INTERRUPTED_BY_CRASH } from '../agent/tools-exec';

export { SYNTHETIC_PREFIX, PREVIEW_CHARS } from './view';

export const NOT_STARTED = 'Not run: the session stopped (the editor or process exited) before this tool started.';

/** A subagent that was working when the process died: never re-run silently (its transcript stays on disk). */
export const SUBAGENT_INTERRUPTED = 'The subagent was interrupted: the session stopped (the editor or process exited) while it was working, and it was not re-run. Its partial transcript is in .agent/sessions/<session>/agents/. Start it again if its report is still needed; check any files it may have changed first.';

export interface Recovery {
  /** tool_result entries to log for calls that were running when the process died (never re-run). */
  interrupted: Array<Extract<TranscriptEntry, { t: 'tool_result' }>>;
  /** The user message that answers every open tool call: finished ones from the log, the rest interrupted. */
  results: ContentParam[];
}

/** What a session that stopped mid-tools needs appended before it can continue; undefined when nothing is open. */
export function recoverOpenTools(entries: readonly TranscriptEntry[], now: number): Recovery | undefined {
  const open = unansweredToolUses(projectHistory(entries));
  if (!open.length) return undefined;
  const logged = new Map<string, Extract<TranscriptEntry, { t: 'tool_result' }>>();
  const started = new Set<string>();
  for (const e of entries) {
    if (e.t === 'tool_result') logged.set(e.toolUseId, e);
    else if (e.t === 'tool_start' || (e.t === 'tool_state' && e.state === 'running')) started.add(e.toolUseId);
  }
  const interrupted: Recovery['interrupted'] = [];
  const results: ContentParam[] = [];
  for (const use of open) {
    const done = logged.get(use.id);
    if (done) {
      results.push({ type: 'tool_result', tool_use_id: use.id, content: done.content, ...(done.isError ? { is_error: true } : {}) });
    } else {
      const ran = started.has(use.id);
      const content = ran ? (use.name === 'agent' ? SUBAGENT_INTERRUPTED : INTERRUPTED_BY_CRASH) : NOT_STARTED;
      interrupted.push({ t: 'tool_result', ts: now, toolUseId: use.id, content, isError: true, status: ran ? 'interrupted' : 'cancelled', durationMs: 0 });
      results.push({ type: 'tool_result', tool_use_id: use.id, content, is_error: true });
    }
  }
  return { interrupted, results };
}

/** The conversation a transcript shows (the same fold a live session runs). */
export function replayView(sessionId: string, entries: readonly TranscriptEntry[], info?: ToolInfo): ChatView {
  const view = new ChatView(sessionId, info);
  for (const e of entries) view.apply(e);
  return view;
}
