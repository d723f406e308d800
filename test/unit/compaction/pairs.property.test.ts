// Never an orphan: whatever the compaction strategies cut, wherever and in whatever order, the projected history
// has every tool_use answered in the next message, every tool_result answering the message before it, thinking
// blocks only at the head of whole assistant turns, alternating roles, and a user message first.
import { describe, expect, it } from 'vitest';
import { pairProblems } from '../../../extension/core/compaction/pairs';
import { HistoryProjection } from '../../../extension/core/session/project';
import { randomCompaction, randomSession, rng } from './random';

describe('compaction never leaves an orphan', () => {
  it('300 random sessions × up to 4 random compactions (with thinking blocks and stopped turns): every projection is valid', () => {
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const p = new HistoryProjection();
      for (const e of randomSession(r, 2 + Math.floor(r() * 12))) p.apply(e);
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const c = randomCompaction(r, p.history(), k);
        if (!c) continue;
        p.apply(c);
        const problems = pairProblems(p.messages());
        expect(problems, `seed ${seed}, compaction ${k} (${c.op})`).toEqual([]);
        checked++;
        // The session goes on after the compaction: a new exchange keeps the history valid.
        p.apply({ t: 'msg', ts: 0, id: `after${seed}_${k}`, role: 'user', content: [{ type: 'text', text: 'go on' }] });
        p.apply({ t: 'msg', ts: 0, id: `after${seed}_${k}a`, role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
        expect(pairProblems(p.messages())).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('the check itself catches orphans (a tool_result without its tool_use, a tool_use without its result, a thinking block out of place)', () => {
    expect(pairProblems([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'r' }] }])).not.toEqual([]);
    expect(pairProblems([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: {} }] },
      { role: 'user', content: [{ type: 'text', text: 'no result' }] },
    ])).not.toEqual([]);
    expect(pairProblems([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'thinking', thinking: 't', signature: 's' }] },
    ])).not.toEqual([]);
  });
});
