// How the demo brain speaks: every text it writes is labelled as scripted, every final answer ends with a line
// that says what the demo is, and tool ids are derived from the conversation (deterministic, unique per state).
import type { ScriptBlock, ScriptTurn } from '../types';
import type { Task } from './conversation';

/** The label every text block of the demo starts with. */
export const SCRIPTED = '[scripted demo]';

export const FOOTER =
  '_This is the offline demo model: a script that reacts to a few requests on the sample workspace and reads the real tool results. ' +
  'With an API key (**Cairn: Set API Key**), Claude answers anything._';

/** The command the tour runs to test the sample workspace. */
export const TEST_COMMAND = 'npm test';

export interface Call { name: string; input: Record<string, unknown> }

export const call = (name: string, input: Record<string, unknown>): Call => ({ name, input });

/**
 * A step of the tour: a short labelled explanation and the tool calls it makes. No thinking blocks: their fake
 * signatures would stay in the session's history, which the real API checks if the user later adds a key.
 */
export function step(task: Task, text: string, calls: Call[]): ScriptTurn {
  const content: ScriptBlock[] = [{ type: 'text', text: `${SCRIPTED} ${text}` }];
  calls.forEach((c, i) => content.push({ type: 'tool_use', id: `toolu_demo_${task.key}_${i}`, name: c.name, input: c.input }));
  return { content };
}

/** The tour's answer to the task: labelled, with the footer. */
export function answer(text: string): ScriptTurn {
  return { content: [{ type: 'text', text: `${SCRIPTED} ${text}\n\n${FOOTER}` }], stop_reason: 'end_turn' };
}

/** Markdown inline code that survives backticks in the text. */
export function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
