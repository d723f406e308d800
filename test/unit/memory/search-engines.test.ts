// The ripgrep path and the byte scan must give the same answers (ripgrep only finds the candidate lines; the
// checks, parsing and ranking are shared), and a ripgrep that cannot run falls back to the byte scan.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TranscriptSearcher, type SearchQuery } from '../../../extension/core/memory/search/search';
import { rng } from '../../bench/lib/common';
import { tempWs, testRipgrep, type Ws } from './helpers';

let ws: Ws;
const searchers: TranscriptSearcher[] = [];
afterEach(() => { for (const s of searchers.splice(0)) s.dispose(); ws?.cleanup(); });

const WORDS = 'alpha beta gamma delta deploy staging port Zephyr zephyr config cache worker quokka-17 quokka-1702 build'.split(' ');

/** Random transcripts with torn tails, invalid UTF-8 and corrupt lines, lines of 10 B to 200 KB. */
function corpus(ws: Ws): void {
  const r = rng(7);
  const dir = join(ws.agentDir, 'sessions');
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 12; f++) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const n = r() < 0.01 ? 20_000 : 1 + Math.floor(r() * 40);
      const text = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const k = r();
      const e = k < 0.4 ? { t: 'msg', ts: 1000 + i, role: 'user', content: [{ type: 'text', text }] }
        : k < 0.7 ? { t: 'msg', ts: 1000 + i, role: 'assistant', content: [{ type: 'tool_use', id: `tu${f}-${i}`, name: r() < 0.5 ? 'run_command' : 'grep', input: { q: text } }] }
          : { t: 'tool_result', ts: 1000 + i, toolUseId: `tu${f}-${i - 1}`, content: text, isError: false, status: 'done', durationMs: 1 };
      parts.push(Buffer.from(`${JSON.stringify(e)}\n`));
      if (r() < 0.003) parts.push(Buffer.concat([Buffer.from('{"t":"msg","ts":5,"role":"user","content":[{"type":"text","text":"zephyr '), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}\n')]));
      if (r() < 0.003) parts.push(Buffer.from('{"t":"msg", zephyr not json\n'));
    }
    if (f % 3 === 0) parts.push(Buffer.from('{"t":"msg","ts":9,"role":"user","content":[{"type":"text","text":"zephyr torn'));
    writeFileSync(join(dir, `s${f}.jsonl`), Buffer.concat(parts));
  }
}

const QUERIES: SearchQuery[] = [
  { query: 'zephyr deploy' }, { query: 'Zephyr', limit: 50 }, { query: 'quokka-17 staging port', limit: 30 },
  { query: 'quokka-1702' }, { query: 'config', role: 'user', limit: 40 }, { query: 'cache worker', tool: 'run_command' },
  { query: 'deploy', all: true, limit: 100 }, { query: '"alpha beta"' }, { query: 'nothing-like-this' },
];

describe('transcript search engines', () => {
  it('ripgrep and the byte scan return the same hits, lines and problems', async () => {
    ws = tempWs();
    corpus(ws);
    const scan = new TranscriptSearcher({ rgPath: null, chunkBytes: 256 * 1024 });
    const rg = new TranscriptSearcher({ rgPath: testRipgrep(), chunkBytes: 256 * 1024 });
    searchers.push(scan, rg);
    let total = 0;
    for (const q of QUERIES) {
      const [a, b] = [await scan.search(ws.agentDir, q), await rg.search(ws.agentDir, q)];
      expect(a.engine).toBe('scan');
      expect(b.engine).toBe('ripgrep');
      const key = (h: { session: string; line: number; score: number; snippet: string }) => `${h.session}:${h.line}:${h.score}:${h.snippet}`;
      // Equal scores may tie-break differently between workers: compare as sets.
      expect(new Set(b.hits.map(key)), JSON.stringify(q)).toEqual(new Set(a.hits.map(key)));
      // A corrupt line is reported only if it could still enter the top hits, which depends on the order lines
      // are met in: compare those only when fewer hits than the limit were found (then every one is parsed).
      const all = a.hits.length < (q.limit ?? 20);
      const probs = (r: typeof a) => new Set(r.problems.filter((p) => all || p.kind !== 'corrupt').map((p) => `${p.session}:${p.line ?? ''}:${p.kind}`));
      expect(probs(b), JSON.stringify(q)).toEqual(probs(a));
      expect(a.problems.length).toBeLessThan(50); // (the result keeps at most 50)
      expect(b.scannedBytes).toBe(a.scannedBytes);
      total += a.hits.length;
    }
    expect(total).toBeGreaterThan(100);
  }, 120_000);

  it('falls back to the byte scan when ripgrep cannot run', async () => {
    ws = tempWs();
    corpus(ws);
    const broken = new TranscriptSearcher({ rgPath: join(ws.root, 'no-such-rg') });
    searchers.push(broken);
    const r = await broken.search(ws.agentDir, { query: 'zephyr deploy' });
    expect(r.engine).toBe('scan');
    expect(r.hits.length).toBeGreaterThan(0);
    expect(broken.ripgrep).toBeNull();
  });
});
