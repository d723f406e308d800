// The demo brain: the offline demo model's scripted tour of Cairn on the sample workspace. For each request it
// reads the conversation (the task the user typed, the tool calls made since and their results), picks the intent
// the task matches and returns that intent's next turn; anything it does not recognise gets a list of what to try.
// It is stateless: the same request always gets the same reply, and every session follows its own conversation.
import type { ScriptTurn } from '../types';
import { contextReply, contextRequest } from './context';
import { readTask, type Task } from './conversation';
import { INTENTS, matchIntent } from './intents';
import { answer } from './say';

/** Steps after which the tour stops, whatever happens (no script runs longer). */
export const MAX_STEPS = 12;

export function demoTour(body: Record<string, unknown>): ScriptTurn {
  try {
    // Context management's side requests (a summary for /compact, the session notes) are answered, not toured.
    const side = contextRequest(body);
    if (side) return contextReply(side, body);
    return nextTurn(readTask(body));
  } catch (err) {
    return answer(`The demo's script failed on this request (${err instanceof Error ? err.message : String(err)}). Start a new session and try one of the examples.`);
  }
}

function nextTurn(task: Task): ScriptTurn {
  const intent = matchIntent(task.typed);
  if (!intent) return helpTurn(task);
  if (task.steps.length >= MAX_STEPS) return answer('The tour has run longer than any of its scripts, so it stops here. Start a new session to try again.');
  const missing = intent.tools.filter((t) => !task.tools.has(t));
  if (missing.length) return answer(`This part of the tour needs the ${missing.map((t) => `\`${t}\``).join(', ')} tool${missing.length === 1 ? '' : 's'}, which this request does not offer, so it cannot run here.`);
  return intent.next(task);
}

/** The order the fallback lists the intents in: from looking to doing, the full task last. */
export const HELP_ORDER = ['explain', 'search', 'edit', 'run', 'memory', 'fix'];

/** The fallback: what the demo is and what to try. */
export function helpTurn(task: Task): ScriptTurn {
  const greeting = /^\s*(hi|hello|hey)\b/i.test(task.typed) ? 'Hello! ' : task.typed.trim() ? 'I did not recognise that request. ' : '';
  const list = HELP_ORDER.map((id) => INTENTS.find((i) => i.id === id)).filter((i) => i !== undefined).map((i) => `- **${i.tryThis}**: ${i.shows}`).join('\n');
  return answer(`${greeting}I am the offline demo model: I follow a script on the sample workspace and understand only a few requests. Try one of these:\n\n${list}\n\n` +
    'After a few of them, type **/compact** to see the conversation compacted into a summary (the script writes it from the conversation).');
}
