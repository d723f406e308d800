// What the demo brain knows of a request: only the request itself, as a model would. The current task is the
// last user message that is not a tool result; each assistant turn since then is a step, with its tool calls and
// the results they got. The brain never looks at the disk: every fact it states comes from these results.
import { createHash } from 'node:crypto';
import { mergeMessages } from '../prompt';

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** The tool_result that answered the call (absent while the request is being made for another reason). */
  result?: { text: string; isError: boolean };
}

/** One assistant turn of the current task and the results of its calls. */
export interface Step {
  text: string;
  calls: ToolCall[];
}

export interface Task {
  /** What the user typed to start the task (the last text block of that message; attachments come before it). */
  typed: string;
  /** The assistant turns since, oldest first. */
  steps: Step[];
  /** Names of the tools the request offers (the brain calls only those). */
  tools: ReadonlySet<string>;
  /** A hash of the whole conversation: the same for the same request, different for any other. */
  key: string;
}

type Block = { type?: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown; tool_use_id?: unknown; content?: unknown; is_error?: unknown };

const blocksOf = (content: unknown[]): Block[] => content.filter((b): b is Block => typeof b === 'object' && b !== null);

/** The text of a tool_result's content (a string, or text blocks). */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return blocksOf(content).filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n');
}

export function readTask(body: Record<string, unknown>): Task {
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const tools = new Set((Array.isArray(body.tools) ? body.tools : []).map((t) => String((t as { name?: unknown }).name ?? '')));
  const key = createHash('sha256').update(JSON.stringify(body.messages ?? null)).digest('hex').slice(0, 12);
  let start = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user' && !blocksOf(m.content).some((b) => b.type === 'tool_result')) { start = i; break; }
  }
  if (start < 0) return { typed: '', steps: [], tools, key };
  const texts = blocksOf(messages[start]!.content).filter((b) => b.type === 'text' && typeof b.text === 'string');
  const typed = String(texts.at(-1)?.text ?? '');
  const steps: Step[] = [];
  for (let i = start + 1; i < messages.length; i++) {
    const m = messages[i]!;
    const blocks = blocksOf(m.content);
    if (m.role === 'assistant') {
      steps.push({
        text: blocks.filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join('\n'),
        calls: blocks.filter((b) => b.type === 'tool_use').map((b) => ({ id: String(b.id ?? ''), name: String(b.name ?? ''), input: (b.input ?? {}) as Record<string, unknown> })),
      });
      continue;
    }
    const step = steps.at(-1);
    for (const b of blocks) {
      if (b.type !== 'tool_result') continue;
      const call = step?.calls.find((c) => c.id === b.tool_use_id);
      if (call) call.result = { text: resultText(b.content), isError: b.is_error === true };
    }
  }
  return { typed, steps, tools, key };
}

/** Every call of the task so far, oldest first (optionally of one tool). */
export function callsOf(task: Task, name?: string): ToolCall[] {
  return task.steps.flatMap((s) => s.calls).filter((c) => name === undefined || c.name === name);
}

/** The calls of the latest step (what the brain must react to now). */
export function lastCalls(task: Task): ToolCall[] {
  return task.steps.at(-1)?.calls ?? [];
}
