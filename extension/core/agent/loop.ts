/**
 * A task: the async generator that runs model requests and tools until the model is done, the user stops
 * it, or a limit is reached. Each iteration: budget tool results -> compaction hook -> build the request ->
 * stream (with recovery) -> record -> run tools -> continue or stop. Continue and stop reasons are named.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ErrorInfo, StopReason, Usage } from '../../protocol/model';
import { modelInfo, thinkingParam, type ThinkingSetting } from '../providers/models';
import type { ApiMessage, Provider } from '../providers/types';
import type { TranscriptEntry } from '../session/entries';
import { callModel, errorInfo } from './call';
import { costUsd } from './cost';
import type { RuntimeEvent } from './events';
import { appendHistory, type ContentParam } from './history';
import { buildModelRequest, type PromptParts } from './request';
import type { RetryPolicy } from './retry';
import { executeTools, type ToolEnv } from './tools-exec';

export type ContinueReason = 'tool_use' | 'max_tokens_escalate' | 'max_tokens_continue';

export interface TaskLimits {
  /** Model requests per task. */
  maxTurns: number;
  /** USD per task (0 = no cap). */
  maxCostUsd: number;
}

export interface LoopState {
  history: ApiMessage[];
  messages: ChatMessage[];
  model: { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number };
  requests: number;
  taskCostUsd: number;
  maxTokensEscalated: boolean;
  continues: ContinueReason[];
}

export interface LoopEnv {
  provider: Provider;
  prompt(): PromptParts;
  retry: RetryPolicy;
  limits: TaskLimits;
  tools: ToolEnv;
  newId(): string;
  now(): number;
  log(entry: TranscriptEntry): void;
  /** Hook point for the compaction strategies (a later step); may rewrite the history in place. */
  beforeRequest?(state: LoopState): void;
  random?(): number;
}

export interface TaskOutcome {
  stop: StopReason;
  error?: ErrorInfo;
  usage: Usage[];
}

export const CONTINUE_PROMPT = '[cairn] Your previous response was cut off by the output token limit. Continue exactly where it stopped, without repeating anything already written.';

export async function* runTask(s: LoopState, env: LoopEnv, signal: AbortSignal): AsyncGenerator<RuntimeEvent, TaskOutcome> {
  const usages: Usage[] = [];
  const stop = (reason: StopReason, info?: ErrorInfo): TaskOutcome => {
    env.log({ t: 'turn_end', ts: env.now(), stop: reason, error: info ?? null });
    return { stop: reason, ...(info ? { error: info } : {}), usage: usages };
  };

  for (;;) {
    if (signal.aborted) return stop('aborted');
    if (s.requests >= env.limits.maxTurns) {
      return stop('max_turns', { kind: 'unknown', message: `Stopped after ${s.requests} model requests (the per-task limit, setting cairn.maxTurns). Send a message to continue.`, retryable: false });
    }
    if (env.limits.maxCostUsd > 0 && s.taskCostUsd >= env.limits.maxCostUsd) {
      return stop('budget_reached', { kind: 'unknown', message: `Stopped: this task has cost $${s.taskCostUsd.toFixed(2)}, reaching the per-task cap of $${env.limits.maxCostUsd.toFixed(2)} (setting cairn.maxCostPerTask). Send a message to continue.`, retryable: false });
    }
    env.beforeRequest?.(s);
    const maxTokens = s.maxTokensEscalated ? Math.min(modelInfo(s.model.id).maxOutput, Math.max(s.model.maxTokens * 4, 32_000)) : s.model.maxTokens;
    const thinking = thinkingParam(s.model.thinking ?? 'default', s.model.id, maxTokens, s.model.thinkingBudget ?? 8_000);
    const req = buildModelRequest(env.prompt(), s.history, s.model.id, maxTokens, thinking);
    s.requests++;
    const call = yield* callModel(req, { provider: env.provider, retry: env.retry, newId: env.newId, now: env.now, log: env.log, random: env.random }, s.messages, signal);
    if (!call.ok) {
      if (call.aborted) return stop('aborted');
      if (call.error.kind === 'prompt_too_long') return stop('prompt_too_long', errorInfo(call.error));
      return stop('error', errorInfo(call.error));
    }
    const { result, message } = call;
    usages.push(result.usage);
    const cost = costUsd(result.usage, s.model.id);
    if (cost !== undefined) s.taskCostUsd += cost;

    if (result.stopReason === 'max_tokens' && !s.maxTokensEscalated) {
      // First time: re-send the same request with a higher output limit; the cut reply stays visible.
      s.maxTokensEscalated = true;
      s.continues.push('max_tokens_escalate');
      if (message) {
        message.status = 'incomplete';
        env.log({ t: 'partial', ts: env.now(), uiId: message.id, text: textOf(message), reason: 'max_tokens' });
        yield { name: 'message/status', data: { messageId: message.id, status: 'incomplete' } };
      }
      yield usageEvent(result.usage, cost);
      continue;
    }

    // A response cut by max_tokens may end in a tool call whose JSON is incomplete: never keep or run it.
    let content = result.content as ContentParam[];
    if (result.stopReason === 'max_tokens') content = content.filter((b) => b.type !== 'tool_use' || !isMalformed(b.input));
    if (content.length === 0) content = [{ type: 'text', text: '(no content)' }];
    appendHistory(s.history, 'assistant', content);
    env.log({ t: 'msg', ts: env.now(), ...(message ? { uiId: message.id } : {}), role: 'assistant', content, stopReason: result.stopReason, usage: result.usage, ...(cost !== undefined ? { costUsd: cost } : {}) });
    if (message) {
      message.status = 'complete';
      yield { name: 'message/status', data: { messageId: message.id, status: 'complete' } };
    }
    yield usageEvent(result.usage, cost);

    const uses = content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (result.stopReason === 'max_tokens') {
      s.continues.push('max_tokens_continue');
      const cont: ContentParam[] = [
        ...uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: 'Not run: the response was cut off. Send the call again if it is still needed.', is_error: true })),
        { type: 'text', text: CONTINUE_PROMPT },
      ];
      appendHistory(s.history, 'user', cont);
      env.log({ t: 'msg', ts: env.now(), role: 'user', content: cont });
      continue;
    }
    if (uses.length === 0) return stop('completed');

    if (message) {
      for (const b of message.blocks) if (b.type === 'tool_use' && b.status === 'streaming') b.status = 'pending';
    }
    // Tool events stream to the UI as they happen (tools may run in parallel).
    const queue: RuntimeEvent[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const running = executeTools(uses, message, env.tools, signal, (e) => { queue.push(e); wake?.(); })
      .finally(() => { finished = true; wake?.(); });
    for (;;) {
      while (queue.length) yield queue.shift()!;
      if (finished) break;
      await new Promise<void>((r) => { wake = r; });
      wake = null;
    }
    const results = await running;
    appendHistory(s.history, 'user', results);
    env.log({ t: 'msg', ts: env.now(), role: 'user', content: results });
    if (signal.aborted) return stop('aborted');
    s.continues.push('tool_use');
  }
}

function usageEvent(usage: Usage, cost: number | undefined): RuntimeEvent {
  // The runtime replaces this with cumulative figures before it reaches subscribers.
  return { name: 'usage/updated', data: { usage, lastRequest: usage, ...(cost !== undefined ? { costUsd: cost } : {}) } };
}

function textOf(m: ChatMessage): string {
  return m.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

function isMalformed(input: unknown): boolean {
  return Boolean(input && typeof input === 'object' && '__malformed_json' in (input as object));
}
