/**
 * Which turn "undo" restores, named for the user: the newest turn with a checkpoint not yet undone, matched to
 * the prompt that started it. Checkpoint ids are taken right after the prompt is recorded (never less than
 * its timestamp, always less than the next prompt's), so the prompt of a turn is the last one at or before it.
 */
import type { TranscriptEntry } from './entries';
import { SYNTHETIC_PREFIX } from './view';

export interface UndoTarget {
  /** The checkpoint id. */
  turn: number;
  /** The first line of the prompt that started the turn (cut to 80 characters); '' when not found. */
  prompt: string;
  /** How many prompts came after it: 0 when it is the last turn. */
  turnsAgo: number;
}

/** The prompts of a session (the user's own messages, not tool results), oldest first. */
function prompts(entries: readonly TranscriptEntry[]): Array<{ ts: number; text: string }> {
  const out: Array<{ ts: number; text: string }> = [];
  for (const e of entries) {
    if (e.t !== 'msg' || e.role !== 'user' || e.uiId === undefined) continue;
    const text = e.content.map((b) => (b.type === 'text' && !b.text.startsWith(SYNTHETIC_PREFIX) ? b.text : '')).join('').trim();
    out.push({ ts: e.ts, text });
  }
  return out;
}

export function firstLine(text: string, max = 80): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function undoTarget(entries: readonly TranscriptEntry[], checkpointTurns: readonly number[], undone: ReadonlySet<number>): UndoTarget | undefined {
  const turn = checkpointTurns.filter((t) => !undone.has(t)).sort((a, b) => a - b).at(-1);
  if (turn === undefined) return undefined;
  const ps = prompts(entries);
  let i = -1;
  for (let k = ps.length - 1; k >= 0; k--) if (ps[k]!.ts <= turn) { i = k; break; }
  return { turn, prompt: i >= 0 ? firstLine(ps[i]!.text) : '', turnsAgo: i >= 0 ? ps.length - 1 - i : 0 };
}
