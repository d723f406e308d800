/** Open a small range of a transcript around a line (chunked: the file is never read whole). */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadLine { line: number; text: string }
export interface ReadRange { lines: ReadLine[]; total: number | undefined; problems: string[] }

const CHUNK = 1024 * 1024;
export const READ_LINE_CHARS = 1_500;

/** Lines [from, to] (1-based, inclusive) of `.agent/sessions/<session>.jsonl`, each rendered compactly. */
export function readTranscriptRange(agentDir: string, session: string, from: number, to: number): ReadRange {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(session)) throw new Error(`"${session.slice(0, 40)}" is not a session id.`);
  const fd = openSync(join(agentDir, 'sessions', `${session}.jsonl`), 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const lines: ReadLine[] = [];
  const problems: string[] = [];
  let lineNo = 1;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let eof = false;
  const take = (bytes: Buffer, torn: boolean) => {
    if (lineNo >= from && lineNo <= to) {
      if (torn) problems.push(`line ${lineNo} is cut off (an interrupted write); skipped`);
      else lines.push({ line: lineNo, text: renderLine(bytes, lineNo, problems) });
    }
  };
  try {
    while (lineNo <= to) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) { eof = true; if (partBytes) take(Buffer.concat(parts), true); break; }
      let pos = 0;
      let nl: number;
      while ((nl = buf.indexOf(10, pos)) !== -1 && nl < n) {
        if (lineNo >= from && lineNo <= to) {
          const seg = buf.subarray(pos, nl);
          take(partBytes ? Buffer.concat([...parts, seg]) : Buffer.from(seg), false);
        }
        parts = []; partBytes = 0;
        pos = nl + 1;
        lineNo++;
        if (lineNo > to) break;
      }
      if (lineNo > to) break;
      // Keep the unfinished line only when it is in range (and never more than a few MB of it).
      if (lineNo >= from && partBytes < 4 * CHUNK) { parts.push(Buffer.from(buf.subarray(pos, n))); partBytes += n - pos; }
      else if (pos < n) partBytes += n - pos;
    }
  } finally { closeSync(fd); }
  return { lines, total: eof ? lineNo - (partBytes ? 0 : 1) : undefined, problems };
}

function renderLine(bytes: Buffer, lineNo: number, problems: string[]): string {
  let s: string;
  try { s = decoder().decode(bytes); } catch { problems.push(`line ${lineNo} has invalid UTF-8 bytes; skipped`); return '(unreadable: invalid UTF-8)'; }
  let e: Record<string, unknown>;
  try { e = JSON.parse(s) as Record<string, unknown>; } catch { problems.push(`line ${lineNo} is not valid JSON; skipped`); return '(unreadable: not JSON)'; }
  return cap(renderEntry(e));
}

const decoder = () => new TextDecoder('utf-8', { fatal: true });
const cap = (s: string) => (s.length > READ_LINE_CHARS ? `${s.slice(0, READ_LINE_CHARS)}… [${s.length - READ_LINE_CHARS} more characters]` : s);
const when = (ts: unknown) => (typeof ts === 'number' && ts > 0 ? new Date(ts).toISOString().slice(0, 19).replace('T', ' ') : '');

/** One transcript entry as a short line of text for the model. */
export function renderEntry(e: Record<string, unknown>): string {
  const t = String(e.t);
  if (t === 'msg') {
    const blocks = Array.isArray(e.content) ? (e.content as Array<Record<string, unknown>>) : [];
    const text = blocks.map((b) => {
      if (b.type === 'text') return String(b.text);
      if (b.type === 'tool_use') return `[tool_use ${String(b.name)} id=${String(b.id)}] ${JSON.stringify(b.input)}`;
      if (b.type === 'tool_result') return `[tool_result id=${String(b.tool_use_id)}${b.is_error ? ' error' : ''}] ${typeof b.content === 'string' ? b.content : JSON.stringify(b.content)}`;
      if (b.type === 'thinking') return `[thinking] ${String(b.thinking)}`;
      return `[${String(b.type)}]`;
    }).join(' ');
    return `${String(e.role)} ${when(e.ts)}: ${text}`;
  }
  if (t === 'tool_result') return `tool result ${String(e.toolUseId)} (${String(e.status)}) ${when(e.ts)}: ${String(e.content)}`;
  if (t === 'tool_start') return `tool start ${String(e.name)} ${String(e.toolUseId)} ${when(e.ts)}`;
  if (t === 'title') return `title: ${String(e.title)}`;
  if (t === 'meta') return `session ${String(e.id)} started ${when(e.createdAt)} (model ${String(e.model)})`;
  if (t === 'partial') return `assistant (cut off) ${when(e.ts)}: ${String(e.text)}`;
  if (t === 'turn_end') return `turn end ${when(e.ts)}: ${String(e.stop)}`;
  return `${t} ${when(e.ts)}`;
}
