/**
 * The memory store over `.agent/`: the index MEMORY.md, topic files in memory/, held (pending) writes and the
 * append-only write log under state/. Every change runs under a cross-process lock, writes the topic file
 * atomically first and the index line second, appends one log line, and tells listeners (the memory view).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine, Mutex, tryLock, withFileLock, writeFileAtomic } from './fsx';
import {
  checkIndex, formatSource, indexLine, parseIndex, parseTopic, removeIndexLine, scrubSecrets, serializeTopic, SLUG_RE,
  TOPIC_MAX_BYTES, upsertIndexLine, type MemoryType, type Provenance, type Topic,
} from './format';
import { ensureMemoryGitignore } from './gitignore';

export interface MemoryPaths { agentDir: string; index: string; topics: string; state: string; pending: string; log: string; lock: string }

export function memoryPaths(agentDir: string): MemoryPaths {
  const state = join(agentDir, 'state');
  return { agentDir, index: join(agentDir, 'MEMORY.md'), topics: join(agentDir, 'memory'), state, pending: join(state, 'memory-pending'), log: join(state, 'memory-log.jsonl'), lock: join(state, 'memory.lock') };
}

export interface WriteRequest {
  slug: string;
  name: string;
  description: string;
  type: MemoryType;
  /** Short hook shown after the link in the index line. */
  hook: string;
  body: string;
  /** Index link text; defaults to the name. */
  title?: string;
  /** Why (for updates that correct a memory): shown to the user. */
  reason?: string;
  provenance: Provenance;
}

export type LogOp = 'write' | 'update' | 'delete' | 'held' | 'approve' | 'discard' | 'refused';

export interface LogEntry {
  ts: number;
  op: LogOp;
  slug: string;
  actor: 'agent' | 'user';
  sessionId?: string;
  toolUseId?: string;
  evidence?: string[];
  reason?: string;
  pendingId?: string;
  redactions?: number;
}

export interface PendingWrite { id: string; ts: number; why: string; request: WriteRequest }

export interface TopicSummary { slug: string; name: string; description: string; type: MemoryType; updated: string; source: string; indexed: boolean }

export type MemoryChange = { entry: LogEntry; topic: TopicSummary | null; pending?: PendingWrite; pendingRemoved?: string };

export type WriteOutcome =
  | { ok: true; op: 'write' | 'update'; slug: string; line: string; shortened: boolean; redactions: number; previous?: Topic }
  | { ok: false; error: string };

export class MemoryStore {
  readonly paths: MemoryPaths;
  private readonly mutex = new Mutex();
  private readonly listeners = new Set<(c: MemoryChange) => void>();

  constructor(agentDir: string, private readonly now: () => number = Date.now) {
    this.paths = memoryPaths(agentDir);
  }

  onChange(fn: (c: MemoryChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(c: MemoryChange): void {
    for (const l of this.listeners) { try { l(c); } catch { /* a broken listener must not break a write */ } }
  }

  readIndex(): string {
    try { return readFileSync(this.paths.index, 'utf8'); } catch { return ''; }
  }

  topicPath(slug: string): string {
    if (!SLUG_RE.test(slug)) throw new Error(`"${slug.slice(0, 60)}" is not a valid memory slug (lowercase letters, digits and dashes, at most 40).`);
    return join(this.paths.topics, `${slug}.md`);
  }

  readTopic(slug: string): Topic | undefined {
    let text: string;
    try { text = readFileSync(this.topicPath(slug), 'utf8'); } catch { return undefined; }
    return parseTopic(slug, text);
  }

  /** The topic file's text as it is on disk (front matter included), or undefined. */
  readRaw(slug: string): string | undefined {
    try { return readFileSync(this.topicPath(slug), 'utf8'); } catch { return undefined; }
  }

  /** ms since the topic was last written (front matter `updated`, else the file's mtime). */
  ageMs(t: Topic): number {
    const at = Date.parse(t.updated);
    if (Number.isFinite(at)) return Math.max(0, this.now() - at);
    try { return Math.max(0, this.now() - statSync(this.topicPath(t.slug)).mtimeMs); } catch { return 0; }
  }

  listTopics(): TopicSummary[] {
    const indexed = new Set(parseIndex(this.readIndex()).entries.map((e) => e.slug));
    let files: string[] = [];
    try { files = readdirSync(this.paths.topics).filter((f) => f.endsWith('.md') && SLUG_RE.test(f.slice(0, -3))); } catch { /* none yet */ }
    const out: TopicSummary[] = [];
    for (const f of files.sort()) {
      const t = this.readTopic(f.slice(0, -3));
      if (t) out.push(summary(t, indexed.has(t.slug)));
    }
    return out;
  }

  /**
   * Repair what an interrupted write (a killed process, a crash, a full disk) left: stray temp files of the index,
   * topics and held writes are removed, and every topic file without its index line gets it (from its front
   * matter), so no topic is ever left unreachable. Runs under the cross-process lock; skipped (returns []) when
   * another window holds it. Returns what was repaired, for the user.
   */
  recover(): string[] {
    if (!existsSync(this.paths.agentDir)) return [];
    const release = tryLock(this.paths.lock);
    if (!release) return [];
    const notes: string[] = [];
    try {
      let removed = 0;
      const sweep = (dir: string, keep: (f: string) => boolean) => {
        let files: string[] = [];
        try { files = readdirSync(dir); } catch { return; }
        for (const f of files) if (/\.\d+\.[0-9a-f]+\.tmp$/.test(f) && keep(f)) { try { unlinkSync(join(dir, f)); removed++; } catch { /* gone */ } }
      };
      sweep(this.paths.agentDir, (f) => f.startsWith('MEMORY.md.'));
      sweep(this.paths.topics, () => true);
      sweep(this.paths.pending, () => true);
      if (removed) notes.push(`Removed ${removed} temporary file(s) left by an interrupted memory write.`);
      let index = this.readIndex();
      const indexed = new Set(parseIndex(index).entries.map((e) => e.slug));
      const fixed: string[] = [];
      let files: string[] = [];
      try { files = readdirSync(this.paths.topics).filter((f) => f.endsWith('.md') && SLUG_RE.test(f.slice(0, -3))).sort(); } catch { /* no topics */ }
      for (const f of files) {
        const slug = f.slice(0, -3);
        if (indexed.has(slug)) continue;
        const t = this.readTopic(slug);
        const line = t ? indexLine(slug, t.name || slug, t.description || t.name || slug) : undefined;
        if (!t || !line || 'error' in line) { notes.push(`The memory topic ${slug} has no index line and none could be made from it.`); continue; }
        const next = upsertIndexLine(index, slug, line.line);
        const check = checkIndex(next);
        if (!check.ok) { notes.push(`The memory topic ${slug} has no index line, and adding one would overflow MEMORY.md: ${check.error}`); continue; }
        index = next;
        fixed.push(slug);
      }
      if (fixed.length) {
        writeFileAtomic(this.paths.index, index);
        for (const slug of fixed) this.log({ op: 'write', slug, actor: 'agent', reason: 'recovered: the index line was missing after an interrupted write' });
        notes.push(`Gave ${fixed.length} memory topic(s) their missing index line after an interrupted write: ${fixed.join(', ')}.`);
      }
    } catch (err) {
      notes.push(`Could not finish repairing memory: ${(err as Error).message}`);
    } finally {
      release();
    }
    return notes;
  }

  /** Write or update a topic: topic file first (atomically), index line second, then the log. */
  write(req: WriteRequest): Promise<WriteOutcome> {
    return this.locked(() => this.writeNow(req));
  }

  private writeNow(req: WriteRequest): WriteOutcome {
    if (!SLUG_RE.test(req.slug)) return { ok: false, error: `"${req.slug}" is not a valid slug: use lowercase letters, digits and dashes (at most 40).` };
    const body = scrubSecrets(req.body);
    const name = scrubSecrets(req.name);
    const description = scrubSecrets(req.description);
    const hook = scrubSecrets(req.hook);
    const redactions = body.redactions + name.redactions + description.redactions + hook.redactions;
    const lineRes = indexLine(req.slug, req.title ? scrubSecrets(req.title).text : name.text, hook.text);
    if ('error' in lineRes) return { ok: false, error: lineRes.error };
    const previous = this.readTopic(req.slug);
    const newIndex = upsertIndexLine(this.readIndex(), req.slug, lineRes.line);
    const check = checkIndex(newIndex);
    // Checked before anything is written: an overflow is an explicit error, never a silent cut.
    if (!check.ok) return { ok: false, error: check.error! };
    const topic: Topic = { slug: req.slug, name: name.text, description: description.text, type: req.type, updated: new Date(this.now()).toISOString(), source: formatSource(req.provenance), body: body.text };
    const text = serializeTopic(topic);
    if (Buffer.byteLength(text) > TOPIC_MAX_BYTES) return { ok: false, error: `The topic is too large (${Buffer.byteLength(text)} bytes; at most ${TOPIC_MAX_BYTES}). Keep only durable, non-derivable facts; split it into several topics.` };
    ensureMemoryGitignore(this.paths.agentDir);
    const prevRaw = this.readRaw(req.slug);
    try { writeFileAtomic(this.topicPath(req.slug), text); } catch (err) {
      return { ok: false, error: `The memory "${req.slug}" was not saved. ${(err as Error).message} MEMORY.md is unchanged.` };
    }
    try { writeFileAtomic(this.paths.index, newIndex); } catch (err) {
      // Never a topic without its index line: take the topic back to what it was.
      let undone: string;
      try {
        if (prevRaw === undefined) { unlinkSync(this.topicPath(req.slug)); undone = 'Its new topic file was removed again, so no topic is left without its index line.'; }
        else { writeFileAtomic(this.topicPath(req.slug), prevRaw); undone = 'The topic keeps its previous content.'; }
      } catch { undone = prevRaw === undefined ? 'Its topic file could not be removed; it is given its index line the next time Cairn starts.' : 'The topic file already holds the new content (its index line is the old one).'; }
      return { ok: false, error: `The memory "${req.slug}" was not saved: MEMORY.md could not be updated. ${(err as Error).message} ${undone}` };
    }
    const op = previous ? 'update' : 'write';
    const entry = this.log({ op, slug: req.slug, ...provFields(req.provenance), ...(req.reason ? { reason: req.reason } : {}), ...(redactions ? { redactions } : {}) });
    this.emit({ entry, topic: summary(topic, true) });
    return { ok: true, op, slug: req.slug, line: lineRes.line, shortened: lineRes.shortened, redactions, ...(previous ? { previous } : {}) };
  }

  /** Delete a topic: the index line first (so no pointer dangles), then the file. */
  delete(slug: string, provenance: Provenance, reason?: string): Promise<{ ok: true; existed: boolean } | { ok: false; error: string }> {
    return this.locked(() => {
      if (!SLUG_RE.test(slug)) return { ok: false as const, error: `"${slug}" is not a valid slug.` };
      const path = this.topicPath(slug);
      const index = this.readIndex();
      const inIndex = parseIndex(index).entries.some((e) => e.slug === slug);
      const existed = existsSync(path) || inIndex;
      if (!existed) return { ok: true as const, existed: false };
      if (inIndex) writeFileAtomic(this.paths.index, removeIndexLine(index, slug));
      try { unlinkSync(path); } catch { /* only the pointer existed */ }
      const entry = this.log({ op: 'delete', slug, ...provFields(provenance), ...(reason ? { reason } : {}) });
      this.emit({ entry, topic: null });
      return { ok: true as const, existed: true };
    });
  }

  /** The user edits a topic in the memory view (raw file text, front matter included). */
  saveRaw(slug: string, text: string): Promise<WriteOutcome> {
    const t = parseTopic(slug, text);
    const prev = this.readTopic(slug);
    const hook = prev ? parseIndex(this.readIndex()).entries.find((e) => e.slug === slug)?.hook ?? t.description : t.description;
    return this.write({ slug, name: t.name, description: t.description, type: t.type, hook, body: t.body, provenance: { actor: 'user' }, reason: 'edited in the memory view' });
  }

  /** Hold a write for the user's review (the task read untrusted content). Nothing reaches memory/ yet. */
  hold(req: WriteRequest, why: string): Promise<PendingWrite> {
    return this.locked(() => {
      const scrubbed: WriteRequest = { ...req, body: scrubSecrets(req.body).text, name: scrubSecrets(req.name).text, description: scrubSecrets(req.description).text, hook: scrubSecrets(req.hook).text };
      const p: PendingWrite = { id: randomUUID(), ts: this.now(), why, request: scrubbed };
      writeFileAtomic(join(this.paths.pending, `${p.id}.json`), JSON.stringify(p, null, 1));
      const entry = this.log({ op: 'held', slug: req.slug, ...provFields(req.provenance), pendingId: p.id, reason: why });
      this.emit({ entry, topic: null, pending: p });
      return p;
    });
  }

  listPending(): PendingWrite[] {
    let files: string[] = [];
    try { files = readdirSync(this.paths.pending).filter((f) => /^[0-9a-f-]{36}\.json$/.test(f)); } catch { return []; }
    const out: PendingWrite[] = [];
    for (const f of files) {
      try { out.push(JSON.parse(readFileSync(join(this.paths.pending, f), 'utf8')) as PendingWrite); } catch { /* unreadable: skipped */ }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  private pendingPath(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('invalid pending id');
    return join(this.paths.pending, `${id}.json`);
  }

  /** The user approves a held write: it is written now (same discipline), and the pending file removed. */
  async approve(id: string): Promise<WriteOutcome> {
    const p = this.listPending().find((x) => x.id === id);
    if (!p) return { ok: false, error: 'That pending memory write no longer exists.' };
    const res = await this.write({ ...p.request, provenance: { ...p.request.provenance }, reason: `approved by the user (held: ${p.why})` });
    if (res.ok) {
      await this.locked(() => {
        try { unlinkSync(this.pendingPath(id)); } catch { /* gone */ }
        const entry = this.log({ op: 'approve', slug: p.request.slug, actor: 'user', pendingId: id });
        this.emit({ entry, topic: null, pendingRemoved: id });
      });
    }
    return res;
  }

  discard(id: string): Promise<boolean> {
    return this.locked(() => {
      const p = this.listPending().find((x) => x.id === id);
      if (!p) return false;
      try { unlinkSync(this.pendingPath(id)); } catch { return false; }
      const entry = this.log({ op: 'discard', slug: p.request.slug, actor: 'user', pendingId: id });
      this.emit({ entry, topic: null, pendingRemoved: id });
      return true;
    });
  }

  /** Record a refused write (evidence that did not succeed...) so the user sees attempts too. */
  refused(slug: string, provenance: Provenance, reason: string): void {
    try { this.log({ op: 'refused', slug, ...provFields(provenance), reason }); } catch { /* logging must not mask the refusal */ }
  }

  /** The last `limit` log entries, oldest first. Torn or corrupt lines are skipped. */
  readLog(limit = 200): LogEntry[] {
    let text = '';
    try { text = readFileSync(this.paths.log, 'utf8'); } catch { return []; }
    const out: LogEntry[] = [];
    for (const line of text.split('\n').slice(-limit - 1)) {
      if (!line.trim()) continue;
      try { out.push(JSON.parse(line) as LogEntry); } catch { /* torn line */ }
    }
    return out.slice(-limit);
  }

  private log(e: Omit<LogEntry, 'ts'>): LogEntry {
    const entry: LogEntry = { ts: this.now(), ...e };
    appendLine(this.paths.log, JSON.stringify(entry));
    return entry;
  }

  private locked<T>(fn: () => T): Promise<T> {
    return this.mutex.run(() => withFileLock(this.paths.lock, fn));
  }
}

function provFields(p: Provenance): Pick<LogEntry, 'actor' | 'sessionId' | 'toolUseId' | 'evidence'> {
  return { actor: p.actor, ...(p.sessionId ? { sessionId: p.sessionId } : {}), ...(p.toolUseId ? { toolUseId: p.toolUseId } : {}), ...(p.evidence?.length ? { evidence: p.evidence } : {}) };
}

export function summary(t: Topic, indexed: boolean): TopicSummary {
  return { slug: t.slug, name: t.name, description: t.description, type: t.type, updated: t.updated, source: t.source, indexed };
}
