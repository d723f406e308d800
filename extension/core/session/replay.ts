/** Rebuilds a session (API history, the UI's messages, usage) from its transcript entries. */
import type Anthropic from '@anthropic-ai/sdk';
import type { Block, ChatMessage, Usage } from '../../protocol/model';
import { appendHistory, INTERRUPTED_BY_CRASH, type ContentParam, unansweredToolUses } from '../agent/history';
import { addUsage, type ApiMessage, ZERO_USAGE } from '../providers/types';
import type { TranscriptEntry } from './entries';

export interface Replayed {
  id?: string;
  title: string;
  model?: string;
  createdAt?: number;
  history: ApiMessage[];
  messages: ChatMessage[];
  usage: Usage;
  costUsd: number;
  /** Tool results to append (logged) before continuing: finished tools from the log, the rest interrupted. */
  recoveredToolResults: ContentParam[];
  /** The context meter at the last request. */
  context?: { tokens: number; window: number; compactAt: number };
}

export const PREVIEW_CHARS = 4_000;

export function uiBlocksFromContent(content: readonly ContentParam[] | readonly Anthropic.ContentBlock[]): Block[] {
  const out: Block[] = [];
  for (const b of content) {
    if (b.type === 'text' && b.text) out.push({ type: 'text', text: b.text });
    else if (b.type === 'thinking') out.push({ type: 'thinking', text: b.thinking });
    else if (b.type === 'tool_use') out.push({ type: 'tool_use', id: b.id, name: b.name, inputJson: JSON.stringify(b.input ?? {}), status: 'pending' });
  }
  return out;
}

export function replay(entries: TranscriptEntry[]): Replayed {
  const r: Replayed = { title: 'New session', history: [], messages: [], usage: ZERO_USAGE, costUsd: 0, recoveredToolResults: [] };
  const toolBlocks = new Map<string, Extract<Block, { type: 'tool_use' }>>();
  const logged = new Map<string, Extract<TranscriptEntry, { t: 'tool_result' }>>();
  let n = 0;
  const setResult = (id: string, status: 'done' | 'error' | 'interrupted', output: string, durationMs?: number) => {
    const b = toolBlocks.get(id);
    if (!b) return;
    b.status = status;
    b.output = output.slice(0, PREVIEW_CHARS);
    if (durationMs !== undefined) b.durationMs = durationMs;
  };
  for (const e of entries) {
    switch (e.t) {
      case 'meta': r.id = e.id; r.model = e.model; r.createdAt = e.createdAt; break;
      case 'context': r.context = e.context; break;
      case 'title': r.title = e.title; break;
      case 'msg': {
        appendHistory(r.history, e.role, e.content);
        if (e.usage) r.usage = addUsage(r.usage, e.usage);
        if (e.costUsd) r.costUsd += e.costUsd;
        if (e.role === 'user') {
          const text = e.content.filter((b): b is Anthropic.TextBlockParam => b.type === 'text' && !isSynthetic(b.text));
          if (text.length) {
            const blocks: Block[] = text.map((b) => ({ type: 'text', text: b.text }));
            for (const a of e.attachments ?? []) blocks.push({ type: 'attachment', kind: a.kind, label: a.label });
            r.messages.push({ id: e.uiId ?? `m${n++}`, role: 'user', blocks, status: 'complete' });
          }
          for (const b of e.content) {
            if (b.type === 'tool_result') {
              const body = typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
              const prior = logged.get(b.tool_use_id);
              setResult(b.tool_use_id, prior?.status ?? (b.is_error ? 'error' : 'done'), body, prior?.durationMs);
            }
          }
        } else {
          const blocks = uiBlocksFromContent(e.content);
          for (const b of blocks) if (b.type === 'tool_use') toolBlocks.set(b.id, b);
          r.messages.push({ id: e.uiId ?? `m${n++}`, role: 'assistant', blocks, status: 'complete' });
        }
        break;
      }
      case 'partial':
        r.messages.push({ id: e.uiId, role: 'assistant', blocks: e.text ? [{ type: 'text', text: e.text }] : [], status: 'incomplete' });
        break;
      case 'tool_result':
        logged.set(e.toolUseId, e);
        setResult(e.toolUseId, e.status, e.content, e.durationMs);
        break;
      default: break;
    }
  }
  for (const use of unansweredToolUses(r.history)) {
    const done = logged.get(use.id);
    if (done) {
      r.recoveredToolResults.push({ type: 'tool_result', tool_use_id: use.id, content: done.content, ...(done.isError ? { is_error: true } : {}) });
    } else {
      r.recoveredToolResults.push({ type: 'tool_result', tool_use_id: use.id, content: INTERRUPTED_BY_CRASH, is_error: true });
      setResult(use.id, 'interrupted', INTERRUPTED_BY_CRASH);
    }
  }
  return r;
}

/** Texts the runtime adds on the user's behalf (continue prompts) are not shown as user messages. */
export const SYNTHETIC_PREFIX = '[cairn] ';
function isSynthetic(text: string): boolean { return text.startsWith(SYNTHETIC_PREFIX); }
