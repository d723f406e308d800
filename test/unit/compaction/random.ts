// Random sessions and random compactions, shared by the orphan property test and the orphan_pairs benchmark.
import { tailStart } from '../../../extension/core/compaction/boundary';
import { pickSpan } from '../../../extension/core/compaction/collapse';
import { isCutPoint } from '../../../extension/core/compaction/pairs';
import type { CompactionEntry, TranscriptEntry } from '../../../extension/core/session/entries';
import type { HistoryItem } from '../../../extension/core/session/project';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** A random session transcript: exchanges of user text, assistant turns with thinking, text and tool calls, their results. */
export function randomSession(r: () => number, exchanges: number): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  let n = 0;
  const id = () => `e${n++}`;
  for (let x = 0; x < exchanges; x++) {
    out.push({ t: 'msg', ts: n, id: id(), role: 'user', content: [{ type: 'text', text: `request ${x} ${'w'.repeat(Math.floor(r() * 400))}` }] });
    const rounds = Math.floor(r() * 4);
    for (let k = 0; k < rounds; k++) {
      const uses = 1 + Math.floor(r() * 3);
      const thinking = r() < 0.4 ? [{ type: 'thinking' as const, thinking: 'hmm', signature: 'sig' }] : [];
      const ids = Array.from({ length: uses }, () => `tu_${n++}`);
      out.push({ t: 'msg', ts: n, id: id(), role: 'assistant', content: [...thinking, { type: 'text', text: 'working' }, ...ids.map((i) => ({ type: 'tool_use' as const, id: i, name: 'read_file', input: { path: `f${i}.ts` } }))] });
      out.push({ t: 'msg', ts: n, id: id(), role: 'user', content: ids.map((i) => ({ type: 'tool_result' as const, tool_use_id: i, content: 'r'.repeat(Math.floor(r() * 6_000)) })) });
    }
    // Now and then a turn stopped after its tool results (the next user message follows them directly).
    if (rounds > 0 && r() < 0.15) continue;
    out.push({ t: 'msg', ts: n, id: id(), role: 'assistant', content: [...(r() < 0.3 ? [{ type: 'thinking' as const, thinking: 'done', signature: 's' }] : []), { type: 'text', text: `answer ${x}` }] });
  }
  return out;
}

export function randomCompaction(r: () => number, items: readonly HistoryItem[], k: number): CompactionEntry | undefined {
  const base = { t: 'compaction' as const, ts: 0, id: `c${k}`, trigger: 'threshold' as const, before: 0, after: 0, dropped: [] };
  const pick = r();
  if (pick < 0.35) {
    // A boundary with a verbatim tail chosen the way the pipeline chooses it (or at a random cut point).
    let keep = r() < 0.5 ? tailStart(items, Math.floor(r() * 30_000), 1) : Math.floor(r() * items.length);
    while (keep >= 0 && keep < items.length && !isCutPoint(items, keep)) keep++;
    if (keep >= items.length) keep = -1;
    return { ...base, op: 'compact_boundary', strategy: 'autocompact', attach: 'summary', ...(keep > 0 ? { keepFrom: items[keep]!.id } : {}) };
  }
  if (pick < 0.65) {
    const span = pickSpan(items, { keepExchanges: Math.floor(r() * 3), minTokens: Math.floor(r() * 2_000), maxTokens: 2_000 + Math.floor(r() * 40_000) });
    if (!span) return undefined;
    return { ...base, op: 'collapse', strategy: 'collapse', from: items[span.from]!.id, to: items[span.to]!.id, summary: 'collapsed' };
  }
  const ids = items.flatMap((it) => it.content.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : []))).filter(() => r() < 0.4);
  return { ...base, op: r() < 0.5 ? 'snip' : 'microcompact', strategy: 'microcompact', targets: ids.map((toolUseId) => ({ toolUseId, text: '[cleared]' })) };
}

