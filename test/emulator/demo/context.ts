// Context management's side requests in the demo: /compact and automatic compaction ask for a summary, the
// session notes ask for notes, a collapse asks for a short record of a span. They are not tour steps: the script
// answers them with text only (never a tool call), built from the conversation itself, and says it is scripted.
import { COLLAPSE_SYSTEM, NOTES_INSTRUCTION, SUMMARY_INSTRUCTION } from '../../../extension/core/compaction/prompts';
import { mergeMessages } from '../prompt';
import type { ScriptTurn } from '../types';
import { resultText } from './conversation';
import { SCRIPTED } from './say';

export type ContextRequest = 'summary' | 'notes' | 'collapse';

type Block = { type?: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown; tool_use_id?: unknown; content?: unknown; is_error?: unknown };

const firstLine = (s: string) => s.split('\n')[0]!;
const lastText = (blocks: Block[]) => [...blocks].reverse().find((b) => b.type === 'text' && typeof b.text === 'string')?.text as string | undefined;

/** Which side request this is, if any (by the instruction the request ends with, or the collapse system prompt). */
export function contextRequest(body: Record<string, unknown>): ContextRequest | undefined {
  const system = Array.isArray(body.system) ? (body.system as Block[]).map((b) => String(b.text ?? '')).join('\n') : String(body.system ?? '');
  if (system.startsWith(firstLine(COLLAPSE_SYSTEM))) return 'collapse';
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const last = messages.at(-1);
  const text = last?.role === 'user' ? lastText(last.content as Block[]) ?? '' : '';
  if (text.startsWith(firstLine(SUMMARY_INSTRUCTION))) return 'summary';
  if (text.startsWith(firstLine(NOTES_INSTRUCTION))) return 'notes';
  return undefined;
}

interface Digest { requests: string[]; calls: string[]; failed: string[]; changed: string[]; lastStep: string }

/** What happened in the conversation: what the user asked, the tool calls and their outcomes, the files changed. */
function digest(body: Record<string, unknown>): Digest {
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const d: Digest = { requests: [], calls: [], failed: [], changed: [], lastStep: '' };
  const uses = new Map<string, { name: string; input: Record<string, unknown> }>();
  for (const m of messages) {
    const blocks = m.content as Block[];
    if (m.role === 'assistant') {
      const text = blocks.filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join(' ').trim();
      if (text) d.lastStep = text.replace(/\s+/g, ' ').slice(0, 240);
      for (const b of blocks) if (b.type === 'tool_use') uses.set(String(b.id), { name: String(b.name), input: (b.input ?? {}) as Record<string, unknown> });
      continue;
    }
    const results = blocks.filter((b) => b.type === 'tool_result');
    for (const r of results) {
      const u = uses.get(String(r.tool_use_id));
      if (!u) continue;
      const key = ['path', 'command', 'pattern', 'slug'].map((k) => u.input[k]).find((v): v is string => typeof v === 'string');
      const what = key ? `${u.name} ${key}` : u.name;
      d.calls.push(what);
      if (r.is_error === true) d.failed.push(`${what}: ${firstLine(resultText(r.content)).slice(0, 160)}`);
      else if (u.name === 'edit_file' || u.name === 'write_file') d.changed.push(String(u.input.path));
    }
    const typed = results.length ? undefined : lastText(blocks);
    if (typed && !typed.startsWith('[cairn]')) d.requests.push(typed.replace(/\s+/g, ' ').slice(0, 200));
  }
  return d;
}

const list = (items: string[], none: string) => (items.length ? items.map((i) => `- ${i}`).join('\n') : `- ${none}`);

/** The reply to a side request: text only, labelled, from the digest of the conversation. */
export function contextReply(kind: ContextRequest, body: Record<string, unknown>): ScriptTurn {
  const d = digest(body);
  const changed = [...new Set(d.changed)];
  const note = `${SCRIPTED} Written by the demo's script from the conversation (a model would write a richer one).`;
  if (kind === 'collapse') {
    return { text: `${note}\n${d.calls.length ? `Tool calls: ${d.calls.join('; ')}.` : 'No tool calls.'}${changed.length ? ` Changed: ${changed.join(', ')}.` : ''}`, stop_reason: 'end_turn' };
  }
  if (kind === 'notes') {
    return {
      text: [note, '## Current task', d.requests.at(-1) ?? 'None yet.', '## Decisions', '- The offline demo follows its script; nothing was decided beyond it.',
        '## Files', list(changed.map((f) => `${f} (changed)`), 'none changed'), '## Errors and fixes', list(d.failed, 'none'), '## Next step', 'Wait for the next request.'].join('\n'),
      stop_reason: 'end_turn',
    };
  }
  return {
    text: [
      '<summary>', note, '',
      `1. Primary request and intent: ${d.requests.at(-1) ?? 'none yet'}.`,
      '2. Key technical concepts: the sample workspace (JavaScript, tests run by npm test with Node\'s test runner).',
      `3. Files and code:\n${list(changed.map((f) => `${f} was changed`), 'no file was changed')}`,
      `4. Errors and fixes:\n${list(d.failed, 'no tool call failed')}`,
      `5. Problem solving: ${d.calls.length} tool call${d.calls.length === 1 ? '' : 's'}: ${d.calls.join('; ') || 'none'}.`,
      `6. All user messages:\n${list(d.requests, 'none')}`,
      '7. Pending tasks: none the script knows of.',
      `8. Current work: ${d.lastStep || 'nothing yet'}`,
      '9. Next step: none; the demo waits for the next request.',
      '</summary>',
    ].join('\n'),
    stop_reason: 'end_turn',
  };
}
