/**
 * The conversation as a persistent two-level vector: messages live in chunks of CHUNK. Replacing or appending
 * one message copies one chunk and the (short) chunk list, never the whole conversation, so a streamed delta
 * costs the same at message 5,000 as at message 5. Old versions stay valid (structural sharing).
 */
import type { ChatMessage } from '../protocol';

const CHUNK = 64;

export interface MessageLog {
  readonly chunks: readonly (readonly ChatMessage[])[];
  readonly length: number;
}

export const EMPTY_LOG: MessageLog = Object.freeze({ chunks: Object.freeze([]) as readonly (readonly ChatMessage[])[], length: 0 });

export function logFrom(messages: readonly ChatMessage[]): MessageLog {
  const chunks: ChatMessage[][] = [];
  for (let i = 0; i < messages.length; i += CHUNK) chunks.push(messages.slice(i, i + CHUNK));
  return { chunks, length: messages.length };
}

export function messageAt(log: MessageLog, i: number): ChatMessage | undefined {
  if (i < 0 || i >= log.length) return undefined;
  return log.chunks[Math.floor(i / CHUNK)]?.[i % CHUNK];
}

export function lastMessage(log: MessageLog): ChatMessage | undefined {
  return messageAt(log, log.length - 1);
}

export function appendMessage(log: MessageLog, m: ChatMessage): MessageLog {
  const chunks = log.chunks.slice();
  const c = Math.floor(log.length / CHUNK);
  chunks[c] = c < log.chunks.length ? [...(log.chunks[c] as ChatMessage[]), m] : [m];
  return { chunks, length: log.length + 1 };
}

export function replaceMessage(log: MessageLog, i: number, m: ChatMessage): MessageLog {
  const c = Math.floor(i / CHUNK);
  const chunk = (log.chunks[c] as ChatMessage[]).slice();
  chunk[i % CHUNK] = m;
  const chunks = log.chunks.slice();
  chunks[c] = chunk;
  return { chunks, length: log.length };
}

export function logToArray(log: MessageLog): ChatMessage[] {
  return log.chunks.flat();
}

/** Iterate from the newest message back (e.g. to find the latest todo list) without building an array. */
export function* newestFirst(log: MessageLog): Generator<ChatMessage> {
  for (let c = log.chunks.length - 1; c >= 0; c--) {
    const chunk = log.chunks[c] as ChatMessage[];
    for (let i = chunk.length - 1; i >= 0; i--) yield chunk[i] as ChatMessage;
  }
}
