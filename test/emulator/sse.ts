// Server-sent events: building the event sequence of a streamed Message and writing it, with the
// chunking the tests need (JSON split inside characters, byte writes split inside UTF-8 sequences).
import type { ServerResponse } from 'node:http';
import type { ResolvedTurn } from './scenario';
import type { SseEvent, UsageReport } from './types';

export interface ChunkingOptions {
  /** Code points per text_delta (default 12). */
  text?: number;
  /** Code points per thinking_delta (default 16). */
  thinking?: number;
  /** UTF-16 code units per input_json_delta, or sizes used in turn (default [5, 3, 8]). */
  json?: number | number[];
  /** Let JSON chunk boundaries fall between the two halves of a surrogate pair (default true). */
  splitSurrogates?: boolean;
  /** Write each SSE frame holding a multi-byte character in two writes split inside that character (default true). */
  splitUtf8Writes?: boolean;
}

export function sseFrame(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** Splits by code points, `size` per piece. */
export function splitCodePoints(s: string, size: number): string[] {
  const cps = Array.from(s);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += Math.max(1, size)) out.push(cps.slice(i, i + Math.max(1, size)).join(''));
  return out;
}

/** Splits by UTF-16 code units with the given sizes (cycled); keeps surrogate pairs whole unless `splitSurrogates`. */
export function splitCodeUnits(s: string, sizes: number | number[], splitSurrogates: boolean): string[] {
  const list = (Array.isArray(sizes) ? sizes : [sizes]).map((n) => Math.max(1, Math.floor(n)));
  if (list.length === 0) list.push(5);
  const out: string[] = [];
  let pos = 0;
  let k = 0;
  while (pos < s.length) {
    let end = Math.min(s.length, pos + list[k++ % list.length]!);
    if (!splitSurrogates && end < s.length) {
      const c = s.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end++;
    }
    out.push(s.slice(pos, end));
    pos = end;
  }
  return out;
}

export interface MessageHead {
  id: string;
  model: string;
}

function usageStart(usage: UsageReport): Record<string, unknown> {
  return { ...usage, output_tokens: 1 };
}

export function messageJson(head: MessageHead, turn: ResolvedTurn, usage: UsageReport): Record<string, unknown> {
  return {
    id: head.id,
    type: 'message',
    role: 'assistant',
    model: head.model,
    content: turn.blocks.map((b) => b.block),
    stop_reason: turn.stop_reason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage,
  };
}

/** The full event sequence of a streamed Message. */
export function streamEvents(head: MessageHead, turn: ResolvedTurn, usage: UsageReport, chunking: ChunkingOptions = {}): SseEvent[] {
  const events: SseEvent[] = [];
  const ev = (event: string, data: Record<string, unknown>) => events.push({ event, data: { type: event, ...data } });
  ev('message_start', {
    message: { id: head.id, type: 'message', role: 'assistant', model: head.model, content: [], stop_reason: null, stop_sequence: null, stop_details: null, container: null, usage: usageStart(usage) },
  });
  ev('ping', {});
  if (turn.noise) {
    ev('future_event_kind', { detail: 'an event type this client has never seen' });
    ev('ping', {});
    ev('content_block_delta', { index: 99, delta: { type: 'text_delta', text: 'NOISE-NEVER-STARTED' } });
  }
  turn.blocks.forEach((rb, index) => {
    const b = rb.block;
    if (b.type === 'text') {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of splitCodePoints(String(b.text), chunking.text ?? 12)) ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else if (b.type === 'thinking') {
      ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of splitCodePoints(String(b.thinking), chunking.thinking ?? 16)) ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: String(b.signature) } });
    } else if (b.type === 'tool_use') {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = rb.rawJson ?? JSON.stringify(b.input);
      const pieces = splitCodeUnits(json, rb.chunks ?? chunking.json ?? [5, 3, 8], chunking.splitSurrogates ?? true);
      for (const piece of pieces) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    ev('content_block_stop', { index });
    if (turn.noise) ev('content_block_stop', { index });
  });
  ev('message_delta', {
    delta: { stop_reason: turn.stop_reason, stop_sequence: null },
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens: usage.output_tokens,
    },
  });
  ev('message_stop', {});
  return events;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Index just after the lead byte of the first multi-byte UTF-8 sequence, or -1. */
export function utf8SplitPoint(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) if (buf[i]! >= 0xc0) return i + 1;
  return -1;
}

export function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded || res.socket === null || res.socket.destroyed;
}

/** Writes one frame; returns false when the client has gone. */
export async function writeFrame(res: ServerResponse, e: SseEvent, splitUtf8: boolean): Promise<boolean> {
  if (isGone(res)) return false;
  const buf = Buffer.from(sseFrame(e), 'utf8');
  const at = splitUtf8 ? utf8SplitPoint(buf) : -1;
  if (at > 0) {
    res.write(buf.subarray(0, at));
    await sleep(2); // let the first half leave as its own TCP segment
    if (isGone(res)) return false;
    res.write(buf.subarray(at));
  } else res.write(buf);
  return true;
}
