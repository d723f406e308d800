// The emulator's HTTP server (node:http, bound to 127.0.0.1) and its programmatic handle.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { defaultMinCacheableTokens, MAX_BREAKPOINTS, PromptCache, type CacheStats } from './cache';
import { errorBody, GARBAGE_DATA, httpErrorFor } from './faults';
import { buildPrompt } from './prompt';
import { Recorder } from './record';
import { isFaultItem, loadScenario, parseScenario, resolveTurn, Script, type ResolvedTurn } from './scenario';
import { isGone, messageJson, sleep, streamEvents, writeFrame, type ChunkingOptions } from './sse';
import { DEFAULT_BRAINS } from './demo';
import type { ApiError, Brain, Fault, RecordedExchange, Rule, Scenario, ScriptItem, SseEvent, UsageReport } from './types';
import { checkAuth, promptTooLong, tooManyBreakpoints, validateBody } from './validate';

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** A scenario object, a bare list of turns, or the path of a scenario JSON file. */
  scenario?: Scenario | ScriptItem[] | string;
  /** Extra rules, checked after the scenario's own rules. */
  rules?: Rule[];
  /**
   * Scripted models by model id, answering what the queue, rules and scenario turns leave (default: the offline
   * demo's tour for `cairn-offline-demo`; `{}` turns it off).
   */
  brains?: Readonly<Record<string, Brain>>;
  /** Append every exchange as one JSON line to this file. */
  recordFile?: string;
  /** Input tokens above this answer 400 "prompt is too long" (default 200000). */
  contextWindow?: number;
  /** The clock (ms) used for cache TTLs and records (default Date.now); `emu.clock.advance` adds to it. */
  now?: () => number;
  chunking?: ChunkingOptions;
  /** Delay between SSE events (default 0). */
  streamDelayMs?: number;
  /** Simulated latency: every /v1/messages reply waits this long before its first byte (default 0). */
  latencyMs?: number;
  /** Minimum cacheable prefix in tokens (default: 2048 for Haiku models, 1024 otherwise). */
  minCacheableTokens?: number | ((model: string) => number);
  /** This API key gets 401 authentication_error (any other non-empty key is accepted). */
  invalidApiKey?: string;
  /** Reject consecutive same-role messages instead of combining them (default false, like the real API). */
  strictAlternation?: boolean;
  /** Upper bound of any stall, so nothing hangs (default 30000). */
  maxStallMs?: number;
  /** Called with a one-line summary of each finished exchange. */
  log?: (line: string) => void;
  /**
   * Enable the test-control endpoints (loopback only): POST /_emulator/enqueue {items: ScriptItem[] | Fault[]},
   * POST /_emulator/rules {rules: Rule[]}, POST /_emulator/reset, GET /_emulator/requests.
   * E2E flows use them to script their own turns against a running emulator.
   */
  control?: boolean;
}

export interface Emulator {
  /** Base URL for the SDK's `baseURL`, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Every exchange so far, in arrival order (also the record file's content). */
  readonly requests: RecordedExchange[];
  /** Faults applied to the next /v1/messages requests, one each, before any scripted turn. */
  readonly faults: Fault[];
  /** Queue turns, `{ fault }` items or bare faults; they are used before rules and scenario turns. */
  enqueue(...items: Array<ScriptItem | Fault>): void;
  addRule(rule: Rule): void;
  /** Scenario turns not yet consumed. */
  remainingTurns(): number;
  /** Clears queue, faults, requests, cache, clock offset, and rewinds the scenario. */
  reset(): void;
  readonly cache: { stats(): CacheStats; clear(): void };
  readonly clock: { now(): number; advance(ms: number): void };
  close(): Promise<void>;
}

const FILLER = 'This partial reply is interrupted by a fault injected by the offline demo emulator.';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : parseScenario(opts.scenario ?? {});
  const script = new Script(scenario, opts.rules ?? [], opts.brains ?? DEFAULT_BRAINS);
  const recorder = new Recorder(opts.recordFile);
  const faults: Fault[] = [];
  let offset = 0;
  const now = () => (opts.now ?? Date.now)() + offset;
  const minTokens = typeof opts.minCacheableTokens === 'number' ? () => opts.minCacheableTokens as number : (opts.minCacheableTokens ?? defaultMinCacheableTokens);
  const cache = new PromptCache(now, minTokens);
  const contextWindow = opts.contextWindow ?? 200_000;
  const maxStallMs = opts.maxStallMs ?? 30_000;
  let closed = false;

  const finish = (rec: RecordedExchange, outcome: string) => {
    recorder.finish(rec, outcome);
    opts.log?.(`${rec.method} ${rec.path} -> ${rec.status} ${outcome}${rec.fault ? ` (fault ${rec.fault.kind})` : ''}${rec.source ? ` [${rec.source}]` : ''}`);
  };

  const sendJson = (res: ServerResponse, rec: RecordedExchange, status: number, json: unknown, headers: Record<string, string> = {}) => {
    rec.status = status;
    rec.json = json;
    if (isGone(res)) return finish(rec, 'client_closed');
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_emu_${rec.seq}`, ...headers });
    res.end(JSON.stringify(json));
    finish(rec, 'complete');
  };
  const sendError = (res: ServerResponse, rec: RecordedExchange, err: ApiError) =>
    sendJson(res, rec, err.status, errorBody(err, `req_emu_${rec.seq}`), err.headers);

  /** Waits up to `ms`, ending early when the client leaves or the emulator closes; optional pings. */
  const hold = async (res: ServerResponse, rec: RecordedExchange, ms: number, pingEveryMs?: number) => {
    const until = Date.now() + Math.min(ms, maxStallMs);
    while (!closed && !isGone(res) && Date.now() < until) {
      await sleep(Math.min(pingEveryMs ?? 20, Math.max(1, until - Date.now())));
      if (pingEveryMs !== undefined && !isGone(res) && Date.now() < until) {
        const ping: SseEvent = { event: 'ping', data: { type: 'ping' } };
        if (await writeFrame(res, ping, false)) rec.events?.push(ping);
      }
    }
  };

  async function stream(res: ServerResponse, rec: RecordedExchange, events: SseEvent[], fault: Fault | undefined, delayMs: number) {
    rec.status = 200;
    rec.events = [];
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': `req_emu_${rec.seq}` });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const splitUtf8 = opts.chunking?.splitUtf8Writes ?? true;
    const cut = fault?.kind === 'reset' ? (fault.afterEvents ?? 4) : fault?.kind === 'stream_error' || fault?.kind === 'garbage' ? (fault.afterEvents ?? 3) : fault?.kind === 'stall' ? (fault.afterEvents ?? 0) : Infinity;
    for (let i = 0; i <= events.length; i++) {
      if (i === cut && fault) {
        if (fault.kind === 'reset') {
          // Let what was written reach the client first, as a mid-stream drop would.
          if (i > 0) await sleep(25);
          res.socket?.destroy();
          return finish(rec, 'reset');
        }
        if (fault.kind === 'stream_error') {
          const type = fault.errorType ?? 'overloaded_error';
          const e: SseEvent = { event: 'error', data: { type: 'error', error: { type, message: fault.message ?? (type === 'overloaded_error' ? 'Overloaded' : 'Internal server error') }, request_id: `req_emu_${rec.seq}` } };
          if (await writeFrame(res, e, false)) rec.events.push(e);
          res.end();
          return finish(rec, 'complete');
        }
        if (fault.kind === 'garbage') {
          const raw = `event: content_block_delta\ndata: ${fault.data ?? GARBAGE_DATA}\n\n`;
          if (!isGone(res)) await new Promise<void>((resolve) => res.write(raw, () => resolve()));
          rec.events.push({ event: 'content_block_delta', data: { garbage: fault.data ?? GARBAGE_DATA } });
          res.end();
          return finish(rec, 'complete');
        }
        if (fault.kind === 'stall') {
          await hold(res, rec, fault.ms, fault.pingEveryMs);
          const left = isGone(res) || closed;
          res.socket?.destroy();
          return finish(rec, left ? 'client_closed' : 'stalled');
        }
      }
      const e = events[i];
      if (!e) break;
      if (delayMs > 0 && i > 0) await sleep(delayMs);
      if (closed || !(await writeFrame(res, e, splitUtf8))) return finish(rec, 'client_closed');
      rec.events.push(e);
    }
    res.end();
    finish(rec, 'complete');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    let parsed = true;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      parsed = false;
    }
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (opts.control && path.startsWith('/_emulator/')) return control(req.method ?? 'GET', path, b, res);
    const rec = recorder.start({ seq: recorder.nextSeq(), time: now(), method: req.method ?? 'GET', path, stream: b.stream === true, body, status: 0, outcome: 'pending' });

    const endpoint = path === '/v1/messages' ? 'messages' : path === '/v1/messages/count_tokens' ? 'count_tokens' : null;
    if (!endpoint || req.method !== 'POST') return sendError(res, rec, { status: 404, type: 'not_found_error', message: `${req.method} ${path} not found` });
    const auth = checkAuth(req.headers, opts);
    if (auth) return sendError(res, rec, auth);
    if (!parsed) return sendError(res, rec, { status: 400, type: 'invalid_request_error', message: 'There was an error parsing the body of your request. Please make sure it is valid JSON.' });
    const invalid = validateBody(body, endpoint, { strictAlternation: opts.strictAlternation ?? false });
    if (invalid) return sendError(res, rec, invalid);
    const prompt = buildPrompt(b);
    if (prompt.breakpointCount > MAX_BREAKPOINTS) return sendError(res, rec, tooManyBreakpoints(prompt.breakpointCount));
    if (prompt.totalTokens > contextWindow) return sendError(res, rec, promptTooLong(prompt.totalTokens, contextWindow));
    if (endpoint === 'count_tokens') return sendJson(res, rec, 200, { input_tokens: prompt.totalTokens });

    let fault = faults.shift();
    let turnItem: ScriptItem | undefined;
    if (!fault) {
      const picked = script.next(b);
      rec.source = picked.source;
      if (isFaultItem(picked.item)) fault = picked.item.fault;
      else turnItem = picked.item;
    }
    if (fault) rec.fault = fault;
    const isStream = b.stream === true;
    if (fault) {
      const err = httpErrorFor(fault, { inputTokens: prompt.totalTokens, contextWindow }, isStream);
      if (err) return sendError(res, rec, err);
      if (!isStream && fault.kind !== 'garbage' && fault.kind !== 'not_streaming') {
        if (fault.kind === 'stall') await hold(res, rec, fault.ms);
        res.socket?.destroy();
        return finish(rec, fault.kind === 'stall' ? 'stalled' : 'reset');
      }
    }

    if (opts.latencyMs && opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
    const turn = turnItem && !isFaultItem(turnItem) ? turnItem : { text: FILLER };
    const seq = rec.seq;
    const resolved: ResolvedTurn = resolveTurn(turn, seq, Number(b.max_tokens));
    const account = cache.account(String(b.model), prompt);
    const usage: UsageReport = { ...account.usage, output_tokens: resolved.output_tokens };
    if (resolved.extra_input_tokens) usage.input_tokens += resolved.extra_input_tokens;
    rec.usage = usage;
    const head = { id: `msg_emu_${String(seq).padStart(6, '0')}`, model: String(b.model) };
    if (fault?.kind === 'garbage' && !isStream) {
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_emu_${rec.seq}` });
      res.end(fault.data ?? GARBAGE_DATA);
      return finish(rec, 'complete');
    }
    if (!isStream || fault?.kind === 'not_streaming') return sendJson(res, rec, 200, messageJson(head, resolved, usage));
    const chunkOpts = fault ? { ...opts.chunking, text: 4 } : opts.chunking;
    await stream(res, rec, streamEvents(head, resolved, usage, chunkOpts), fault, resolved.delayMs ?? opts.streamDelayMs ?? 0);
  }

  function control(method: string, path: string, b: Record<string, unknown>, res: ServerResponse) {
    const reply = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
    if (method === 'POST' && path === '/_emulator/enqueue' && Array.isArray(b.items)) {
      api.enqueue(...(b.items as Array<ScriptItem | Fault>));
      return reply(200, { queued: b.items.length });
    }
    if (method === 'POST' && path === '/_emulator/rules' && Array.isArray(b.rules)) {
      for (const r of parseScenario({ rules: b.rules }).rules ?? []) api.addRule(r);
      return reply(200, { added: b.rules.length });
    }
    if (method === 'POST' && path === '/_emulator/reset') { api.reset(); return reply(200, { ok: true }); }
    if (method === 'GET' && path === '/_emulator/requests') return reply(200, { requests: recorder.requests });
    return reply(404, { error: `unknown control call ${method} ${path}` });
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !isGone(res)) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `emulator failure: ${String(err)}` } }));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const api: Emulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: recorder.requests,
    faults,
    enqueue: (...items) => script.queue.push(...items.map((it): ScriptItem => ('kind' in it ? { fault: it } : it))),
    addRule: (rule) => script.addRule(rule),
    remainingTurns: () => script.remaining(),
    reset() {
      script.reset();
      faults.length = 0;
      recorder.clear();
      cache.clear();
      offset = 0;
    },
    cache: { stats: () => cache.stats(), clear: () => cache.clear() },
    clock: { now, advance: (ms) => void (offset += ms) },
    close() {
      closed = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
  return api;
}
