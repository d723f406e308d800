/**
 * A fast path for validating many conversation messages at once (a snapshot of a long session holds thousands).
 * `isPlainChatMessage` says yes only to plain data the `ChatMessage` schema accepts unchanged (it never says yes
 * where zod says no: a test compares them on generated and mutated messages); anything else goes to zod, which
 * decides and words the error. Valid messages then cost a few property checks instead of zod's generic walk.
 */
import { ChatMessage, type Snapshot } from './model';

const ROLES = new Set(['user', 'assistant']);
const MESSAGE_STATUS = new Set<unknown>(ChatMessage.shape.status.options);
const TOOL_STATUS = new Set(['streaming', 'pending', 'running', 'done', 'error', 'interrupted']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Exactly these keys (required ones present, optional ones absent or of the right kind), nothing else. */
function keysWithin(o: Obj, required: number, allowed: ReadonlySet<string>): boolean {
  let n = 0;
  for (const k in o) {
    if (!allowed.has(k)) return false;
    n++;
  }
  return n >= required;
}

const TEXT_KEYS = new Set(['type', 'text']);
const ATTACHMENT_KEYS = new Set(['type', 'kind', 'label']);
const TOOL_KEYS = new Set(['type', 'id', 'name', 'inputJson', 'status', 'output', 'durationMs']);
const MESSAGE_KEYS = new Set(['id', 'role', 'blocks', 'status']);

function isPlainBlock(b: unknown): boolean {
  if (!isObj(b)) return false;
  switch (b.type) {
    case 'text':
    case 'thinking':
      return typeof b.text === 'string' && keysWithin(b, 2, TEXT_KEYS);
    case 'attachment':
      return typeof b.kind === 'string' && typeof b.label === 'string' && keysWithin(b, 3, ATTACHMENT_KEYS);
    case 'tool_use': {
      if (typeof b.id !== 'string' || typeof b.name !== 'string' || typeof b.inputJson !== 'string' || !TOOL_STATUS.has(b.status as string)) return false;
      let required = 5;
      if ('output' in b) { if (typeof b.output !== 'string') return false; required++; }
      if ('durationMs' in b) {
        const d = b.durationMs;
        if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) return false;
        required++;
      }
      return keysWithin(b, required, TOOL_KEYS) && Object.keys(b).length === required;
    }
    default:
      return false;
  }
}

export function isPlainChatMessage(m: unknown): m is ChatMessage {
  if (!isObj(m) || typeof m.id !== 'string' || !ROLES.has(m.role as string) || !MESSAGE_STATUS.has(m.status) || !Array.isArray(m.blocks)) return false;
  if (!keysWithin(m, 4, MESSAGE_KEYS)) return false;
  for (const b of m.blocks) if (!isPlainBlock(b)) return false;
  return true;
}

/**
 * Validates a snapshot: everything but the messages with the Snapshot schema, the messages through the fast
 * path (zod for any the fast path does not vouch for). Same answer as `Snapshot.safeParse`, much faster on a
 * long session.
 */
export function parseSnapshotFast(raw: unknown, schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }):
  { success: true; data: Snapshot } | { success: false; error: unknown } {
  if (!isObj(raw) || !Array.isArray(raw.messages)) return schema.safeParse(raw) as { success: false; error: unknown };
  const rest = schema.safeParse({ ...raw, messages: [] });
  if (!rest.success) return { success: false, error: rest.error };
  const messages = raw.messages as unknown[];
  let out: unknown[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    if (isPlainChatMessage(messages[i])) continue;
    const one = ChatMessage.safeParse(messages[i]);
    if (!one.success) return schema.safeParse(raw) as { success: false; error: unknown }; // zod words the error, with its path
    (out ??= messages.slice())[i] = one.data;
  }
  return { success: true, data: { ...(rest.data as Snapshot), messages: (out ?? messages) as ChatMessage[] } };
}
