/**
 * A fast path for validating many conversation messages at once (a snapshot of a long session holds thousands).
 * The checks are compiled from the zod schemas themselves (strict objects, strings, enums, literals, arrays,
 * discriminated unions; anything else is handed to that part's own zod schema), so they follow every schema
 * change. `isPlainChatMessage` says yes only to plain data `ChatMessage` accepts unchanged, and never where zod
 * says no (a test compares them on generated and mutated messages); anything else goes to zod, which decides
 * and words the error. Valid messages cost a few property checks instead of zod's generic walk.
 */
import * as z from 'zod';
import { ChatMessage, type Snapshot } from './model';

type Check = (v: unknown) => boolean;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const checksOf = (s: z.ZodType): number => ((s as unknown as { _zod: { def: { checks?: unknown[] } } })._zod.def.checks?.length ?? 0);

/** A check that accepts exactly what `s` accepts unchanged, never more (falls back to `s.safeParse`). */
export function compileCheck(s: z.ZodType): Check {
  // zod itself; "yes" only when parsing leaves the value as it is (a primitive), else the caller's zod decides.
  const exact: Check = (v) => { const r = s.safeParse(v); return r.success && Object.is(r.data, v) && (typeof v !== 'object' || v === null); };
  if (s instanceof z.ZodNumber) return numberCheck(s) ?? exact;
  if (checksOf(s)) return exact;
  if (s instanceof z.ZodString) return (v) => typeof v === 'string';
  if (s instanceof z.ZodBoolean) return (v) => typeof v === 'boolean';
  if (s instanceof z.ZodEnum || s instanceof z.ZodLiteral) {
    const allowed = new Set<unknown>(s instanceof z.ZodEnum ? s.options : [...s.values]);
    return (v) => allowed.has(v);
  }
  if (s instanceof z.ZodArray) {
    const item = compileCheck(s.element as z.ZodType);
    return (v) => Array.isArray(v) && v.every(item);
  }
  if (s instanceof z.ZodDiscriminatedUnion) {
    const key = (s as unknown as { _zod: { def: { discriminator: string } } })._zod.def.discriminator;
    const byTag = new Map<unknown, Check>();
    for (const option of s.options as z.ZodType[]) {
      const tag = option instanceof z.ZodObject ? option.shape[key] : undefined;
      if (!(tag instanceof z.ZodLiteral) || tag.values.size !== 1) return exact;
      byTag.set([...tag.values][0], compileCheck(option));
    }
    return (v) => isObj(v) && (byTag.get(v[key])?.(v) ?? false);
  }
  if (s instanceof z.ZodObject) {
    // Only strict objects: a stripping object would change the data, and the fast path returns it unchanged.
    if (!((s as unknown as { _zod: { def: { catchall?: unknown } } })._zod.def.catchall instanceof z.ZodNever)) return exact;
    const fields = Object.entries(s.shape as Record<string, z.ZodType>).map(([key, f]) => {
      const optional = f instanceof z.ZodOptional;
      return { key, optional, check: compileCheck(optional ? (f.unwrap() as z.ZodType) : f) };
    });
    const known = new Set(fields.map((f) => f.key));
    return (v) => {
      if (!isObj(v)) return false;
      for (const k in v) if (!known.has(k)) return false;
      for (const f of fields) {
        if (!(f.key in v)) { if (!f.optional) return false; continue; }
        const x = v[f.key];
        if (x === undefined || !f.check(x)) return false;
      }
      return true;
    };
  }
  return exact;
}

/** z.number() with the usual checks (bounds, int, safeint) as plain comparisons; undefined for anything else. */
function numberCheck(s: z.ZodNumber): Check | undefined {
  const parts: Check[] = [(v) => typeof v === 'number' && Number.isFinite(v)];
  const checks = (s as unknown as { _zod: { def: { checks?: Array<{ _zod: { def: { check: string; value?: unknown; inclusive?: boolean; format?: string } } }> } } })._zod.def.checks ?? [];
  for (const c of checks) {
    const d = c._zod.def;
    if ((d.check === 'greater_than' || d.check === 'less_than') && typeof d.value === 'number') {
      const bound = d.value;
      const lower = d.check === 'greater_than';
      parts.push(d.inclusive ? (v) => (lower ? (v as number) >= bound : (v as number) <= bound) : (v) => (lower ? (v as number) > bound : (v as number) < bound));
    } else if (d.check === 'number_format' && (d.format === 'safeint' || d.format === 'int32' || d.format === 'uint32')) {
      const [min, max] = d.format === 'safeint' ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : d.format === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
      parts.push((v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
    } else {
      return undefined;
    }
  }
  return (v) => parts.every((p) => p(v));
}

const messageCheck = compileCheck(ChatMessage);

export function isPlainChatMessage(m: unknown): m is ChatMessage {
  return messageCheck(m);
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
    if (messageCheck(messages[i])) continue;
    const one = ChatMessage.safeParse(messages[i]);
    if (!one.success) return schema.safeParse(raw) as { success: false; error: unknown }; // zod words the error, with its path
    (out ??= messages.slice())[i] = one.data;
  }
  return { success: true, data: { ...(rest.data as Snapshot), messages: (out ?? messages) as ChatMessage[] } };
}
