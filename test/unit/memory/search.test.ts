import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planQuery } from '../../../extension/core/memory/search/search';
import { ctx, SEARCH_ENGINES, tempWs as tempWsWith, tool, type Ws } from './helpers';

let ws: Ws;
afterEach(() => ws?.cleanup());

const day = (d: string) => Date.parse(`${d}T12:00:00Z`);

function session(ws: Ws, id: string, entries: object[], tail: Buffer | string = '') {
  mkdirSync(join(ws.agentDir, 'sessions'), { recursive: true });
  const p = join(ws.agentDir, 'sessions', `${id}.jsonl`);
  writeFileSync(p, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  if (tail) appendFileSync(p, tail);
  return p;
}

function corpus(ws: Ws) {
  session(ws, 'alpha', [
    { t: 'meta', v: 1, id: 'alpha', createdAt: day('2026-10-01'), model: 'm' },
    { t: 'msg', ts: day('2026-10-01'), role: 'user', content: [{ type: 'text', text: 'The Zephyr deploy needs the blue-green switch.' }] },
    { t: 'msg', ts: day('2026-10-01'), role: 'assistant', content: [{ type: 'tool_use', id: 'tu1', name: 'run_command', input: { command: 'make zephyr-deploy' } }] },
    { t: 'tool_start', ts: day('2026-10-01'), toolUseId: 'tu1', name: 'run_command' },
    { t: 'tool_result', ts: day('2026-10-01'), toolUseId: 'tu1', content: 'zephyr deployed OK', isError: false, status: 'done', durationMs: 5 },
  ]);
  session(ws, 'beta', [
    { t: 'meta', v: 1, id: 'beta', createdAt: day('2026-11-05'), model: 'm' },
    { t: 'msg', ts: day('2026-11-05'), role: 'assistant', content: [{ type: 'text', text: 'Zephyr config lives in infra/zephyr.yaml' }] },
  ], Buffer.concat([Buffer.from('{"t":"msg","ts":1,"role":"user","content":[{"type":"text","text":"zephyr '), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}\n{"t":"msg","role":"user","content":"zephyr torn')]));
}

describe.each(SEARCH_ENGINES)('transcript_search (layer 3), $engine', ({ rgPath }) => {
  const tempWs = () => tempWsWith(undefined, { rgPath: rgPath() });

  it('returns capped snippets with session and line references, best first', async () => {
    ws = tempWs();
    corpus(ws);
    const r = await tool(ws, 'transcript_search').run({ query: 'zephyr deploy' }, ctx(ws));
    expect(r.content).toMatch(/^\d+ match\(es\) in 2 transcript\(s\)/);
    const lines = r.content.split('\n').filter((l) => l.startsWith('- '));
    expect(lines[0]).toMatch(/^- alpha:(2|3|5) /);
    expect(lines.some((l) => l.startsWith('- beta:2 [assistant'))).toBe(true);
    for (const l of lines) expect(l.length).toBeLessThan(400);
  });

  it('filters by session, role, tool and date range', async () => {
    ws = tempWs();
    corpus(ws);
    const run = async (q: object) => (await tool(ws, 'transcript_search').run({ query: 'zephyr', ...q }, ctx(ws))).content.split('\n').filter((l) => l.startsWith('- '));
    expect((await run({ session: 'beta' })).every((l) => l.startsWith('- beta:'))).toBe(true);
    expect(await run({ role: 'user' })).toEqual([expect.stringMatching(/^- alpha:2 \[user/)]);
    const tools = await run({ tool: 'run_command' });
    expect(tools.map((l) => l.slice(0, 9)).sort()).toEqual(['- alpha:3', '- alpha:5']);
    expect((await run({ since: '2026-11-01' })).every((l) => l.startsWith('- beta:'))).toBe(true);
    expect((await run({ until: '2026-10-01' })).every((l) => l.startsWith('- alpha:'))).toBe(true);
  });

  it('skips and reports torn lines and non-UTF-8 bytes', async () => {
    ws = tempWs();
    corpus(ws);
    const r = await tool(ws, 'transcript_search').run({ query: 'zephyr', session: 'beta' }, ctx(ws));
    expect(r.content).toMatch(/Skipped unreadable lines: .*beta:3 \(not-utf8\)/);
    expect(r.content).toMatch(/beta \(torn\)/);
    expect(r.content).not.toContain('zephyr torn');
  });

  it('skips files last written before the date range without reading them', async () => {
    ws = tempWs();
    const p = session(ws, 'old', [{ t: 'msg', ts: day('2020-01-01'), role: 'user', content: [{ type: 'text', text: 'zephyr' }] }]);
    utimesSync(p, new Date('2020-01-02'), new Date('2020-01-02'));
    const r = await ws.memory.searcher.search(ws.agentDir, { query: 'zephyr', since: day('2026-01-01') });
    expect(r.files).toBe(0);
  });

  it('matches lowercase and Capitalised spellings; escapes JSON in terms', () => {
    expect(planQuery('Deploy').anchors).toEqual(['eploy']);
    expect(planQuery('useEffect hook').anchors).toEqual(['seEffect']);
    expect(planQuery('"say \\"hi\\""').terms[0]!.escaped).toContain('\\\\');
  });

  it('transcript_read opens a small range around a hit', async () => {
    ws = tempWs();
    corpus(ws);
    const r = await tool(ws, 'transcript_read').run({ session: 'alpha', line: 3, before: 1, after: 1 }, ctx(ws));
    expect(r.content).toMatch(/^Session alpha, lines 2-4:\n2: user .*blue-green switch\.\n3> assistant .*\[tool_use run_command id=tu1\].*\n4: tool start run_command tu1/);
    const bad = await tool(ws, 'transcript_read').run({ session: 'beta', line: 3, before: 0, after: 1 }, ctx(ws));
    expect(bad.content).toMatch(/invalid UTF-8/);
    expect(bad.content).toMatch(/cut off/);
    expect((await tool(ws, 'transcript_read').run({ session: 'nope', line: 1 }, ctx(ws))).isError).toBe(true);
  });
});
