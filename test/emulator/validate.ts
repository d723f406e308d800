// Request validation with the real API's status codes, error types and (close to real) messages.
import type { IncomingHttpHeaders } from 'node:http';
import { contentBlocks } from './prompt';
import type { ApiError } from './types';

const COMMON_FIELDS = [
  'model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'cache_control', 'output_config',
  'context_management', 'mcp_servers', 'container', 'speed', 'diagnostics',
];
export const MESSAGES_FIELDS = new Set([
  ...COMMON_FIELDS, 'max_tokens', 'stream', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'metadata',
  'service_tier', 'inference_geo', 'user_profile_id', 'workspace_id',
]);
export const COUNT_TOKENS_FIELDS = new Set(COMMON_FIELDS);

const bad = (message: string): ApiError => ({ status: 400, type: 'invalid_request_error', message });

export interface AuthOptions {
  /** A key that is refused with 401 (every other non-empty key is accepted). */
  invalidApiKey?: string;
}

/** Accepts the key as `x-api-key` or as `Authorization: Bearer KEY` (what SDK 1.x sends). */
export function checkAuth(headers: IncomingHttpHeaders, opts: AuthOptions): ApiError | null {
  const raw = headers['x-api-key'];
  const bearer = /^Bearer\s+(\S+)/.exec(headers.authorization ?? '')?.[1];
  const key = (Array.isArray(raw) ? raw[0] : raw) || bearer;
  if (!key) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  if (opts.invalidApiKey !== undefined && key === opts.invalidApiKey) {
    return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  }
  return null;
}

export interface ValidateOptions {
  /** Reject consecutive same-role messages (the real API now combines them; default false). */
  strictAlternation?: boolean;
}

function toolUseIds(content: unknown[]): string[] {
  return content.flatMap((b) => {
    const block = b as { type?: string; id?: unknown };
    return block && block.type === 'tool_use' ? [String(block.id)] : [];
  });
}

export function validateBody(body: unknown, endpoint: 'messages' | 'count_tokens', opts: ValidateOptions = {}): ApiError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('The request body is not valid JSON.');
  const b = body as Record<string, unknown>;
  const allowed = endpoint === 'messages' ? MESSAGES_FIELDS : COUNT_TOKENS_FIELDS;
  for (const key of Object.keys(b)) if (!allowed.has(key)) return bad(`${key}: Extra inputs are not permitted`);

  if (b.model === undefined) return bad('model: Field required');
  if (typeof b.model !== 'string' || b.model === '') return bad('model: Input should be a valid string');
  if (endpoint === 'messages') {
    if (b.max_tokens === undefined) return bad('max_tokens: Field required');
    if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens)) return bad('max_tokens: Input should be a valid integer');
    if (b.max_tokens < 1) return bad('max_tokens: Input should be greater than or equal to 1');
  }
  if (b.messages === undefined) return bad('messages: Field required');
  if (!Array.isArray(b.messages)) return bad('messages: Input should be a valid list');
  if (b.messages.length === 0) return bad('messages: at least one message is required');

  const thinking = b.thinking as { type?: string; budget_tokens?: unknown } | undefined;
  if (thinking && thinking.type === 'enabled') {
    const budget = Number(thinking.budget_tokens);
    if (!Number.isFinite(budget)) return bad('thinking.enabled.budget_tokens: Field required');
    if (budget < 1024) return bad('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (endpoint === 'messages' && typeof b.max_tokens === 'number' && b.max_tokens <= budget) {
      return bad('`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
    }
  }

  // Per-message shape, then the turn structure on the merged (combined same-role) messages.
  const merged: { role: string; content: unknown[]; index: number }[] = [];
  for (let i = 0; i < b.messages.length; i++) {
    const m = b.messages[i] as { role?: unknown; content?: unknown } | null;
    if (!m || typeof m !== 'object') return bad(`messages.${i}: Input should be a valid dictionary`);
    if (m.role !== 'user' && m.role !== 'assistant') return bad(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (m.content === undefined) return bad(`messages.${i}.content: Field required`);
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return bad(`messages.${i}.content: Input should be a valid string or list`);
    const blocks = contentBlocks(m.content);
    const isLast = i === b.messages.length - 1;
    for (let j = 0; j < blocks.length; j++) {
      const blk = blocks[j] as { type?: unknown; text?: unknown } | null;
      if (!blk || typeof blk !== 'object' || typeof blk.type !== 'string') return bad(`messages.${i}.content.${j}.type: Field required`);
      if (blk.type === 'text' && blk.text === '' && !(isLast && m.role === 'assistant')) return bad(`messages.${i}: text content blocks must be non-empty`);
      if (blk.type === 'tool_use' && m.role !== 'assistant') return bad(`messages.${i}.content.${j}: tool_use blocks can only appear in assistant messages`);
      if (blk.type === 'tool_result' && m.role !== 'user') return bad(`messages.${i}.content.${j}: tool_result blocks can only appear in user messages`);
    }
    if (typeof m.content === 'string' && m.content === '' && !(isLast && m.role === 'assistant')) return bad(`messages.${i}: user messages must have non-empty content`);
    const prev = merged[merged.length - 1];
    if (prev && prev.role === m.role) {
      if (opts.strictAlternation) return bad(`messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`);
      prev.content.push(...blocks);
    } else merged.push({ role: m.role, content: [...blocks], index: i });
  }
  if (merged[0]?.role !== 'user') return bad('messages: first message must use the "user" role');

  for (let k = 0; k < merged.length; k++) {
    const cur = merged[k]!;
    const prev = merged[k - 1];
    if (cur.role === 'user') {
      const answerable = new Set(prev ? toolUseIds(prev.content) : []);
      for (let j = 0; j < cur.content.length; j++) {
        const blk = cur.content[j] as { type?: string; tool_use_id?: unknown };
        if (blk.type === 'tool_result' && !answerable.has(String(blk.tool_use_id))) {
          return bad(`messages.${cur.index}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(blk.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
        }
      }
    } else {
      const next = merged[k + 1];
      const ids = toolUseIds(cur.content);
      if (next && ids.length > 0) {
        const answered = new Set(next.content.flatMap((x) => {
          const blk = x as { type?: string; tool_use_id?: unknown };
          return blk.type === 'tool_result' ? [String(blk.tool_use_id)] : [];
        }));
        const missing = ids.filter((id) => !answered.has(id));
        if (missing.length > 0) {
          return bad(`messages.${next.index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
        }
      }
    }
  }

  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) return bad('tools: Input should be a valid list');
    const names = new Set<string>();
    for (let i = 0; i < b.tools.length; i++) {
      const t = b.tools[i] as { name?: unknown } | null;
      if (!t || typeof t.name !== 'string') return bad(`tools.${i}.name: Field required`);
      if (names.has(t.name)) return bad('tools: Tool names must be unique.');
      names.add(t.name);
    }
  }
  return null;
}

export function tooManyBreakpoints(found: number): ApiError {
  return bad(`A maximum of 4 blocks with cache_control may be provided. Found ${found}.`);
}

export function promptTooLong(tokens: number, maximum: number): ApiError {
  return bad(`prompt is too long: ${tokens} tokens > ${maximum} maximum`);
}
