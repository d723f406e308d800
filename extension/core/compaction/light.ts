/**
 * The light strategies, no model call:
 * - snip (1b): a result superseded later — the same file read again, an older read of a file edited since, the same
 *   call repeated — becomes a one-line stub;
 * - microcompact (2): the contents of old tool results are cleared, the most recent N kept, each leaving a marker
 *   that says what was there and how to get it back (the whole output is kept in a file the model can read).
 * They produce targets (tool_use id -> new content) that a compaction entry records and the projection applies.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ContentParam, HistoryItem } from '../session/project';
import type { LedgerTools } from './ledger';
import { resultText, textTokens } from './tokens';

export interface LightTools extends LedgerTools {
  path(name: string, input: unknown): string | undefined;
  label(name: string): string;
}

export interface Target { toolUseId: string; text: string; tokensBefore: number; tokensAfter: number; what: string }

type Result = Extract<ContentParam, { type: 'tool_result' }>;

const STUB = /^\[(Superseded|Old tool result cleared)/;

/** Every tool call of the history with its result (when it has one), in order. */
function calls(items: readonly HistoryItem[]): Array<{ id: string; name: string; input: unknown; result?: Result }> {
  const out: Array<{ id: string; name: string; input: unknown; result?: Result }> = [];
  const byId = new Map<string, { id: string; name: string; input: unknown; result?: Result }>();
  for (const it of items) {
    for (const b of it.content) {
      if (b.type === 'tool_use') { const c = { id: b.id, name: b.name, input: b.input }; out.push(c); byId.set(b.id, c); }
      else if (b.type === 'tool_result') { const c = byId.get(b.tool_use_id); if (c) c.result = b; }
    }
  }
  return out;
}

const norm = (root: string, p: string | undefined) => (p === undefined ? undefined : relative(root, isAbsolute(p) ? p : resolve(root, p)));

/** Snip: results a later call made obsolete. */
export function snipTargets(items: readonly HistoryItem[], tools: LightTools, root: string): Target[] {
  const all = calls(items);
  const out: Target[] = [];
  all.forEach((c, i) => {
    if (!c.result || STUB.test(resultText(c.result))) return;
    const info = tools.info(c.name, c.input);
    if (info.kind !== 'read' && info.kind !== 'state') return;
    const key = JSON.stringify([c.name, c.input]);
    const path = norm(root, tools.path(c.name, c.input));
    let reason: string | undefined;
    for (const later of all.slice(i + 1)) {
      if (!later.result) continue;
      if (JSON.stringify([later.name, later.input]) === key) { reason = 'the same call was made again later'; break; }
      const lk = tools.info(later.name, later.input).kind;
      if (path !== undefined && lk === 'edit' && norm(root, tools.path(later.name, later.input)) === path && !later.result.is_error) { reason = `${path} was changed afterwards, so this content is out of date`; break; }
      if (path !== undefined && c.name === 'read_file' && later.name === 'read_file' && norm(root, tools.path(later.name, later.input)) === path && !hasRange(later.input)) { reason = `${path} was read again afterwards`; break; }
    }
    if (!reason) return;
    const before = textTokens(resultText(c.result));
    const what = `${tools.label(c.name)} ${info.title ?? ''}`.trim();
    const text = `[Superseded: ${what} — ${reason}. Use the later result.]`;
    if (before > textTokens(text) + 20) out.push({ toolUseId: c.id, text, tokensBefore: before, tokensAfter: textTokens(text), what });
  });
  return out;
}

function hasRange(input: unknown): boolean {
  const o = input as { offset?: unknown; limit?: unknown } | null;
  return Boolean(o && (o.offset !== undefined || o.limit !== undefined));
}

/**
 * Microcompact: clear all but the `keep` most recent results of the tools that only look or run things (read,
 * command, state, memory reads, other servers' tools). Each result is saved whole to a file first.
 */
export function microcompactTargets(items: readonly HistoryItem[], keep: number, tools: LightTools, o: { sessionDir: string; workspaceRoot: string }): Target[] {
  const compactable = calls(items).filter((c) => {
    if (!c.result) return false;
    const k = tools.info(c.name, c.input).kind;
    return k === 'read' || k === 'command' || k === 'state' || k === 'external' || k === 'memory';
  });
  const old = compactable.slice(0, Math.max(0, compactable.length - keep));
  const out: Target[] = [];
  for (const c of old) {
    const text = resultText(c.result!);
    if (STUB.test(text)) continue;
    const before = textTokens(text);
    if (before < 120) continue;
    const info = tools.info(c.name, c.input);
    const what = `${tools.label(c.name)} ${info.title ?? ''}`.trim();
    const saved = saveWhole(c.id, text, o);
    const how = saved ? `The whole result is in ${saved}; read it with read_file if you need it again.` : 'Run the tool again if you need it.';
    const marker = `[Old tool result cleared to save context: ${what} (about ${before.toLocaleString('en-US')} tokens). ${how}]`;
    out.push({ toolUseId: c.id, text: marker, tokensBefore: before, tokensAfter: textTokens(marker), what });
  }
  return out;
}

function saveWhole(id: string, text: string, o: { sessionDir: string; workspaceRoot: string }): string | undefined {
  const dir = join(o.sessionDir, 'tool-results');
  const file = join(dir, `${id.replace(/[^\w.-]/g, '_')}.txt`);
  try {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(file)) writeFileSync(file, text, { flag: 'wx' });
    return relative(o.workspaceRoot, file).split(sep).join('/');
  } catch {
    return undefined;
  }
}
