import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as fsx from '../../../extension/core/memory/fsx';
import type { MemoryChange } from '../../../extension/core/memory';
import { noticeFor } from '../../../extension/host/memory';
import { ctx, fact, facts, tempWs, tool, type Ws } from './helpers';

let ws: Ws;
afterEach(() => { ws?.cleanup(); vi.restoreAllMocks(); });

describe('strict write discipline', () => {
  it('writes the topic file first and the index line second', async () => {
    ws = tempWs();
    const order: string[] = [];
    const real = fsx.writeFileAtomic;
    vi.spyOn(fsx, 'writeFileAtomic').mockImplementation((p, d) => { order.push(p.endsWith('MEMORY.md') ? 'index' : 'topic'); real(p, d); });
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    expect(order).toEqual(['topic', 'index']);
  });

  it('when the index write fails, the new topic is taken back: no topic without its index line, no index line pointing nowhere', async () => {
    ws = tempWs();
    const real = fsx.writeFileAtomic;
    vi.spyOn(fsx, 'writeFileAtomic').mockImplementation((p, d) => { if (p.endsWith('MEMORY.md')) throw new Error('Could not write MEMORY.md: the disk is full.'); real(p, d); });
    const r = await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/was not saved: MEMORY\.md could not be updated\. Could not write MEMORY\.md: the disk is full\. Its new topic file was removed again, so no topic is left without its index line/);
    expect(existsSync(join(ws.agentDir, 'memory', 'staging-port.md'))).toBe(false);
    expect(existsSync(join(ws.agentDir, 'MEMORY.md'))).toBe(false);
  });

  it('refuses to record an operation that did not succeed in this session', async () => {
    ws = tempWs();
    const c = ctx(ws, facts({ toolu_ok: 'done', toolu_bad: 'error', toolu_int: 'interrupted' }));
    for (const [id, why] of [['toolu_bad', /ended "error"/], ['toolu_int', /ended "interrupted"/], ['toolu_never', /no such call in this session/], ['toolu_mem_1', /memory_write call itself/]] as const) {
      const r = await tool(ws, 'memory_write').run({ ...fact, evidence: ['toolu_ok', id] }, c);
      expect(r.isError).toBe(true);
      expect(r.content).toMatch(why);
      expect(existsSync(join(ws.agentDir, 'memory', 'staging-port.md'))).toBe(false);
    }
    expect(ws.memory.store.readLog().filter((e) => e.op === 'refused')).toHaveLength(4);
    const ok = await tool(ws, 'memory_write').run({ ...fact, evidence: ['toolu_ok'] }, c);
    expect(ok.isError).toBeFalsy();
  });

  it('refuses evidence it cannot check (no session facts)', async () => {
    ws = tempWs();
    const r = await tool(ws, 'memory_write').run({ ...fact, evidence: ['toolu_ok'] }, ctx(ws));
    expect(r.isError).toBe(true);
  });

  it('documents the discipline in the tool description', () => {
    ws = tempWs();
    const d = tool(ws, 'memory_write').tool.description;
    expect(d).toMatch(/evidence/);
    expect(d).toMatch(/topic file first, index line second/);
    expect(d).toMatch(/held for the user's review/);
  });
});

describe('provenance and poisoning', () => {
  it('records who wrote a memory, from which session and calls', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run({ ...fact, origin: 'user' }, ctx(ws, facts()));
    expect(ws.memory.store.readTopic('staging-port')!.source).toBe('user session=sess1 call=toolu_mem_1');
  });

  it('holds a write made in a task that read untrusted content, until the user approves it', async () => {
    ws = tempWs();
    const changes: MemoryChange[] = [];
    ws.memory.store.onChange((c) => changes.push(c));
    const r = await tool(ws, 'memory_write').run(fact, ctx(ws, facts({}, true)));
    expect(r.content).toMatch(/Held for the user's review/);
    expect(existsSync(join(ws.agentDir, 'memory', 'staging-port.md'))).toBe(false);
    expect(existsSync(join(ws.agentDir, 'MEMORY.md'))).toBe(false);
    const pending = ws.memory.store.listPending();
    expect(pending).toHaveLength(1);
    expect(existsSync(join(ws.agentDir, 'state', 'memory-pending', `${pending[0]!.id}.json`))).toBe(true);
    expect(changes[0]!.pending?.id).toBe(pending[0]!.id);
    expect(noticeFor(changes[0]!)?.level).toBe('warning');
    const a = await ws.memory.store.approve(pending[0]!.id);
    expect(a.ok).toBe(true);
    expect(readFileSync(join(ws.agentDir, 'memory', 'staging-port.md'), 'utf8')).toContain('6543');
    expect(ws.memory.store.listPending()).toHaveLength(0);
    expect(ws.memory.store.readLog().map((e) => e.op)).toEqual(['held', 'write', 'approve']);
  });

  it('a discarded held write never reaches memory', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts({}, true)));
    const [p] = ws.memory.store.listPending();
    expect(await ws.memory.store.discard(p!.id)).toBe(true);
    expect(ws.memory.store.listPending()).toHaveLength(0);
    expect(existsSync(join(ws.agentDir, 'memory', 'staging-port.md'))).toBe(false);
  });
});

describe('memory is a hint', () => {
  it('a memory older than a day is read with a note to verify it; a fresh one without', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    ws = tempWs(() => now);
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    expect((await tool(ws, 'memory_read').run({ slug: 'staging-port' }, ctx(ws))).content).not.toMatch(/more than a day old/);
    now += 3 * 24 * 3600_000;
    const r = await tool(ws, 'memory_read').run({ slug: 'staging-port' }, ctx(ws));
    expect(r.content).toMatch(/Updated 3 days ago/);
    expect(r.content).toMatch(/<system-reminder>This memory is more than a day old.*Verify it against the current code/);
    expect(ws.memory.prelude()).toMatch(/1 of these memories are older than a day/);
  });

  it('a correction or deletion by the agent is visible to the user (event + notice with the reason)', async () => {
    ws = tempWs();
    const changes: MemoryChange[] = [];
    ws.memory.store.onChange((c) => changes.push(c));
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    await tool(ws, 'memory_write').run({ ...fact, content: 'Port 7000 now.', reason: 'contradicted by docker-compose.yml' }, ctx(ws, facts()));
    await tool(ws, 'memory_delete').run({ slug: 'staging-port', reason: 'staging was removed' }, ctx(ws, facts()));
    expect(changes.map((c) => c.entry.op)).toEqual(['write', 'update', 'delete']);
    expect(noticeFor(changes[1]!)!.message).toContain('contradicted by docker-compose.yml');
    expect(noticeFor(changes[2]!)!.message).toContain('deleted the memory "staging-port" (staging was removed)');
    expect(changes[2]!.topic).toBeNull();
  });
});
