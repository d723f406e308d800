/**
 * Fast search over `.agent/sessions/*.jsonl`, off the main thread: the files are split across a small pool of
 * worker threads (by size), each scanning with one reused buffer (chunkBytes; so at most workers x chunkBytes
 * of transcript is in memory) and Buffer.indexOf on bytes. Only matching lines are decoded and parsed.
 *
 * Query: whitespace-separated terms (or one "quoted phrase"). The rarest-looking term (digits, punctuation, length) is the byte anchor; lines that
 * contain it are scored by how many terms their text contains (all terms first), then by recency. Matching is
 * case-insensitive for lowercase and Capitalised spellings (the anchor skips the first letter); text in ALL CAPS
 * is not found by a lowercase query.
 */
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { findRgOnPath } from '../../tools/grep';
import { SCAN_WORKER_SOURCE } from './worker-source';

export type SearchRole = 'user' | 'assistant' | 'tool';

export interface SearchQuery {
  query: string;
  session?: string;
  role?: SearchRole;
  tool?: string;
  /** Epoch ms bounds (inclusive). */
  since?: number;
  until?: number;
  /** Most hits returned (after ranking). */
  limit?: number;
  /** Require every term on the line (default false: lines with more terms rank first). */
  all?: boolean;
}

export interface SearchHit { session: string; line: number; ts: number; role: string; kind: string; tools: string[]; snippet: string; score: number }
export interface SearchProblem { session: string; line?: number; kind: string; detail: string }
export interface SearchResult {
  hits: SearchHit[]; problems: SearchProblem[]; files: number; scannedBytes: number; stopped: boolean; ms: number;
  /** What found the candidate lines. */
  engine: 'ripgrep' | 'scan';
}

export interface SearcherOptions {
  workers?: number;
  /** Per-worker read buffer (default 16 MiB; the pool never holds more than workers x chunkBytes of data). */
  chunkBytes?: number;
  /** Lines containing the anchor that are examined at most, per worker (a very common term stops early). */
  maxCandidates?: number;
  snippetChars?: number;
  /** Terminate idle workers after this long (ms). */
  idleMs?: number;
  /**
   * The ripgrep binary that finds candidate lines (several times faster than the byte scan). Undefined: `rg` on
   * PATH if there is one; null: always the byte scan. If ripgrep fails to run, the search falls back to the
   * byte scan and stays there.
   */
  rgPath?: string | null;
}

interface Term { plain: string; escaped: string }

export function planQuery(query: string): { terms: Term[]; anchors: string[] } {
  const q = query.trim();
  const phrase = /^"(.+)"$/.exec(q);
  const raw = phrase ? [phrase[1]!] : q.split(/\s+/).filter(Boolean);
  const uniq = [...new Set(raw)].slice(0, 8);
  const terms = uniq.map((t) => ({ plain: t.toLowerCase(), escaped: JSON.stringify(t).slice(1, -1).toLowerCase() }));
  if (!uniq.length) return { terms, anchors: [] };
  // The anchor is the term most likely to be rare: codes with digits or punctuation first, then the longest.
  const rarity = (t: string) => Buffer.byteLength(t) + (/\d/.test(t) ? 4 : 0) + (/[-_.:/]/.test(t) ? 2 : 0);
  const longest = uniq.reduce((a, b) => (rarity(b) > rarity(a) ? b : a));
  const esc = JSON.stringify(longest).slice(1, -1);
  const restHasUpper = /[A-Z]/.test(esc.slice(1));
  let anchors: string[];
  if (esc.length >= 4 && /^[A-Za-z]/.test(esc)) anchors = [restHasUpper ? esc.slice(1) : esc.slice(1).toLowerCase()];
  else anchors = [...new Set([esc, esc.toLowerCase(), esc.charAt(0).toUpperCase() + esc.slice(1).toLowerCase(), esc.toUpperCase()])];
  return { terms, anchors };
}

interface FileJob { path: string; session: string; size: number; mtimeMs: number }

export function listTranscripts(agentDir: string, q: Pick<SearchQuery, 'session' | 'since'> = {}): FileJob[] {
  const dir = join(agentDir, 'sessions');
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const out: FileJob[] = [];
  for (const n of names) {
    if (!n.endsWith('.jsonl')) continue;
    const session = n.slice(0, -6);
    if (q.session && session !== q.session) continue;
    try {
      const st = statSync(join(dir, n));
      // Transcripts are append-only: a file last written before `since` holds nothing newer.
      if (q.since !== undefined && st.mtimeMs < q.since) continue;
      out.push({ path: join(dir, n), session, size: st.size, mtimeMs: st.mtimeMs });
    } catch { /* vanished */ }
  }
  return out;
}

interface Slot { worker: Worker; busy: boolean }

export class TranscriptSearcher {
  private slots: Slot[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly opts: Required<Omit<SearcherOptions, 'rgPath'>>;
  private rg: string | null | undefined;

  constructor(opts: SearcherOptions = {}) {
    this.opts = {
      workers: opts.workers ?? Math.max(1, Math.min(2, cpus().length)),
      chunkBytes: opts.chunkBytes ?? 16 * 1024 * 1024,
      maxCandidates: opts.maxCandidates ?? 200_000,
      snippetChars: opts.snippetChars ?? 240,
      idleMs: opts.idleMs ?? 60_000,
    };
    this.rg = opts.rgPath;
  }

  /** The ripgrep this searcher uses, or null for the byte scan. */
  get ripgrep(): string | null {
    if (this.rg === undefined) this.rg = findRgOnPath() ?? null;
    return this.rg;
  }

  private pool(): Slot[] {
    if (this.slots.length) return this.slots;
    for (let i = 0; i < this.opts.workers; i++) {
      const worker = new Worker(SCAN_WORKER_SOURCE, { eval: true, workerData: { chunkBytes: this.opts.chunkBytes } });
      worker.unref();
      worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result); else p.reject(new Error(m.error));
      });
      worker.on('error', (err) => { for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(err); } this.slots = []; });
      this.slots.push({ worker, busy: false });
    }
    return this.slots;
  }

  async search(agentDir: string, q: SearchQuery): Promise<SearchResult> {
    const rgPath = this.ripgrep;
    if (!rgPath) return this.run(agentDir, q, null);
    try {
      return await this.run(agentDir, q, rgPath);
    } catch (err) {
      // ripgrep missing, not executable, or failing: the byte scan finds the same lines.
      if (!/ripgrep|spawn|ENOENT|EACCES/.test(String(err))) throw err;
      this.rg = null;
      return this.run(agentDir, q, null);
    }
  }

  private async run(agentDir: string, q: SearchQuery, rgPath: string | null): Promise<SearchResult> {
    const t0 = performance.now();
    const limit = Math.max(1, Math.min(q.limit ?? 20, 100));
    const { terms, anchors } = planQuery(q.query);
    const files = listTranscripts(agentDir, q);
    const engine = rgPath ? 'ripgrep' as const : 'scan' as const;
    if (!anchors.length || !files.length) return { hits: [], problems: [], files: files.length, scannedBytes: 0, stopped: false, ms: performance.now() - t0, engine };
    const slots = this.pool();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // Balance by size; each worker reads its newest files first.
    const shares: FileJob[][] = slots.map(() => []);
    const load = slots.map(() => 0);
    for (const f of [...files].sort((a, b) => b.size - a.size)) {
      const i = load.indexOf(Math.min(...load));
      shares[i]!.push(f);
      load[i]! += f.size;
    }
    const base = { anchors, terms, role: q.role, tool: q.tool, since: q.since, until: q.until, all: Boolean(q.all), maxHits: limit, maxCandidates: this.opts.maxCandidates, snippetChars: this.opts.snippetChars, rgPath };
    type Part = { hits: Array<SearchHit & { offset: number }>; problems: Array<SearchProblem & { offset?: number }>; scannedBytes: number; stopped: boolean };
    try {
      const parts = await Promise.all(slots.map((s, i) => {
        const share = shares[i]!.sort((a, b) => b.mtimeMs - a.mtimeMs).map((f) => ({ path: f.path, session: f.session }));
        if (!share.length) return Promise.resolve<Part>({ hits: [], problems: [], scannedBytes: 0, stopped: false });
        const id = this.nextId++;
        return new Promise<Part>((resolve, reject) => {
          this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
          s.worker.postMessage({ ...base, id, files: share });
        });
      }));
      const hits = parts.flatMap((p) => p.hits).sort((a, b) => b.score - a.score || b.ts - a.ts || a.offset - b.offset).slice(0, limit)
        .map(({ session, line, ts, role, kind, tools, snippet, score }) => ({ session, line, ts, role, kind, tools, snippet, score }));
      const problems = parts.flatMap((p) => p.problems).slice(0, 50).map(({ session, line, kind, detail }) => ({ session, kind, detail, ...(line ? { line } : {}) }));
      return { hits, problems, files: files.length, scannedBytes: parts.reduce((n, p) => n + p.scannedBytes, 0), stopped: parts.some((p) => p.stopped), ms: performance.now() - t0, engine };
    } finally {
      this.idleTimer = setTimeout(() => this.dispose(), this.opts.idleMs);
      this.idleTimer.unref?.();
    }
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const s of this.slots) void s.worker.terminate();
    this.slots = [];
    for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(new Error('The search was stopped.')); }
  }
}
