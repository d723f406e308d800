// The tour's intents, in the order they are tried: the first whose keywords match what the user typed runs.
// More specific intents come first ("run the tests and fix…" is the full task, not "run").
import type { Intent } from '../intent';
import { edit } from './edit';
import { explain } from './explain';
import { fix } from './fix';
import { memory } from './memory';
import { run } from './run';
import { search } from './search';

export const INTENTS: readonly Intent[] = [fix, memory, run, edit, search, explain];

/** The intent for what the user typed, or undefined (the tour then lists what to try). */
export function matchIntent(typed: string): Intent | undefined {
  return INTENTS.find((i) => i.matches(typed));
}
