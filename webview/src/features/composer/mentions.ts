/** Finding the `@query` being typed, and turning a chosen completion into an Attachment. */
import type { Attachment, MentionCandidate } from '../../protocol';

export interface MentionAt { start: number; query: string }

/** The `@word` that ends at the caret (preceded by a space or the start), or null. */
export function mentionAt(text: string, caret: number): MentionAt | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([^\s@]{0,200})$/.exec(before);
  if (!m) return null;
  return { start: caret - (m[2] as string).length - 1, query: m[2] as string };
}

export function toAttachment(c: MentionCandidate): Attachment {
  if (c.kind === 'mcp-resource') return { kind: c.kind, label: c.label, ...(c.server ? { server: c.server } : {}), ...(c.uri ? { uri: c.uri } : {}) };
  return c.path !== undefined ? { kind: c.kind, path: c.path, label: c.label } : { kind: c.kind, label: c.label };
}

export function sameAttachment(a: Attachment, b: Attachment): boolean {
  return a.kind === b.kind && (a.path ?? '') === (b.path ?? '') && (a.server ?? '') === (b.server ?? '') && (a.uri ?? '') === (b.uri ?? '');
}

/** Replace the `@query` with `@label ` in the text; returns the new text and caret. */
export function insertMention(text: string, at: MentionAt, label: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${label} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(end), caret: at.start + inserted.length };
}
