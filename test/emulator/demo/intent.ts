// An intent of the demo tour: when it applies (keywords in what the user typed), what the help lists for it, and
// its script (the next turn, decided from the task's steps so far). Adding a feature to the tour is adding one.
import type { ScriptTurn } from '../types';
import type { Task } from './conversation';

export interface Intent {
  id: string;
  /** A request that triggers it, as the fallback lists it (and the unit tests check it matches). */
  tryThis: string;
  /** What it shows of Cairn, for the fallback's list. */
  shows: string;
  /** Tools without which it cannot run (the brain says so instead of calling a tool the request does not offer). */
  tools: string[];
  matches(typed: string): boolean;
  next(task: Task): ScriptTurn;
}

/** True when the text has one of the words (whole words, case-insensitive; a trailing * allows any ending). */
export function hasWord(text: string, ...words: string[]): boolean {
  return words.some((w) => new RegExp(`\\b${w.endsWith('*') ? `${esc(w.slice(0, -1))}\\w*` : `${esc(w)}\\b`}`, 'i').test(text));
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
