// The snapshot fast path must never accept what the zod schema rejects, and must accept the ordinary messages
// (else it would be no faster): compared on generated messages and thousands of mutations of them.
import { describe, expect, it } from 'vitest';
import { ChatMessage, Snapshot, ToolStatus } from '../../../extension/protocol';
import * as z from 'zod';
import { compileCheck, isPlainChatMessage, parseSnapshotFast } from '../../../extension/protocol/fastcheck';
import { rng } from '../../bench/lib/common';

const r = rng(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const ODD: unknown[] = [undefined, null, 0, -1, 0.5, NaN, Infinity, '', 'x', true, [], {}, [1], { a: 1 }, new Date(0), 'done', 'pending', 'user', 'tool_use', 'text'];

function validMessage(i: number): Record<string, unknown> {
  const blocks: unknown[] = [];
  const n = Math.floor(r() * 4);
  for (let b = 0; b < n; b++) {
    const k = r();
    if (k < 0.3) blocks.push({ type: 'text', text: `t${i}` });
    else if (k < 0.45) blocks.push({ type: 'thinking', text: 'hmm' });
    else if (k < 0.55) blocks.push({ type: 'attachment', kind: 'file', label: 'a.ts' });
    else {
      const t: Record<string, unknown> = { type: 'tool_use', id: `t${i}${b}`, name: 'read_file', inputJson: '{}', status: pick(ToolStatus.options) };
      if (r() < 0.5) t.output = 'out';
      if (r() < 0.3) t.title = 'src/a.ts';
      if (r() < 0.3) t.kind = 'read';
      if (r() < 0.5) t.durationMs = Math.floor(r() * 100);
      blocks.push(t);
    }
  }
  return { id: `m${i}`, role: pick(['user', 'assistant']), status: pick(['streaming', 'complete', 'incomplete', 'error']), blocks };
}

/** One random change somewhere in the message: a key removed, added, or given an odd value. */
function mutate(m: Record<string, unknown>): unknown {
  const copy = structuredClone(m) as Record<string, unknown>;
  const blocks = copy.blocks as Record<string, unknown>[];
  const target: Record<string, unknown> = blocks.length && r() < 0.6 ? pick(blocks) : copy;
  const keys = Object.keys(target);
  const k = r();
  if (k < 0.3 && keys.length) delete target[pick(keys)];
  else if (k < 0.5) target[pick(['extra', 'output', 'durationMs', 'title', 'status', 'text', 'kind', 'label', 'constructor', '__proto__x'])] = pick(ODD);
  else if (keys.length) target[pick(keys)] = pick(ODD);
  return copy;
}

describe('snapshot fast path', () => {
  it('accepts ordinary messages, and never what zod rejects', async () => {
    let fast = 0;
    let mutants = 0;
    for (let i = 0; i < 3000; i++) {
      const m = validMessage(i);
      expect(ChatMessage.safeParse(m).success).toBe(true);
      expect(isPlainChatMessage(m), JSON.stringify(m)).toBe(true);
      fast++;
      for (let j = 0; j < 3; j++) {
        const x = mutate(m);
        const zod = ChatMessage.safeParse(x).success;
        if (isPlainChatMessage(x)) expect(zod, `fast path accepted what zod rejects: ${JSON.stringify(x)}`).toBe(true);
        if (!zod) mutants++;
      }
    }
    expect(fast).toBe(3000);
    expect(mutants).toBeGreaterThan(3000);
    // The webview benchmark's long session takes the fast path too.
    const bench = '../../bench/webview/session.mjs';
    const { syntheticMessages } = (await import(bench)) as { syntheticMessages(n: number): unknown[] };
    for (const m of syntheticMessages(200)) expect(isPlainChatMessage(m)).toBe(true);
    expect(isPlainChatMessage(Object.assign(Object.create({ inherited: 1 }), validMessage(1)))).toBe(false);
  });

  it('compiles checks that follow the schema, and never vouch for data zod would change', () => {
    const strict = compileCheck(z.strictObject({ a: z.enum(['x', 'y']), n: z.number().int().optional(), l: z.array(z.string()) }));
    expect(strict({ a: 'x', l: ['1'] })).toBe(true);
    expect(strict({ a: 'x', n: 2, l: [] })).toBe(true);
    expect(strict({ a: 'z', l: [] })).toBe(false);
    expect(strict({ a: 'x', n: 2.5, l: [] })).toBe(false);
    expect(strict({ a: 'x', l: [], extra: 1 })).toBe(false);
    expect(strict({ a: 'x', n: undefined, l: [] })).toBe(false);
    // Numbers: bounds and integer formats compiled, compared with zod on edge values.
    const nums = [z.number(), z.number().nonnegative(), z.number().positive(), z.number().int(), z.number().int().nonnegative(), z.number().max(5), z.number().lt(5), z.number().multipleOf(2)];
    for (const n of nums) {
      const fast = compileCheck(n);
      for (const v of [0, -0, 1, -1, 0.5, 5, 4.999, 6, 2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity, '1', null]) expect(fast(v), `${JSON.stringify(n._zod.def.checks?.map((c) => c._zod.def))} ${String(v)}`).toBe(n.safeParse(v).success);
    }
    // A stripping object or a transform changes the data: only zod's own output may be used.
    expect(compileCheck(z.object({ a: z.string() }))({ a: 'x' })).toBe(false);
    expect(compileCheck(z.strictObject({ a: z.string().transform((x) => x.length) }))({ a: 'x' })).toBe(false);
    expect(compileCheck(z.strictObject({ d: z.string().default('q') }))({ d: 'x' })).toBe(true);
  });

  it('gives the same verdict as Snapshot.safeParse on whole snapshots', () => {
    const base = { sessionId: 's', title: 't', turn: 'idle', lastError: null, auth: { status: 'ready', source: 'secret', demoAvailable: false },
      model: 'm', usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, seq: 3 };
    for (let i = 0; i < 300; i++) {
      const messages: unknown[] = Array.from({ length: 20 }, (_, k) => validMessage(i * 20 + k));
      if (i % 2) messages[Math.floor(r() * messages.length)] = mutate(messages[0] as Record<string, unknown>);
      const snap: Record<string, unknown> = { ...base, messages };
      if (i % 7 === 0) snap[pick(['seq', 'turn', 'extra', 'usage'])] = pick(ODD);
      const a = Snapshot.safeParse(snap);
      const b = parseSnapshotFast(snap, Snapshot);
      expect(b.success, JSON.stringify(snap).slice(0, 400)).toBe(a.success);
      if (a.success && b.success) expect(b.data).toEqual(a.data);
    }
  });
});
