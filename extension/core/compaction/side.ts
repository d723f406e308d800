/**
 * A side request: one model call made for context management (a summary, a collapse, the session notes), with
 * the loop's retry and stall handling, whose streamed text never reaches the conversation. Its usage and cost
 * are returned so the entry that records the result can carry them.
 */
import { callModel } from '../agent/call';
import { costUsd } from '../agent/cost';
import { MemoryLog } from '../agent/log';
import type { RetryPolicy } from '../agent/retry';
import type { ModelRequest, Provider, Usage } from '../providers/types';

export type SideResult =
  | { ok: true; text: string; usage: Usage; costUsd?: number; model: string }
  | { ok: false; message: string; promptTooLong: boolean; aborted: boolean };

export async function sideRequest(req: ModelRequest, env: { provider: Provider; retry: RetryPolicy; newId(): string; now(): number; random?(): number }, signal: AbortSignal): Promise<SideResult> {
  const gen = callModel(req, { provider: env.provider, retry: env.retry, log: new MemoryLog(), newId: env.newId, now: env.now, ...(env.random ? { random: env.random } : {}) }, signal);
  for (;;) {
    const step = await gen.next();
    if (!step.done) continue;
    const r = step.value;
    if (!r.ok) return { ok: false, message: r.error.message, promptTooLong: r.error.kind === 'prompt_too_long', aborted: r.aborted };
    const text = r.result.content.map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
    if (!text) return { ok: false, message: 'the model answered with no text', promptTooLong: false, aborted: false };
    const cost = costUsd(r.result.usage, req.model);
    return { ok: true, text, usage: r.result.usage, ...(cost !== undefined ? { costUsd: cost } : {}), model: req.model };
  }
}
