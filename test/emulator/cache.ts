// Prompt-cache accounting, following Anthropic's documented rules closely enough to measure a client.
// See README.md, "Prompt cache", for the exact rules implemented.
import type { CacheTtl, Prompt } from './prompt';
import { REQUEST_OVERHEAD } from './tokens';
import type { UsageReport } from './types';

export const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
export const LOOKBACK_BLOCKS = 20;
export const MAX_BREAKPOINTS = 4;

/** Default minimum cacheable prefix: 2048 tokens for Haiku models, 1024 for the others. */
export function defaultMinCacheableTokens(model: string): number {
  return /haiku/i.test(model) ? 2048 : 1024;
}

export interface CacheStats {
  /** Live (unexpired) entries. */
  entries: number;
  /** Requests that read from the cache / that had breakpoints but read nothing. */
  hits: number;
  misses: number;
  /** Entries written (new or re-created after expiry). */
  writes: number;
  readTokens: number;
  writeTokens: number;
}

interface Entry {
  tokens: number;
  ttl: CacheTtl;
  expiresAt: number;
}

export interface CacheAccount {
  usage: Omit<UsageReport, 'output_tokens'>;
  /** Index of the unit the read ended at (-1: none) and the indices written. */
  readAt: number;
  written: number[];
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private counters = { hits: 0, misses: 0, writes: 0, readTokens: 0, writeTokens: 0 };

  constructor(
    private readonly now: () => number,
    private readonly minTokens: (model: string) => number,
    private readonly lookback = LOOKBACK_BLOCKS,
  ) {}

  /** Computes the usage of one request and updates the cache (reads refresh, writes store). */
  account(model: string, prompt: Prompt): CacheAccount {
    const now = this.now();
    const units = prompt.units;
    const alive = (hash: string): Entry | undefined => {
      const e = this.entries.get(hash);
      if (e && e.expiresAt > now) return e;
      if (e) this.entries.delete(hash);
      return undefined;
    };
    const bps = units.flatMap((u, i) => (u.breakpoint ? [i] : []));

    // Read: for each breakpoint, walk back up to `lookback` blocks (the breakpoint included) to the
    // first block boundary with a live entry; keep the longest such prefix over all breakpoints.
    let readAt = -1;
    for (const b of bps) {
      let seen = 0;
      for (let j = b; j >= 0 && seen < this.lookback; j--) {
        const u = units[j];
        if (!u || u.virtual) continue;
        seen++;
        if (alive(u.hash)) {
          readAt = Math.max(readAt, j);
          break;
        }
      }
    }
    const readTokens = readAt >= 0 ? (units[readAt]?.cumTokens ?? 0) : 0;
    if (readAt >= 0) {
      const hit = this.entries.get(units[readAt]!.hash)!;
      hit.expiresAt = now + TTL_MS[hit.ttl];
    }

    // Write: every breakpoint past the read point whose prefix reaches the model's minimum.
    const min = this.minTokens(model);
    const written: number[] = [];
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let prev = readTokens;
    for (const b of bps) {
      const u = units[b]!;
      if (b <= readAt) {
        const e = alive(u.hash);
        if (e) e.expiresAt = now + TTL_MS[e.ttl];
        continue;
      }
      if (u.cumTokens < min) continue;
      const ttl = u.breakpoint ?? '5m';
      this.entries.set(u.hash, { tokens: u.cumTokens, ttl, expiresAt: now + TTL_MS[ttl] });
      written.push(b);
      const seg = u.cumTokens - prev;
      if (ttl === '1h') creation.ephemeral_1h_input_tokens += seg;
      else creation.ephemeral_5m_input_tokens += seg;
      prev = u.cumTokens;
    }
    const creationTokens = creation.ephemeral_1h_input_tokens + creation.ephemeral_5m_input_tokens;

    if (bps.length > 0) {
      if (readAt >= 0) this.counters.hits++;
      else this.counters.misses++;
    }
    this.counters.writes += written.length;
    this.counters.readTokens += readTokens;
    this.counters.writeTokens += creationTokens;

    const total = prompt.totalTokens;
    return {
      usage: {
        input_tokens: Math.max(REQUEST_OVERHEAD, total - readTokens - creationTokens),
        cache_creation_input_tokens: creationTokens,
        cache_read_input_tokens: readTokens,
        cache_creation: creation,
      },
      readAt,
      written,
    };
  }

  stats(): CacheStats {
    const now = this.now();
    let entries = 0;
    for (const e of this.entries.values()) if (e.expiresAt > now) entries++;
    return { entries, ...this.counters };
  }

  clear(): void {
    this.entries.clear();
    this.counters = { hits: 0, misses: 0, writes: 0, readTokens: 0, writeTokens: 0 };
  }
}
