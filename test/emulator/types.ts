// Shared types of the Messages API emulator: scripted turns, faults, rules, records.

/** An HTTP error the emulator answers with, in the real API's error envelope. */
export interface ApiError {
  status: number;
  type: string; // invalid_request_error, authentication_error, rate_limit_error, overloaded_error, api_error...
  message: string;
  headers?: Record<string, string>;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

/** A content block of a scripted model reply. */
export type ScriptBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  | {
      type: 'tool_use';
      id?: string; // default: toolu_emu_<request>_<index>
      name: string;
      input: Record<string, unknown>;
      /** How to split the input JSON into input_json_delta events: a chunk size in UTF-16 code units,
       *  or a list of sizes used in turn (cycled). Overrides the emulator's `chunking.json`. */
      chunks?: number | number[];
      /** Stream this text as the input JSON instead of `input` (e.g. malformed or cut-off JSON). */
      rawJson?: string;
    };

/** One scripted model turn (the reply to one request). */
export interface ScriptTurn {
  /** Shorthand for `content: [{ type: 'text', text }]`. */
  text?: string;
  content?: ScriptBlock[];
  /** Default: 'tool_use' when the content has a tool_use block, else 'end_turn'. */
  stop_reason?: StopReason;
  /** Override the computed output token count. */
  output_tokens?: number;
  /** Add this many tokens to the reported uncached input (a client then believes its context is that much fuller:
   *  this is how a test makes a client reach its compaction threshold without sending that much text). */
  extra_input_tokens?: number;
  /** Override the emulator's delay between SSE events for this turn. */
  delayMs?: number;
  /** Stream noise a robust client must ignore: an unknown event type, a second ping, a duplicated
   *  content_block_stop and a delta for a block that never started. */
  noise?: boolean;
}

/** A fault injected into one request instead of (or in the middle of) a normal reply. */
export type Fault =
  /** 429 rate_limit_error; `retryAfter` (seconds) adds a `retry-after` header. */
  | { kind: 'rate_limit'; retryAfter?: number; message?: string }
  /** 429 rate_limit_error for an exhausted spend limit: distinct message and `x-should-retry: false`
   *  (`form: 'workspace'` answers the older 400 invalid_request_error "workspace API usage limits" form). */
  | { kind: 'spend_limit'; form?: 'monthly' | 'workspace'; retryAfter?: number }
  /** 529 overloaded_error. */
  | { kind: 'overloaded'; message?: string }
  /** 500 api_error. */
  | { kind: 'api_error'; message?: string }
  /** 400 "prompt is too long: N tokens > M maximum" regardless of the context window. */
  | { kind: 'prompt_too_long'; tokens?: number; maximum?: number }
  /** Any HTTP error. */
  | { kind: 'http'; status: number; type: string; message: string; headers?: Record<string, string> }
  /** Streaming: an `event: error` after `afterEvents` events (default 3), then the response ends.
   *  Non-streaming: the same error as an HTTP status (529 for overloaded_error, else 500). */
  | { kind: 'stream_error'; afterEvents?: number; errorType?: string; message?: string }
  /** Destroy the socket after `afterEvents` SSE events (default 4; 0 = before any byte of the body). */
  | { kind: 'reset'; afterEvents?: number }
  /** Send headers (and `afterEvents` events, default 0), then nothing for `ms` (or only pings every
   *  `pingEveryMs` when set), then destroy the socket. `ms` is capped by the emulator's `maxStallMs`. */
  | { kind: 'stall'; ms: number; afterEvents?: number; pingEveryMs?: number }
  /** Streaming: after `afterEvents` events (default 3), one SSE event whose data is not JSON (`data`, default a
   *  broken object), then the response ends: a corrupted stream. Non-streaming: the same garbage as the body. */
  | { kind: 'garbage'; afterEvents?: number; data?: string }
  /** A streaming request answered 200 with the complete non-streaming JSON message (content-type
   *  application/json): a server or proxy that does not speak the streaming API. */
  | { kind: 'not_streaming' };

/** A queued or scripted item: a turn, or `{ fault }`. */
export type ScriptItem = ScriptTurn | { fault: Fault };

/** Matches a request; every given condition must hold. */
export interface RuleMatch {
  /** Substring of the text of the last user message (its text blocks and tool_result text). */
  lastUserText?: string;
  /** Regular expression tested against the same text: a RegExp in code, or a string, either a plain
   *  source or "/source/flags" (e.g. "/^hello/i"). */
  lastUserRegex?: string | RegExp;
  /** true: the last user message has a tool_result; a string: it has a tool_result for a tool of that name. */
  toolResult?: boolean | string;
  /** Substring of the model name. */
  model?: string;
  /** Arbitrary predicate (programmatic rules only). */
  when?: (body: Record<string, unknown>) => boolean;
}

export interface Rule {
  match: RuleMatch;
  reply: ScriptItem;
  /** How many times the rule may fire (default: unlimited). */
  times?: number;
}

/**
 * A scripted model that decides each reply from the request itself (its conversation and tool results), e.g. the
 * offline demo's tour. It must be deterministic: the same request gets the same turn.
 */
export type Brain = (body: Record<string, unknown>) => ScriptTurn;

/** The scenario file: a bare list of turns, or this object. */
export interface Scenario {
  turns?: ScriptItem[];
  rules?: Rule[];
  /** Replaces the default demo reply prefix. */
  defaultReplyPrefix?: string;
}

export interface UsageReport {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** One exchange as kept in `emu.requests` and written (one JSON line each) to the record file. */
export interface RecordedExchange {
  seq: number;
  time: number; // emulator clock, ms
  method: string;
  path: string;
  stream: boolean;
  body: unknown;
  status: number;
  /** Non-streaming or error responses: the JSON body sent. */
  json?: unknown;
  /** Streaming responses: every SSE event sent, in order. */
  events?: SseEvent[];
  usage?: UsageReport;
  fault?: Fault;
  /** Where the reply came from. */
  source?: 'queue' | 'rule' | 'scenario' | 'brain' | 'default';
  /** 'complete', 'reset', 'stalled', 'client_closed' */
  outcome: string;
}
