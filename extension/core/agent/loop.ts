/**
 * A task: the async generator that runs model requests and tools until the model is done, the user stops it, or
 * a limit is reached. Each iteration: context management (the `beforeRequest` seam) -> build the request from the
 * log's projection -> stream (with recovery) -> record -> run tools -> continue or stop. Continue and stop
 * reasons are named. Every durable step is appended to the log before it is yielded; nothing edits the history.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { modelInfo, thinkingParam, type ThinkingSetting } from '../providers/models';
import type { ErrorInfo, Provider, Usage } from '../providers/types';
import type { StopReason, TranscriptEntry } from '../session/entries';
import type { ContentParam } from '../session/project';
import { callModel, errorInfo } from './call';
import { contextInfo } from './context';
import { costUsd } from './cost';
import type { AgentEvent } from './events';
import type { AgentLog } from './log';
import { buildModelRequest, type PromptParts } from './request';
import type { RetryPolicy } from './retry';
import { executeTools, type ToolEnv, type TurnFlags } from './tools-exec';

export type ContinueReason = 'tool_use' | 'max_tokens_escalate' | 'max_tokens_continue' | 'compacted_retry';

export interface ModelSettings { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number; /** Override the model's context window (settings, tests). */ contextWindow?: number }

export interface TaskLimits {
  /** Model requests per task. */
  maxTurns: number;
  /** USD per task (0 = no cap). */
  maxCostUsd: number;
}

export interface LoopState {
  model: ModelSettings;
  requests: number;
  taskCostUsd: number;
  maxTokensEscalated: boolean;
  continues: ContinueReason[];
  /** Usage of the last completed response (what context management judges the context size by). */
  lastUsage?: Usage;
}

export interface LoopEnv {
  provider: Provider;
  prompt(): PromptParts;
  retry: RetryPolicy;
  limits: TaskLimits;
  tools: ToolEnv;
  log: AgentLog;
  newId(): string;
  now(): number;
  random?(): number;
  /**
   * The seam for context management, before every request: it may append entries to the log (a compaction
   * record the projection applies), never edit it. Yields what it did.
   */
  beforeRequest?(state: LoopState, signal: AbortSignal): AsyncGenerator<AgentEvent, void>;
  /**
   * The API said the prompt is too long: compact with the strongest strategy. True when the history was
   * reduced, so the same request is re-sent once; false stops the task.
   */
  onPromptTooLong?(state: LoopState, signal: AbortSignal): AsyncGenerator<AgentEvent, boolean>;
}

export interface TaskOutcome {
  stop: StopReason;
  error?: ErrorInfo;
  usage: Usage[];
}

export const CONTINUE_PROMPT = '[cairn] Your previous response was cut off by the output token limit. Continue exactly where it stopped, without repeating anything already written.';

export async function* runTask(s: LoopState, env: LoopEnv, signal: AbortSignal): AsyncGenerator<AgentEvent, TaskOutcome> {
  const usages: Usage[] = [];
  const record = (entry: TranscriptEntry): TranscriptEntry => { env.log.append(entry); return entry; };
  const stop = function* (reason: StopReason, info?: ErrorInfo): Generator<AgentEvent, TaskOutcome> {
    yield record({ t: 'turn_end', ts: env.now(), stop: reason, error: info ?? null });
    return { stop: reason, ...(info ? { error: info } : {}), usage: usages };
  };
  let compactedRetry = false;

  for (;;) {
    if (signal.aborted) return yield* stop('aborted');
    if (s.requests >= env.limits.maxTurns) {
      return yield* stop('max_turns', { kind: 'unknown', message: `Stopped after ${s.requests} model requests (the per-task limit, setting cairn.maxTurns). Send a message to continue.`, retryable: false });
    }
    if (env.limits.maxCostUsd > 0 && s.taskCostUsd >= env.limits.maxCostUsd) {
      return yield* stop('budget_reached', { kind: 'unknown', message: `Stopped: this task has cost $${s.taskCostUsd.toFixed(2)}, reaching the per-task cap of $${env.limits.maxCostUsd.toFixed(2)} (setting cairn.maxCostPerTask). Send a message to continue.`, retryable: false });
    }
    if (env.beforeRequest) yield* env.beforeRequest(s, signal);
    if (signal.aborted) return yield* stop('aborted');
    const maxTokens = s.maxTokensEscalated ? Math.min(modelInfo(s.model.id).maxOutput, Math.max(s.model.maxTokens * 4, 32_000)) : s.model.maxTokens;
    const thinking = thinkingParam(s.model.thinking ?? 'default', s.model.id, maxTokens, s.model.thinkingBudget ?? 8_000);
    const req = buildModelRequest(env.prompt(), env.log.history(), s.model.id, maxTokens, thinking);
    s.requests++;
    const call = yield* callModel(req, { provider: env.provider, retry: env.retry, log: env.log, newId: env.newId, now: env.now, random: env.random }, signal);
    if (!call.ok) {
      if (call.aborted) return yield* stop('aborted');
      if (call.error.kind === 'prompt_too_long') {
        // Compact with the strongest strategy and re-send once; never loop.
        if (!compactedRetry && env.onPromptTooLong && (yield* env.onPromptTooLong(s, signal))) {
          compactedRetry = true;
          s.continues.push('compacted_retry');
          continue;
        }
        return yield* stop('prompt_too_long', errorInfo(call.error));
      }
      return yield* stop('error', errorInfo(call.error));
    }
    const { result, responseId } = call;
    usages.push(result.usage);
    s.lastUsage = result.usage;
    const cost = costUsd(result.usage, s.model.id);
    if (cost !== undefined) s.taskCostUsd += cost;

    if (result.stopReason === 'max_tokens' && !s.maxTokensEscalated) {
      // First time: re-send the same request with a higher output limit; the cut reply stays visible.
      s.maxTokensEscalated = true;
      s.continues.push('max_tokens_escalate');
      // Its usage still counts (it was paid for).
      yield record({ t: 'partial', ts: env.now(), uiId: responseId, text: textOf(result.content), reason: 'max_tokens', usage: result.usage, ...(cost !== undefined ? { costUsd: cost } : {}) });
      yield record({ t: 'context', ts: env.now(), context: contextInfo(result.usage, s.model, s.model.contextWindow) });
      continue;
    }

    // A response cut by max_tokens may end in a tool call whose JSON is incomplete: never keep or run it.
    let content = result.content as ContentParam[];
    if (result.stopReason === 'max_tokens') content = content.filter((b) => b.type !== 'tool_use' || !isMalformed(b.input));
    if (content.length === 0) content = [{ type: 'text', text: '(no content)' }];
    yield record({ t: 'msg', ts: env.now(), id: env.newId(), uiId: responseId, role: 'assistant', content, stopReason: result.stopReason, usage: result.usage, model: s.model.id, ...(cost !== undefined ? { costUsd: cost } : {}) });
    yield record({ t: 'context', ts: env.now(), context: contextInfo(result.usage, s.model, s.model.contextWindow) });

    const uses = content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (result.stopReason === 'max_tokens') {
      s.continues.push('max_tokens_continue');
      const cont: ContentParam[] = [
        ...uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: 'Not run: the response was cut off. Send the call again if it is still needed.', is_error: true })),
        { type: 'text', text: CONTINUE_PROMPT },
      ];
      yield record({ t: 'msg', ts: env.now(), id: env.newId(), role: 'user', content: cont });
      continue;
    }
    if (uses.length === 0) return yield* stop('completed');

    // Tool events stream as they happen (tools may run in parallel).
    const queue: AgentEvent[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const flags: TurnFlags = { endTurn: false };
    const running = executeTools(uses, env.tools, signal, (e) => { queue.push(e); wake?.(); }, flags)
      .finally(() => { finished = true; wake?.(); });
    for (;;) {
      while (queue.length) yield queue.shift()!;
      if (finished) break;
      await new Promise<void>((r) => { wake = r; });
      wake = null;
    }
    const results = await running;
    while (queue.length) yield queue.shift()!;
    yield record({ t: 'msg', ts: env.now(), id: env.newId(), role: 'user', content: results });
    if (signal.aborted) return yield* stop('aborted');
    // A tool handed the next step to the user (a proposed plan): the task ends here, waiting for them.
    if (flags.endTurn) return yield* stop('completed');
    s.continues.push('tool_use');
  }
}

function textOf(content: readonly Anthropic.ContentBlock[]): string {
  return content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

function isMalformed(input: unknown): boolean {
  return Boolean(input && typeof input === 'object' && '__malformed_json' in (input as object));
}
