/**
 * The Anthropic provider: streams one Messages API response through the official SDK and turns it into
 * normalized StreamEvents plus a final StreamResult. Never throws; errors come back as typed values.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { Usage } from './types';
import { checkBaseUrl, explainForEndpoint } from './endpoint';
import { classifyError } from './errors';
import { registerSecretValue } from '../util/secrets';
import type { ApiContentBlock, ModelRequest, Provider, ProviderError, StreamEvent, StreamResult } from './types';

export interface AnthropicProviderOptions {
  apiKey: string;
  /** Empty or undefined: the SDK's default endpoint. */
  baseURL?: string;
  /** Per-request timeout (ms) before the SDK gives up on a silent connection. */
  timeoutMs?: number;
  /** Extra headers (e.g. a user agent suffix). Never put secrets here. */
  headers?: Record<string, string>;
  /** A fetch implementation (benchmarks wrap the global one to time requests). */
  fetch?: typeof fetch;
}

type RawUsage = { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };

export function toUsage(u: RawUsage | null | undefined): Usage {
  return {
    inputTokens: u?.input_tokens ?? 0,
    outputTokens: u?.output_tokens ?? 0,
    cacheReadTokens: u?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u?.cache_creation_input_tokens ?? 0,
  };
}

interface Building {
  block: ApiContentBlock;
  json: string;
}

export function createAnthropicProvider(opts: AnthropicProviderOptions): Provider {
  // Wherever the key came from (SecretStorage, the environment, a flag), its value is redacted from any text.
  registerSecretValue(opts.apiKey);
  // A base URL that is not one fails every request at once, saying what a valid one looks like.
  const endpoint = checkBaseUrl(opts.baseURL);
  if (!endpoint.ok) {
    const error: ProviderError = { kind: 'invalid_request', message: endpoint.message, retryable: false };
    // eslint-disable-next-line require-yield
    return { async *stream() { return { ok: false, error }; } };
  }
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL || undefined,
    // Retries are the agent loop's job (it knows about spend limits, budgets and the UI).
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 10 * 60_000,
    defaultHeaders: opts.headers,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  const base = () => String(client.baseURL).replace(/\/+$/, '');

  return {
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, StreamResult> {
      const blocks: Building[] = [];
      let usage: Usage = toUsage(undefined);
      let stopReason: string | null = null;
      let sawStop = false;
      try {
        const { data: stream, response } = await client.messages.create({
          model: request.model,
          max_tokens: request.maxTokens,
          ...(request.system?.length ? { system: request.system } : {}),
          ...(request.tools?.length ? { tools: request.tools } : {}),
          ...(request.thinking ? { thinking: request.thinking } : {}),
          messages: request.messages,
          stream: true,
        }, { signal }).withResponse();
        const ctype = response.headers.get('content-type') ?? '';
        if (!/^text\/event-stream/i.test(ctype.trim())) {
          stream.controller.abort();
          return { ok: false, error: notStreaming(base(), response.status, ctype) };
        }
        for await (const ev of stream) {
          switch (ev.type) {
            case 'message_start':
              usage = toUsage(ev.message.usage);
              yield { type: 'message_start', id: ev.message.id, model: ev.message.model, usage };
              break;
            case 'content_block_start': {
              const cb = ev.content_block;
              if (cb.type === 'text') {
                blocks[ev.index] = { block: { type: 'text', text: '', citations: null }, json: '' };
                if (cb.text) { (blocks[ev.index]!.block as Anthropic.TextBlock).text = cb.text; yield { type: 'text_delta', index: ev.index, text: cb.text }; }
              } else if (cb.type === 'thinking') {
                blocks[ev.index] = { block: { type: 'thinking', thinking: cb.thinking ?? '', signature: cb.signature ?? '' }, json: '' };
              } else if (cb.type === 'tool_use') {
                blocks[ev.index] = { block: { type: 'tool_use', id: cb.id, name: cb.name, input: {}, caller: undefined } as unknown as ApiContentBlock, json: '' };
                yield { type: 'tool_use_start', index: ev.index, id: cb.id, name: cb.name };
              } else {
                // Block kinds this client does not render (server tools, redacted thinking) are kept verbatim.
                blocks[ev.index] = { block: cb as ApiContentBlock, json: '' };
              }
              break;
            }
            case 'content_block_delta': {
              const b = blocks[ev.index];
              if (!b) break; // a delta for a block that never started: ignore safely
              const d = ev.delta;
              if (d.type === 'text_delta' && b.block.type === 'text') { b.block.text += d.text; yield { type: 'text_delta', index: ev.index, text: d.text }; }
              else if (d.type === 'thinking_delta' && b.block.type === 'thinking') { b.block.thinking += d.thinking; yield { type: 'thinking_delta', index: ev.index, text: d.thinking }; }
              else if (d.type === 'signature_delta' && b.block.type === 'thinking') { b.block.signature += d.signature; }
              else if (d.type === 'input_json_delta' && b.block.type === 'tool_use') { b.json += d.partial_json; yield { type: 'tool_input_delta', index: ev.index, partialJson: d.partial_json }; }
              break;
            }
            case 'content_block_stop': {
              const b = blocks[ev.index];
              if (b && b.block.type === 'tool_use') {
                try { b.block.input = b.json.trim() ? JSON.parse(b.json) : {}; }
                catch { (b.block as { input: unknown }).input = { __malformed_json: b.json }; }
              }
              yield { type: 'block_stop', index: ev.index };
              break;
            }
            case 'message_delta': {
              stopReason = ev.delta.stop_reason ?? null;
              const u = ev.usage as RawUsage;
              const delta: Partial<Usage> = { outputTokens: u.output_tokens ?? 0 };
              usage = { ...usage, outputTokens: u.output_tokens ?? usage.outputTokens,
                ...(u.input_tokens != null ? { inputTokens: u.input_tokens } : {}),
                ...(u.cache_read_input_tokens != null ? { cacheReadTokens: u.cache_read_input_tokens } : {}),
                ...(u.cache_creation_input_tokens != null ? { cacheWriteTokens: u.cache_creation_input_tokens } : {}) };
              yield { type: 'message_delta', stopReason, usage: delta };
              break;
            }
            case 'message_stop':
              sawStop = true;
              break;
            default:
              break; // unknown event types are ignored
          }
        }
      } catch (err) {
        return { ok: false, error: atBase(explainForEndpoint(classifyError(err), err, base()), err, base()) };
      }
      if (!sawStop) return { ok: false, error: { kind: 'network', message: `The response stream from ${base()} ended before message_stop.`, retryable: true } };
      return { ok: true, content: blocks.filter(Boolean).map((b) => b.block), stopReason, usage };
    },
  };
}

/** A 200 answer to a streaming request that is not a stream: the server does not speak the streaming API. */
function notStreaming(baseUrl: string, status: number, ctype: string): ProviderError {
  return {
    kind: 'server', retryable: false, status,
    message: `The server at ${baseUrl} answered a streaming request with ${ctype ? `a body of type ${ctype.split(';')[0]}` : 'a body that is not an event stream'} (HTTP ${status}): it is not speaking the streaming Messages API. Check the base URL: a proxy or gateway there may not support streaming.`,
  };
}

/** Errors say which server they came from; a corrupted stream is retried like a dropped connection. */
export function atBase(e: ProviderError, err: unknown, baseUrl: string): ProviderError {
  if (err instanceof SyntaxError) {
    return { kind: 'network', retryable: true, message: `The response stream from ${baseUrl} was corrupted (an event could not be read: ${err.message.slice(0, 120)}); retrying as for a dropped connection.` };
  }
  if (e.kind === 'server') {
    return { ...e, message: `The API provider at ${baseUrl} reported an error on its side${e.status ? ` (HTTP ${e.status}` : ' ('}${e.message ? `${e.status ? ': ' : ''}${e.message}` : ''}). This is the provider's error, not a problem with your request or with Cairn.` };
  }
  if ((e.kind === 'network' || e.kind === 'stalled') && !e.message.includes(baseUrl)) return { ...e, message: `${e.message.replace(/\.$/, '')} (${baseUrl}).` };
  return e;
}
