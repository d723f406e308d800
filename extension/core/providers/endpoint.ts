/**
 * The base URL a provider talks to: what a valid one looks like, and failures explained in terms of it
 * (nothing listening at a local address, a server that is not a Messages API, a URL that is not one).
 */
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import type { ProviderError } from './types';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** Where a user changes the base URL (the panel and the headless runner both read both). */
export const BASE_URL_WHERE = 'the base URL (the cairn.baseUrl setting or ANTHROPIC_BASE_URL)';
const EXAMPLES = 'https://api.anthropic.com, or http://127.0.0.1:4000 for a local server';

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** Empty means the default endpoint. Anything else must be an absolute http(s) URL. */
export function checkBaseUrl(raw: string | undefined): BaseUrlCheck {
  const text = raw?.trim() ?? '';
  if (!text) return { ok: true, url: DEFAULT_BASE_URL };
  let url: URL;
  try { url = new URL(text); } catch {
    return { ok: false, message: `"${clip(text)}" is not a valid base URL. A base URL is the API's root with its scheme and host, like ${EXAMPLES} (Cairn adds /v1/messages itself).` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `"${clip(text)}" is not a valid base URL: it must start with http:// or https://, like ${EXAMPLES}.` };
  }
  if (/\/v1\/messages\/?$/.test(url.pathname)) {
    return { ok: false, message: `"${clip(text)}" ends in /v1/messages: give only the API's root, like ${EXAMPLES} (Cairn adds /v1/messages itself).` };
  }
  return { ok: true, url: text.replace(/\/+$/, '') };
}

/** A loopback address: a refused connection there means nothing is running, and retrying will not help. */
export function isLocalUrl(raw: string): boolean {
  let host: string;
  try { host = new URL(raw).hostname.replace(/^\[|\]$/g, '').toLowerCase(); } catch { return false; }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The error code (ECONNREFUSED, ENOTFOUND, ...) somewhere in an error's cause chain. */
export function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const x = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof x.code === 'string' && /^E[A-Z]+$/.test(x.code)) return x.code;
    // Happy eyeballs: an AggregateError holds one error per address tried.
    if (Array.isArray(x.errors) && x.errors.length) { const inner = causeCode(x.errors[0]); if (inner) return inner; }
    e = x.cause;
  }
  return undefined;
}

/**
 * Re-words a classified error in terms of the base URL when the URL is the likely cause. `e` is what
 * classifyError made of `err`; errors that have nothing to do with the endpoint come back unchanged.
 */
export function explainForEndpoint(e: ProviderError, err: unknown, baseUrl: string): ProviderError {
  if (err instanceof APIConnectionError && e.kind === 'network') {
    const code = causeCode(err);
    if (code === 'ECONNREFUSED') {
      return isLocalUrl(baseUrl)
        // Nothing runs there: waiting will not change that, so fail at once.
        ? { kind: 'network', retryable: false, message: `Nothing is listening at ${baseUrl} (connection refused).`, hint: `Start the server there, or change ${BASE_URL_WHERE}.` }
        : { ...e, message: `Could not connect to ${baseUrl} (connection refused).` };
    }
    if (causeMessages(err).includes('bad port')) {
      // fetch refuses a list of reserved ports (9, 25, 6000, ...) without trying to connect.
      return { kind: 'network', retryable: false, message: `Cannot connect to ${baseUrl}: its port is one that fetch refuses to use (a reserved port).`, hint: `Run the server on another port (e.g. 4000) and change ${BASE_URL_WHERE}.` };
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { ...e, message: `The host of ${baseUrl} was not found (${code}).`, hint: `Check your network, or the host name in ${BASE_URL_WHERE}.` };
    return { ...e, message: `Could not connect to ${baseUrl}${code ? ` (${code})` : ''}.` };
  }
  if (err instanceof APIError && !err.type && (err.status === 404 || err.status === 405 || err.status === 501)) {
    // An Anthropic API always answers with a typed error body; a bare 404/405 comes from some other server.
    return { kind: 'invalid_request', retryable: false, status: err.status,
      message: `The server at ${baseUrl} answered ${err.status} (${err.status === 404 ? 'Not Found' : err.status === 405 ? 'Method Not Allowed' : 'Not Implemented'}) to POST /v1/messages: the base URL is probably wrong.`,
      hint: `Set ${BASE_URL_WHERE} to the root of an Anthropic Messages API, like ${EXAMPLES}, or leave it empty for the official endpoint.` };
  }
  return e;
}

function causeMessages(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const x = e as { message?: unknown; cause?: unknown };
    if (typeof x.message === 'string') out.push(x.message);
    e = x.cause;
  }
  return out;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
