/**
 * The wire format of host <-> webview messages, and the validation both ends run on what they receive.
 * A malformed or unknown message becomes a `ProtocolError` value: the receiver logs it and does nothing.
 */
import * as z from 'zod';
import { eventSchemas, type EventData, type EventName } from './events';
import { parseSnapshotFast } from './fastcheck';
import { requestSchemas, type RequestMethod, type RequestParams, type RequestResult } from './requests';

export const PROTOCOL_VERSION = 1;

const RequestEnvelope = z.strictObject({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown(),
});
const ResponseEnvelope = z.strictObject({
  kind: z.literal('response'),
  id: z.number().int().nonnegative(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});
const EventEnvelope = z.strictObject({
  kind: z.literal('event'),
  seq: z.number().int().nonnegative(),
  name: z.string(),
  data: z.unknown(),
});

export type RequestMessage<M extends RequestMethod = RequestMethod> = {
  kind: 'request'; id: number; method: M; params: RequestParams<M>;
};
export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: { code: string; message: string } };
export type EventMessage<E extends EventName = EventName> = { kind: 'event'; seq: number; name: E; data: EventData<E> };

export type HostToWebview = ResponseMessage | EventMessage;
export type WebviewToHost = RequestMessage;

export class ProtocolError extends Error {
  constructor(message: string, readonly code: 'malformed' | 'unknown_method' | 'unknown_event' | 'invalid_params' | 'invalid_result' | 'invalid_data') {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

function describe(err: z.ZodError): string {
  return err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function isRequestMethod(m: string): m is RequestMethod {
  return Object.prototype.hasOwnProperty.call(requestSchemas, m);
}
function isEventName(n: string): n is EventName {
  return Object.prototype.hasOwnProperty.call(eventSchemas, n);
}

/** Host side: validate a message that came from the webview. */
export function parseWebviewMessage(raw: unknown): Parsed<RequestMessage> {
  const env = RequestEnvelope.safeParse(raw);
  if (!env.success) return { ok: false, error: new ProtocolError(`malformed message: ${describe(env.error)}`, 'malformed') };
  const { id, method, params } = env.data;
  if (!isRequestMethod(method)) return { ok: false, error: new ProtocolError(`unknown method "${method.slice(0, 80)}"`, 'unknown_method') };
  const p = requestSchemas[method].params.safeParse(params);
  if (!p.success) return { ok: false, error: new ProtocolError(`invalid params for ${method}: ${describe(p.error)}`, 'invalid_params') };
  return { ok: true, value: { kind: 'request', id, method, params: p.data } as RequestMessage };
}

/** Webview side: validate a message that came from the host (the envelope only; see parseEventData / parseResult). */
export function parseHostMessage(raw: unknown): Parsed<HostToWebview> {
  if (raw && typeof raw === 'object' && (raw as { kind?: unknown }).kind === 'response') {
    const r = ResponseEnvelope.safeParse(raw);
    if (!r.success) return { ok: false, error: new ProtocolError(`malformed response: ${describe(r.error)}`, 'malformed') };
    const { id, ok, result, error } = r.data;
    if (ok) return { ok: true, value: { kind: 'response', id, ok: true, result } };
    return { ok: true, value: { kind: 'response', id, ok: false, error: error ?? { code: 'unknown', message: 'request failed' } } };
  }
  const e = EventEnvelope.safeParse(raw);
  if (!e.success) return { ok: false, error: new ProtocolError(`malformed message: ${describe(e.error)}`, 'malformed') };
  const { seq, name, data } = e.data;
  if (!isEventName(name)) return { ok: false, error: new ProtocolError(`unknown event "${name.slice(0, 80)}"`, 'unknown_event') };
  const d = eventSchemas[name].safeParse(data);
  if (!d.success) return { ok: false, error: new ProtocolError(`invalid data for ${name}: ${describe(d.error)}`, 'invalid_data') };
  return { ok: true, value: { kind: 'event', seq, name, data: d.data } as EventMessage };
}

/** Webview side: validate the result of a request against its method's schema. */
export function parseResult<M extends RequestMethod>(method: M, result: unknown): Parsed<RequestResult<M>> {
  // A snapshot of a long session holds thousands of messages: they take the fast path (same verdict as zod).
  const r = method === 'session/snapshot'
    ? parseSnapshotFast(result, requestSchemas['session/snapshot'].result) as z.ZodSafeParseResult<unknown>
    : requestSchemas[method].result.safeParse(result);
  if (!r.success) return { ok: false, error: new ProtocolError(`invalid result for ${method}: ${describe(r.error)}`, 'invalid_result') };
  return { ok: true, value: r.data as RequestResult<M> };
}

/** Build a typed event message (the host stamps seq). */
export function eventMessage<E extends EventName>(seq: number, name: E, data: EventData<E>): EventMessage<E> {
  return { kind: 'event', seq, name, data };
}
