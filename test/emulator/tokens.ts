// Deterministic token approximation used by the emulator for every count it reports.
//
// The rule (documented in README.md, "Token approximation"):
//   tokensOf(s)            = ceil(utf8Bytes(s) / 4)
//   text block             = tokensOf(text)
//   thinking block         = tokensOf(thinking)
//   tool_use block         = tokensOf(name) + tokensOf(JSON.stringify(input))
//   tool_result block      = tokensOf(content) for a string, else the sum of its inner blocks
//   any other block        = tokensOf(canonical JSON of the block without cache_control)
//   tool definition        = tokensOf(canonical JSON of the tool without cache_control)
//   system string          = one text block
//   + MESSAGE_OVERHEAD per (merged) message, charged to its first block
//   + REQUEST_OVERHEAD per request, always part of the uncached `input_tokens`
// Output tokens are the same per-block rule applied to the reply's blocks (at least 1).

export const REQUEST_OVERHEAD = 4;
export const MESSAGE_OVERHEAD = 3;

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function tokensOf(s: string): number {
  return Math.ceil(utf8Bytes(s) / 4);
}

/** JSON with object keys sorted, so that equal values always serialize the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** A shallow copy of a block without its `cache_control` marker. */
export function withoutCacheControl(block: unknown): unknown {
  if (!block || typeof block !== 'object' || Array.isArray(block)) return block;
  const { cache_control: _cc, ...rest } = block as Record<string, unknown>;
  return rest;
}

export function blockTokens(block: unknown): number {
  if (typeof block === 'string') return tokensOf(block);
  if (!block || typeof block !== 'object') return 0;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return tokensOf(String(b.text ?? ''));
    case 'thinking':
      return tokensOf(String(b.thinking ?? ''));
    case 'tool_use':
      return tokensOf(String(b.name ?? '')) + tokensOf(JSON.stringify(b.input ?? {}));
    case 'tool_result': {
      const c = b.content;
      if (c === undefined || c === null) return 1;
      if (typeof c === 'string') return Math.max(1, tokensOf(c));
      if (Array.isArray(c)) return Math.max(1, c.reduce<number>((n, inner) => n + blockTokens(inner), 0));
      return tokensOf(canonicalJson(c));
    }
    default:
      return tokensOf(canonicalJson(withoutCacheControl(b)));
  }
}

export function toolTokens(tool: unknown): number {
  return tokensOf(canonicalJson(withoutCacheControl(tool)));
}

export function outputTokens(blocks: readonly unknown[]): number {
  return Math.max(1, blocks.reduce<number>((n, b) => n + blockTokens(b), 0));
}
