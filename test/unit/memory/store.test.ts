import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_LINE_MAX_BYTES, INDEX_MAX_BYTES, INDEX_MAX_LINES, indexLine, parseTopic, scrubSecrets, serializeTopic } from '../../../extension/core/memory/format';
import { buildPrelude, estimateTokens } from '../../../extension/core/memory/prelude';
import { ctx, fact, facts, tempWs, tool, type Ws } from './helpers';

let ws: Ws;
afterEach(() => ws?.cleanup());

describe('index MEMORY.md (layer 1)', () => {
  it('gets one compact pointer line per memory, capped in length', async () => {
    ws = tempWs();
    const r = await tool(ws, 'memory_write').run({ ...fact, hook: 'a very long hook that goes on and on about many details' }, ctx(ws, facts()));
    expect(r.isError).toBeFalsy();
    const index = readFileSync(join(ws.agentDir, 'MEMORY.md'), 'utf8');
    expect(index).toMatch(/^- \[Staging port\]\(memory\/staging-port\.md\): a very/);
    expect(index.trim().split('\n')).toHaveLength(1);
    expect(Buffer.byteLength(index.trim())).toBeLessThanOrEqual(INDEX_LINE_MAX_BYTES);
    expect(r.content).toMatch(/shortened/);
  });

  it('refuses a write that would take the index past 200 lines, with an explicit error and nothing written', async () => {
    ws = tempWs();
    mkdirSync(ws.agentDir, { recursive: true });
    const full = Array.from({ length: INDEX_MAX_LINES }, (_, i) => `- [m${i}](memory/m${i}.md): x`).join('\n') + '\n';
    writeFileSync(join(ws.agentDir, 'MEMORY.md'), full);
    const r = await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/over its limit.*200 lines/);
    expect(existsSync(join(ws.agentDir, 'memory', 'staging-port.md'))).toBe(false);
    expect(readFileSync(join(ws.agentDir, 'MEMORY.md'), 'utf8')).toBe(full);
  });

  it('refuses past 25 KB too', async () => {
    ws = tempWs();
    mkdirSync(ws.agentDir, { recursive: true });
    writeFileSync(join(ws.agentDir, 'MEMORY.md'), `# notes\n${'x'.repeat(INDEX_MAX_BYTES)}\n`);
    const r = await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/bytes/);
  });

  it('an index over its limit (hand edit) enters the prelude cut at the limit with an explicit error, and is reported', () => {
    ws = tempWs();
    mkdirSync(ws.agentDir, { recursive: true });
    writeFileSync(join(ws.agentDir, 'MEMORY.md'), Array.from({ length: 250 }, (_, i) => `- [m${i}](memory/m${i}.md): x`).join('\n'));
    const p = buildPrelude(ws.memory.store, ws.root, Date.now());
    expect(p.text).toContain('m199](');
    expect(p.text).not.toContain('m200](');
    expect(p.text).toMatch(/Error: MEMORY\.md is over its limit \(250 lines/);
    expect(p.problems[0]).toMatch(/over its limit/);
    const seen: string[][] = [];
    ws.memory.onProblems((x) => seen.push(x));
    ws.memory.prelude();
    expect(seen).toHaveLength(1);
  });

  it('a full 200-line index at the line cap costs under 3,000 tokens in context', async () => {
    ws = tempWs();
    mkdirSync(ws.agentDir, { recursive: true });
    const lines = Array.from({ length: 200 }, (_, i) => { const l = indexLine(`topic-${i}`, `Title number ${i}`, 'hook '.repeat(20)); return 'line' in l ? l.line : ''; });
    writeFileSync(join(ws.agentDir, 'MEMORY.md'), lines.join('\n') + '\n');
    expect(estimateTokens(buildPrelude(ws.memory.store, ws.root, Date.now()).memory)).toBeLessThan(3000);
  });

  it('rejects a title too long for the line cap', () => {
    expect('error' in indexLine('some-long-slug-for-a-topic', 'A title that is far too long for one index line', 'h')).toBe(true);
  });
});

describe('topic files (layer 2)', () => {
  it('have front matter with name, description, type, updated and source, and round-trip', async () => {
    ws = tempWs(() => Date.parse('2026-11-20T10:00:00Z'));
    await tool(ws, 'memory_write').run({ ...fact, evidence: ['toolu_ok'] }, ctx(ws, facts({ toolu_ok: 'done' })));
    const text = readFileSync(join(ws.agentDir, 'memory', 'staging-port.md'), 'utf8');
    expect(text).toMatch(/^---\nname: Staging port\ndescription: Which port staging Postgres uses\ntype: project\nupdated: 2026-11-20T10:00:00.000Z\nsource: agent session=sess1 call=toolu_mem_1 evidence=toolu_ok\n---\n/);
    const t = parseTopic('staging-port', text);
    expect(parseTopic('staging-port', serializeTopic(t))).toEqual(t);
  });

  it('are loaded only on demand: the prelude holds the index line, not the topic body', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    const p = ws.memory.prelude()!;
    expect(p).toContain('](memory/staging-port.md)');
    expect(p).not.toContain('listens on 6543');
    const r = await tool(ws, 'memory_read').run({ slug: 'staging-port' }, ctx(ws));
    expect(r.content).toContain('listens on 6543');
  });

  it('an unknown slug is an error listing the known ones', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    const r = await tool(ws, 'memory_read').run({ slug: 'nope' }, ctx(ws));
    expect(r.isError).toBe(true);
    expect(r.content).toContain('staging-port');
  });
});

describe('secrets', () => {
  it('are scrubbed before anything is written (topic body, name, hook)', async () => {
    ws = tempWs();
    const key = 'sk-ant-api03-' + 'A'.repeat(40);
    const r = await tool(ws, 'memory_write').run({ ...fact, content: `key ${key}; password=hunter2hunter; token ghp_${'b'.repeat(36)}`, hook: 'AKIAABCDEFGHIJKLMNOP' }, ctx(ws, facts()));
    expect(r.content).toMatch(/secret\(s\) were removed/);
    const all = readFileSync(join(ws.agentDir, 'memory', 'staging-port.md'), 'utf8') + readFileSync(join(ws.agentDir, 'MEMORY.md'), 'utf8') + readFileSync(join(ws.agentDir, 'state', 'memory-log.jsonl'), 'utf8');
    expect(all).not.toContain('A'.repeat(40));
    expect(all).not.toContain('hunter2hunter');
    expect(all).not.toContain('b'.repeat(36));
    expect(all).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });

  it('the scrubber counts what it removed and leaves plain text alone', () => {
    expect(scrubSecrets('nothing secret here: port 6543').redactions).toBe(0);
    expect(scrubSecrets('-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----').text).toBe('[redacted private key]');
  });
});

describe('the write log', () => {
  it('appends one line per operation (write, update, delete) with who and when', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    await tool(ws, 'memory_write').run({ ...fact, content: 'now 7000', reason: 'contradicted by config' }, ctx(ws, facts()));
    await tool(ws, 'memory_delete').run({ slug: 'staging-port', reason: 'obsolete' }, ctx(ws, facts()));
    const log = ws.memory.store.readLog();
    expect(log.map((e) => e.op)).toEqual(['write', 'update', 'delete']);
    expect(log.every((e) => e.actor === 'agent' && e.sessionId === 'sess1' && typeof e.ts === 'number')).toBe(true);
    expect(log[1]!.reason).toBe('contradicted by config');
    expect(readdirSync(join(ws.agentDir, 'memory'))).toEqual([]);
    expect(readFileSync(join(ws.agentDir, 'MEMORY.md'), 'utf8')).toBe('');
  });
});
