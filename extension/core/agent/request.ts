/**
 * Builds the request so the provider's prompt cache stays warm: tools (stable order) -> static system ->
 * dynamic system -> messages, with the rules/memory prelude as the first user content, and at most 4
 * cache breakpoints: static system, dynamic system, the last message, and the message that was last in
 * the previous request (so the next request reads what this one wrote). Nothing volatile goes in here.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage, ApiSystemBlock, ApiTool, ModelRequest } from '../providers/types';
import type { ContentParam } from '../session/project';

export interface PromptParts {
  staticSystem: string;
  /** Session-stable context (workspace facts). Changes only between sessions. */
  dynamicSystem?: string;
  /** Rules files and the memory index, sent as the first user content. */
  prelude?: string;
  tools: ApiTool[];
}

export const MAX_BREAKPOINTS = 4;
const EPHEMERAL = { type: 'ephemeral' } as const;

export function buildModelRequest(parts: PromptParts, history: readonly ApiMessage[], model: string, maxTokens: number, thinking?: ModelRequest['thinking']): ModelRequest {
  const system: ApiSystemBlock[] = [{ type: 'text', text: parts.staticSystem, cache_control: EPHEMERAL }];
  if (parts.dynamicSystem) system.push({ type: 'text', text: parts.dynamicSystem, cache_control: EPHEMERAL });
  const messages: ApiMessage[] = history.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content }) as ApiMessage);
  if (parts.prelude && messages[0]?.role === 'user') {
    messages[0] = { role: 'user', content: [{ type: 'text', text: parts.prelude }, ...(messages[0].content as ContentParam[])] };
  }
  const budget = MAX_BREAKPOINTS - system.length;
  const marks = [messages.length - 1, messages.length - 3].filter((i) => i >= 0).slice(0, Math.max(0, budget));
  for (const i of marks) messages[i] = withBreakpoint(messages[i]!);
  return { model, maxTokens, system, tools: parts.tools, messages, ...(thinking ? { thinking } : {}) };
}

function withBreakpoint(m: ApiMessage): ApiMessage {
  const content = [...(m.content as ContentParam[])];
  const lastIdx = content.length - 1;
  const last = content[lastIdx];
  if (!last || last.type === 'thinking' || last.type === 'redacted_thinking') return m;
  content[lastIdx] = { ...last, cache_control: EPHEMERAL } as ContentParam;
  return { role: m.role, content } as ApiMessage;
}

/** Count the breakpoints of a request (a test and a guard use it). */
export function countBreakpoints(req: ModelRequest): number {
  let n = 0;
  const has = (b: unknown) => Boolean(b && typeof b === 'object' && 'cache_control' in (b as object) && (b as { cache_control?: unknown }).cache_control);
  for (const t of req.tools ?? []) if (has(t)) n++;
  for (const s of req.system ?? []) if (has(s)) n++;
  for (const m of req.messages) if (Array.isArray(m.content)) for (const b of m.content as Anthropic.ContentBlockParam[]) if (has(b)) n++;
  return n;
}
