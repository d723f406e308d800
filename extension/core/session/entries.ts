/**
 * The transcript format: `.agent/sessions/<id>.jsonl`, one JSON object per line, appended whole.
 * History is rebuilt from `msg` entries exactly as the live runtime built it; tool results are logged one
 * by one as they finish, so a crash mid-tools never re-runs a finished tool.
 */
import type { ApiMessage } from '../providers/types';
import type { ErrorInfo, StopReason, Usage } from '../../protocol/model';

export const TRANSCRIPT_VERSION = 1;

export type TranscriptEntry =
  | { t: 'meta'; v: number; id: string; createdAt: number; model: string; cwd?: string }
  | { t: 'title'; title: string }
  /** A message appended to the API history (user text, assistant response, or tool results). */
  | { t: 'msg'; ts: number; uiId?: string; role: ApiMessage['role']; content: Exclude<ApiMessage['content'], string>; stopReason?: string | null; usage?: Usage; costUsd?: number; attachments?: Array<{ kind: string; label: string }> }
  /** An assistant response cut off mid-stream: shown in the UI as incomplete, never part of the history. */
  | { t: 'partial'; ts: number; uiId: string; text: string; reason: string }
  | { t: 'tool_start'; ts: number; toolUseId: string; name: string }
  | { t: 'tool_result'; ts: number; toolUseId: string; content: string; isError: boolean; status: 'done' | 'error' | 'interrupted'; durationMs: number }
  | { t: 'retry'; ts: number; attempt: number; delayMs: number; error: ErrorInfo }
  | { t: 'turn_end'; ts: number; stop: StopReason; error?: ErrorInfo | null }
  /** The context meter after a request (tokens in context, the window, where compaction starts). */
  | { t: 'context'; ts: number; context: { tokens: number; window: number; compactAt: number } };

export type EntryType = TranscriptEntry['t'];
