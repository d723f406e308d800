/**
 * The light strategies, no model call:
 * - snip (1b): a result superseded later — the same file read again, an older read of a file edited since, the same
 *   call repeated — becomes a one-line stub;
 * - microcompact (2): the contents of old tool results are cleared, the most recent N kept, each leaving a marker
 *   that says what was there and how to get it back (the whole output is kept in a file the model can read).
 * They produce targets (tool_use id -> new content) that a compaction entry records and the projection applies.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ContentParam, HistoryItem } from '../session/project';
import type { LedgerTools } from './ledger';
import { resultText, textTokens } from './tokens';

export interface LightTools extends LedgerTools {
  path(name: string, input: unknown): string | undefined;
  label(name: string): string;
}

export interface Target { toolUseId: string; text: string; tokensBefore: number; tokensAfter: number; what: string; /** The whole result, to save where the marker says. */ save?: { file: string; text: string } }

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

/** 12345 -> "12,345" (without the cost of a locale lookup). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const norm = (root: string, p: string | undefined) => (p === undefined ? undefined : relative(root, isAbsolute(p) ? p : resolve(root, p)));

/** Snip: results a later call made obsolete. One backward pass over the calls (the history can be long). */
export function snipTargets(items: readonly HistoryItem[], tools: LightTools, root: string): Target[] {
  const all = calls(items);
  const out: Target[] = [];
  // What later calls (with a result) did: the calls made, the paths changed, the paths read whole.
  const laterCalls = new Set<string>();
  const laterEdits = new Set<string>();
  const laterWholeReads = new Set<string>();
  const paths = new Map<string, string>();
  const normalised = (p: string | undefined) => {
    if (p === undefined) return undefined;
    let n = paths.get(p);
    if (n === undefined) { n = norm(root, p)!; paths.set(p, n); }
    return n;
  };
  for (let i = all.length - 1; i >= 0; i--) {
    const c = all[i]!;
    if (!c.result) continue;
    const info = tools.info(c.name, c.input);
    const key = `${c.name}\u0000${JSON.stringify(c.input)}`;
    const path = normalised(tools.path(c.name, c.input));
    if (info.kind === 'read' || info.kind === 'state') {
      let reason: string | undefined;
      if (laterCalls.has(key)) reason = 'the same call was made again later';
      else if (path !== undefined && laterEdits.has(path)) reason = `${path} was changed afterwards, so this content is out of date`;
      else if (path !== undefined && c.name === 'read_file' && laterWholeReads.has(path)) reason = `${path} was read again afterwards`;
      if (reason) {
        const body = resultText(c.result);
        if (!STUB.test(body)) {
          const before = textTokens(body);
          const what = `${tools.label(c.name)} ${info.title ?? ''}`.trim();
          const text = `[Superseded: ${what} — ${reason}. Use the later result.]`;
          if (before > textTokens(text) + 20) out.push({ toolUseId: c.id, text, tokensBefore: before, tokensAfter: textTokens(text), what });
        }
      }
    }
    laterCalls.add(key);
    if (path !== undefined && info.kind === 'edit' && !c.result.is_error) laterEdits.add(path);
    if (path !== undefined && c.name === 'read_file' && !hasRange(c.input)) laterWholeReads.add(path);
  }
  return out.reverse();
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
  const dir = join(o.sessionDir, 'tool-results');
  const relDir = relative(o.workspaceRoot, dir).split(sep).join('/');
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
    const name = `${c.id.replace(/[^\w.-]/g, '_')}.txt`;
    const marker = `[Old tool result cleared to save context: ${what} (about ${thousands(before)} tokens). The whole result is in ${relDir}/${name}; read it with read_file if you need it again.]`;
    const file = join(dir, name);
    out.push({ toolUseId: c.id, text: marker, tokensBefore: before, tokensAfter: textTokens(marker), what, save: { file, text } });
  }
  return out;
}

/**
 * Save the whole results the markers point at (off the request's path). A file that is already there (the budget or
 * run_command saved the whole output first) is kept: it has more than the context ever showed.
 */
export async function saveWhole(targets: readonly Target[]): Promise<void> {
  for (const t of targets) {
    if (!t.save) continue;
    try {
      await mkdir(dirname(t.save.file), { recursive: true });
      await writeFile(t.save.file, t.save.text, { flag: 'wx' });
    } catch { /* exists already, or the disk refused: the marker still says how to run the tool again */ }
  }
}
