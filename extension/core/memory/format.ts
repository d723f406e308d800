/**
 * The on-disk formats of memory: `.agent/MEMORY.md` (one pointer line per memory, nothing else that counts)
 * and `.agent/memory/<slug>.md` topic files with a small front matter block. Also the limits and the secret
 * scrubber every write goes through.
 */
import { redact } from '../util/redact';

export const MEMORY_TYPES = ['user', 'feedback', 'project', 'reference'] as const;
export type MemoryType = (typeof MEMORY_TYPES)[number];

/** The index limits (Claude Code parity): past them a write is refused with an explicit error. */
export const INDEX_MAX_LINES = 200;
export const INDEX_MAX_BYTES = 25 * 1024;
/**
 * One index line is at most this many UTF-8 bytes. 200 full lines are ~11 KB, under 3,000 tokens in context:
 * the index holds pointers, the detail lives in the topic file.
 */
export const INDEX_LINE_MAX_BYTES = 54;
export const TOPIC_MAX_BYTES = 64 * 1024;
export const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface TopicMeta {
  name: string;
  description: string;
  type: MemoryType;
  /** ISO time of the last write. */
  updated: string;
  /** Provenance: who wrote it (user or agent), from which session and tool calls. */
  source: string;
}

export interface Topic extends TopicMeta { slug: string; body: string }

export interface Provenance {
  actor: 'agent' | 'user';
  sessionId?: string;
  /** The tool_use id of the memory write itself and the ids of the calls it records. */
  toolUseId?: string;
  evidence?: string[];
}

export function formatSource(p: Provenance): string {
  const parts: string[] = [p.actor];
  if (p.sessionId) parts.push(`session=${p.sessionId}`);
  if (p.toolUseId) parts.push(`call=${p.toolUseId}`);
  if (p.evidence?.length) parts.push(`evidence=${p.evidence.join(',')}`);
  return parts.join(' ');
}

export function slugify(text: string): string {
  const s = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return s || 'memory';
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();

/** Front matter values are one line each; quoted as JSON when they contain characters YAML would misread. */
function fmValue(v: string): string {
  const s = oneLine(v);
  return /^[\w .,;:()/'=@+-]*$/.test(s) && !/^[\s'"]|:\s|\s$/.test(s) && s !== '' ? s : JSON.stringify(s);
}

export function serializeTopic(t: Topic): string {
  const fm = ['---', `name: ${fmValue(t.name)}`, `description: ${fmValue(t.description)}`, `type: ${t.type}`, `updated: ${t.updated}`, `source: ${fmValue(t.source)}`, '---', ''];
  return `${fm.join('\n')}${t.body.replace(/\s+$/, '')}\n`;
}

/** Parse a topic file; tolerant of hand edits (missing keys get defaults, unknown keys are ignored). */
export function parseTopic(slug: string, text: string): Topic {
  const meta: Record<string, string> = {};
  let body = text;
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (m) {
    body = text.slice(m[0].length);
    for (const line of m[1]!.split(/\r?\n/)) {
      const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
      if (!kv) continue;
      let v = kv[2]!.trim();
      if (v.startsWith('"')) { try { v = String(JSON.parse(v)); } catch { /* keep raw */ } }
      meta[kv[1]!] = v;
    }
  }
  const type = (MEMORY_TYPES as readonly string[]).includes(meta.type ?? '') ? (meta.type as MemoryType) : 'project';
  return { slug, name: meta.name || slug, description: meta.description ?? '', type, updated: meta.updated ?? '', source: meta.source ?? 'unknown', body: body.replace(/^\s*\n/, '') };
}

export interface IndexLine { slug: string; title: string; hook: string; raw: string }

const LINE_RE = /^\s*[-*]\s*\[([^\]]*)\]\((?:\.\/)?memory\/([a-z0-9][a-z0-9-]*)\.md\)\s*(?:[:\u2014-]\s*)?(.*)$/;

/** Parse MEMORY.md: pointer lines (others, such as headings or notes the user added, are kept as they are). */
export function parseIndex(text: string): { lines: string[]; entries: IndexLine[] } {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const entries: IndexLine[] = [];
  for (const raw of lines) {
    const m = LINE_RE.exec(raw);
    if (m) entries.push({ title: m[1]!, slug: m[2]!, hook: m[3]!.trim(), raw });
  }
  return { lines, entries };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cut `s` to at most `max` UTF-8 bytes on a character boundary, marking the cut with an ellipsis. */
export function cutBytes(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (bytes(out + ch) + 3 > max) break;
    out += ch;
  }
  return `${out.trimEnd()}\u2026`;
}

/**
 * The pointer line for a topic: `- [Title](memory/slug.md): hook`, at most INDEX_LINE_MAX_BYTES bytes.
 * Returns an error when even the title and link do not fit; the hook is shortened to fit (and says so).
 */
export function indexLine(slug: string, title: string, hook: string): { line: string; shortened: boolean } | { error: string } {
  const t = oneLine(title).replace(/[[\]]/g, '');
  const h = oneLine(hook);
  const head = `- [${t}](memory/${slug}.md)`;
  if (bytes(head) > INDEX_LINE_MAX_BYTES - 4) {
    return { error: `The index line "${head}" is too long: the title and slug together must leave room for a hook within ${INDEX_LINE_MAX_BYTES} bytes. Use a shorter title (a few words) or slug.` };
  }
  if (!h) return { line: head, shortened: false };
  const full = `${head}: ${h}`;
  if (bytes(full) <= INDEX_LINE_MAX_BYTES) return { line: full, shortened: false };
  return { line: `${head}: ${cutBytes(h, INDEX_LINE_MAX_BYTES - bytes(head) - 2)}`, shortened: true };
}

export interface IndexCheck { ok: boolean; lines: number; bytes: number; error?: string }

/** Is the index within its limits? Over them, `error` says so plainly (never a silent cut). */
export function checkIndex(text: string): IndexCheck {
  const { lines } = parseIndex(text);
  const size = bytes(text);
  if (lines.length > INDEX_MAX_LINES || size > INDEX_MAX_BYTES) {
    return { ok: false, lines: lines.length, bytes: size, error: `MEMORY.md is over its limit (${lines.length} lines, ${size} bytes; the limit is ${INDEX_MAX_LINES} lines and ${INDEX_MAX_BYTES} bytes). Merge or delete memories (memory_delete) before adding more.` };
  }
  return { ok: true, lines: lines.length, bytes: size };
}

/** Insert or replace the pointer line of `slug`; other lines keep their order. */
export function upsertIndexLine(text: string, slug: string, line: string): string {
  const { lines } = parseIndex(text);
  const i = lines.findIndex((l) => LINE_RE.exec(l)?.[2] === slug);
  if (i >= 0) lines[i] = line;
  else lines.push(line);
  return `${lines.join('\n')}\n`;
}

export function removeIndexLine(text: string, slug: string): string {
  const { lines } = parseIndex(text);
  const kept = lines.filter((l) => LINE_RE.exec(l)?.[2] !== slug);
  return kept.length ? `${kept.join('\n')}\n` : '';
}

const EXTRA_SECRETS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted AWS key]'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, '[redacted GitHub token]'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, '[redacted GitHub token]'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, '[redacted Slack token]'],
  [/\bsk-[A-Za-z0-9_-]{20,}\b/g, '[redacted key]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, '[redacted JWT]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[redacted]@'],
  [/\b((?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\s*["']?\s*[:=]\s*["']?)[^\s"',;]{4,}/gi, '$1[redacted]'],
];

/** Remove secrets (API keys, tokens, private keys, passwords in assignments or URLs). Counts what it removed. */
export function scrubSecrets(text: string): { text: string; redactions: number } {
  let n = 0;
  let out = redact(text);
  if (out !== text) n += (text.match(/sk-ant-|x-api-key|authorization/gi) ?? []).length || 1;
  for (const [re, rep] of EXTRA_SECRETS) {
    out = out.replace(re, (...args) => {
      n++;
      return rep.replace('$1', typeof args[1] === 'string' ? args[1] : '');
    });
  }
  return { text: out, redactions: n };
}
