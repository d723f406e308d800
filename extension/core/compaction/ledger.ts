/**
 * The ledger a compaction leaves beside its summary, derived mechanically from the transcript (never written by
 * the model), so done is never mistaken for pending: the files changed and the commands run so far with their
 * outcome and time, every message the user wrote (bounded), and the user's latest request verbatim.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { TranscriptEntry } from '../session/entries';
import { SYNTHETIC_PREFIX } from '../session/view';

export interface LedgerTools {
  /** A tool's kind and its one-line description of a call. */
  info(name: string, input: unknown): { kind?: string; title?: string };
}

export interface Ledger {
  changes: Array<{ what: string; tool: string; outcome: string; ts: number }>;
  commands: Array<{ what: string; outcome: string; ts: number }>;
  userMessages: string[];
  latestRequest: string | undefined;
}

const MAX_ROWS = 40;
const MAX_USER_CHARS = 16_000;
const MAX_ONE_USER = 3_000;

export function buildLedger(entries: readonly TranscriptEntry[], tools: LedgerTools): Ledger {
  const calls = new Map<string, { name: string; input: unknown }>();
  const ledger: Ledger = { changes: [], commands: [], userMessages: [], latestRequest: undefined };
  for (const e of entries) {
    if (e.t === 'msg' && e.role === 'assistant') {
      for (const b of e.content) if (b.type === 'tool_use') calls.set(b.id, { name: b.name, input: b.input });
    } else if (e.t === 'msg' && e.role === 'user') {
      const text = e.content.filter((b): b is Anthropic.TextBlockParam => b.type === 'text' && !b.text.startsWith(SYNTHETIC_PREFIX)).map((b) => b.text).join('\n').trim();
      if (text) { ledger.userMessages.push(text); ledger.latestRequest = text; }
    } else if (e.t === 'tool_result') {
      const call = calls.get(e.toolUseId);
      if (!call) continue;
      const info = tools.info(call.name, call.input);
      const what = info.title ?? call.name;
      const outcome = e.status === 'done' ? (info.kind === 'command' ? firstLine(e.content) : 'done') : `${e.status}: ${firstLine(e.content)}`;
      if (info.kind === 'edit') ledger.changes.push({ what, tool: call.name, outcome, ts: e.ts });
      else if (info.kind === 'command') ledger.commands.push({ what, outcome, ts: e.ts });
    }
  }
  ledger.changes = ledger.changes.slice(-MAX_ROWS);
  ledger.commands = ledger.commands.slice(-MAX_ROWS);
  return ledger;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

const time = (ts: number) => new Date(ts).toISOString().replace(/\.\d+Z$/, 'Z');

/** Every message the user wrote, newest kept whole when the total is over the bound. */
function userMessagesText(list: string[]): string {
  const kept: string[] = [];
  let total = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    let m = list[i]!;
    if (m.length > MAX_ONE_USER) m = `${m.slice(0, MAX_ONE_USER)}… (${m.length - MAX_ONE_USER} more characters)`;
    if (total + m.length > MAX_USER_CHARS && kept.length) { kept.unshift(`(${i + 1} earlier message(s) omitted; transcript_search finds them)`); break; }
    kept.unshift(`${i + 1}. ${m}`);
    total += m.length;
  }
  return kept.join('\n');
}

export function ledgerText(l: Ledger): string {
  const out: string[] = ['<ledger source="transcript">'];
  out.push(l.changes.length ? 'Files changed so far (oldest first):' : 'Files changed so far: none.');
  for (const c of l.changes) out.push(`- ${c.what} — ${c.tool}, ${c.outcome}, ${time(c.ts)}`);
  out.push(l.commands.length ? 'Commands run so far (oldest first):' : 'Commands run so far: none.');
  for (const c of l.commands) out.push(`- ${c.what} — ${c.outcome}, ${time(c.ts)}`);
  out.push('</ledger>');
  if (l.userMessages.length) out.push('', '<user-messages>', userMessagesText(l.userMessages), '</user-messages>');
  if (l.latestRequest !== undefined) out.push('', 'The user\'s latest request, verbatim:', '<latest-request>', l.latestRequest, '</latest-request>');
  return out.join('\n');
}
