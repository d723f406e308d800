// The prompt as the cache sees it: an ordered list of units (tools -> system -> messages), each with
// its token count, a running hash of the canonical serialization of the prefix ending at it, and
// the cache_control breakpoint it carries, if any.
import { createHash } from 'node:crypto';
import { blockTokens, canonicalJson, MESSAGE_OVERHEAD, REQUEST_OVERHEAD, toolTokens, withoutCacheControl } from './tokens';

export type CacheTtl = '5m' | '1h';

export interface PromptUnit {
  /** Where the unit comes from, for messages: `tools.0`, `system.1`, `messages.2.content.0`, `settings`. */
  where: string;
  tokens: number;
  /** Tokens of the prefix up to and including this unit. */
  cumTokens: number;
  /** Hash of the canonical prefix up to and including this unit (seeded with the model). */
  hash: string;
  /** Set when the unit carries cache_control (or is the target of top-level automatic caching). */
  breakpoint?: CacheTtl;
  /** Units that cannot carry a breakpoint (the settings marker) are skipped by the lookback. */
  virtual?: boolean;
}

export interface Prompt {
  units: PromptUnit[];
  /** All input tokens: the units plus REQUEST_OVERHEAD. */
  totalTokens: number;
  /** Number of cache_control markers in the request (top-level automatic caching counts as one). */
  breakpointCount: number;
}

export interface Message {
  role: string;
  content: unknown[];
}

/** String content becomes one text block. */
export function contentBlocks(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** The real API combines consecutive messages of the same role into one turn; so does the emulator. */
export function mergeMessages(messages: readonly unknown[]): Message[] {
  const out: Message[] = [];
  for (const raw of messages) {
    const m = raw as { role?: unknown; content?: unknown };
    const role = String(m.role);
    const blocks = contentBlocks(m.content);
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: [...blocks] });
  }
  return out;
}

function ttlOf(block: unknown): CacheTtl | undefined {
  if (!block || typeof block !== 'object') return undefined;
  const cc = (block as { cache_control?: { type?: string; ttl?: string } | null }).cache_control;
  if (!cc || cc.type !== 'ephemeral') return undefined;
  return cc.ttl === '1h' ? '1h' : '5m';
}

export function buildPrompt(body: Record<string, unknown>): Prompt {
  const units: PromptUnit[] = [];
  let hash = createHash('sha256').update(`model:${String(body.model)}`).digest('hex');
  let cum = 0;
  let breakpointCount = 0;
  const push = (where: string, tokens: number, canonical: string, breakpoint?: CacheTtl, virtual?: boolean) => {
    hash = createHash('sha256').update(hash).update('\u0000').update(canonical).digest('hex');
    cum += tokens;
    if (breakpoint) breakpointCount++;
    units.push({ where, tokens, cumTokens: cum, hash, ...(breakpoint ? { breakpoint } : {}), ...(virtual ? { virtual } : {}) });
  };

  const tools = Array.isArray(body.tools) ? body.tools : [];
  tools.forEach((tool, i) => push(`tools.${i}`, toolTokens(tool), `tool:${canonicalJson(withoutCacheControl(tool))}`, ttlOf(tool)));

  const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : Array.isArray(body.system) ? body.system : [];
  system.forEach((block, i) => push(`system.${i}`, blockTokens(block), `system:${canonicalJson(withoutCacheControl(block))}`, ttlOf(block)));

  // Changing tool_choice or the thinking settings invalidates the cached messages (not tools/system).
  push('settings', 0, `settings:${canonicalJson({ tool_choice: body.tool_choice ?? null, thinking: body.thinking ?? null })}`, undefined, true);

  const raw = Array.isArray(body.messages) ? body.messages : [];
  mergeMessages(raw).forEach((message, mi) => {
    message.content.forEach((block, bi) => {
      const tokens = blockTokens(block) + (bi === 0 ? MESSAGE_OVERHEAD : 0);
      const tag = bi === 0 ? `message:${message.role}:` : `block:${message.role}:`;
      push(`messages.${mi}.content.${bi}`, tokens, tag + canonicalJson(withoutCacheControl(block)), ttlOf(block));
    });
  });

  // Top-level `cache_control` (automatic caching): a breakpoint on the last cacheable block.
  const auto = ttlOf({ cache_control: body.cache_control });
  if (auto) {
    const last = [...units].reverse().find((u) => !u.virtual);
    if (last && !last.breakpoint) {
      last.breakpoint = auto;
      breakpointCount++;
    } else if (last) breakpointCount++;
  }

  return { units, totalTokens: cum + REQUEST_OVERHEAD, breakpointCount };
}
