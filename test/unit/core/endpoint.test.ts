// Provider errors worded in terms of the base URL: what the panel and the headless runner both show.
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { checkBaseUrl, explainForEndpoint, isLocalUrl } from '../../../extension/core/providers/endpoint';
import { classifyError, describeError } from '../../../extension/core/providers/errors';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';

const refused = () => {
  const sys = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:443'), { code: 'ECONNREFUSED' });
  return new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new TypeError('fetch failed'), { cause: sys }) });
};
const explain = (err: unknown, url: string) => explainForEndpoint(classifyError(err), err, url);

describe('base URL errors', () => {
  it('fails fast on a refused local URL, but keeps retrying a remote one', () => {
    const local = explain(refused(), 'http://127.0.0.1:4000');
    expect(local).toMatchObject({ kind: 'network', retryable: false });
    expect(describeError(local)).toBe('Nothing is listening at http://127.0.0.1:4000 (connection refused). Start the server there, or change the base URL (the cairn.baseUrl setting or ANTHROPIC_BASE_URL).');
    const remote = explain(refused(), 'https://proxy.example.com');
    expect(remote).toMatchObject({ kind: 'network', retryable: true });
    expect(describeError(remote)).toBe('Could not connect to https://proxy.example.com (connection refused). Check your connection or the base URL (the cairn.baseUrl setting or ANTHROPIC_BASE_URL).');
  });

  it('blames the base URL for an untyped 404/405, not an API 404 (unknown model)', () => {
    const html405 = APIError.generate(405, undefined, '405 status code (no body)', new Headers());
    expect(describeError(explain(html405, 'http://127.0.0.1:8080'))).toMatch(/^The server at http:\/\/127\.0\.0\.1:8080 answered 405 \(Method Not Allowed\) to POST \/v1\/messages: the base URL is probably wrong\. Set the base URL/);
    const model404 = APIError.generate(404, { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } }, undefined, new Headers());
    expect(explain(model404, 'https://api.anthropic.com')).toMatchObject({ kind: 'invalid_request', message: 'model: claude-nope' });
  });

  it('keeps the panel\'s advice when the provider has none better', () => {
    expect(describeError({ kind: 'auth', message: 'invalid x-api-key', retryable: false })).toMatch(/Run "Cairn: Set API Key"/);
    expect(describeError({ kind: 'network', message: 'The connection dropped mid-response.', retryable: true })).toMatch(/Check your connection or the base URL/);
  });

  it('checks base URLs and knows loopback hosts', () => {
    expect(checkBaseUrl('')).toEqual({ ok: true, url: 'https://api.anthropic.com' });
    expect(checkBaseUrl(' http://localhost:4000/ ')).toEqual({ ok: true, url: 'http://localhost:4000' });
    expect(checkBaseUrl('not-a-url')).toMatchObject({ ok: false, message: expect.stringContaining('like https://api.anthropic.com') });
    expect(['http://localhost:1', 'http://127.0.0.5', 'http://[::1]:3', 'http://a.localhost'].every(isLocalUrl)).toBe(true);
    expect(['https://api.anthropic.com', 'http://10.0.0.1', 'nonsense'].some(isLocalUrl)).toBe(false);
  });

  it('a provider with an invalid base URL answers every request with the reason (the panel path)', async () => {
    const p = createAnthropicProvider({ apiKey: 'k', baseURL: 'not-a-url' });
    const gen = p.stream({ model: 'm', maxTokens: 1, messages: [{ role: 'user', content: 'x' }] }, new AbortController().signal);
    const r = await gen.next();
    expect(r).toMatchObject({ done: true, value: { ok: false, error: { kind: 'invalid_request', retryable: false, message: expect.stringContaining('"not-a-url" is not a valid base URL') } } });
  });
});
