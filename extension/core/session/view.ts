/**
 * The conversation as the panel shows it: a projection of the session's domain events.
 *
 * `ChatView.apply(event)` folds one agent event (a transcript entry, or a streaming preview) into the UI's
 * messages, usage, task list and turn state, and returns the protocol events that tell a webview what changed.
 * A live session feeds it every event as it happens; a reopened session feeds it the transcript's entries. Every
 * durable fact the panel shows comes from an entry, and an entry replaces whatever its streaming previews built
 * (a finished response re-sends its whole message), so a live session and the same session reloaded end in the
 * same state.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Block, ChatMessage, CompactionStatus, ContextInfo, ErrorInfo, StopReason, TodoItem, TurnStatus, Usage } from '../../protocol/model';
import type { EventData, EventName } from '../../protocol/events';
import type { AgentEvent } from '../agent/events';
import { addUsage, ZERO_USAGE } from '../providers/types';
import type { ContentParam } from './project';

export type ViewEvent = { [E in EventName]: { name: E; data: EventData<E> } }[EventName];

export const PREVIEW_CHARS = 4_000;
/** Texts the runtime adds on the user's behalf (continue prompts, attachments) are not shown as user text. */
export const SYNTHETIC_PREFIX = '[cairn] ';
const isSynthetic = (text: string) => text.startsWith(SYNTHETIC_PREFIX);

export interface ToolInfo {
  /** The tool's one-line description of a call, and its kind (from its own metadata). */
  describe(name: string, input: unknown): { title?: string; kind?: string };
}

type ToolBlock = Extract<Block, { type: 'tool_use' }>;
const TERMINAL = new Set(['done', 'error', 'cancelled', 'interrupted']);

export class ChatView {
  private messages: ChatMessage[] = [];
  private readonly index = new Map<string, number>();
  /** tool_use id -> where its block is. */
  private readonly tools = new Map<string, { messageId: string; block: number }>();
  /** Streaming: response id -> (stream block index -> UI block index). */
  private readonly streams = new Map<string, Map<number, number>>();
  private usage: Usage = ZERO_USAGE;
  private lastRequest: Usage | undefined;
  private cost = 0;
  private priced = false;
  private context: ContextInfo | undefined;
  title = 'New session';
  turn: TurnStatus = 'idle';
  lastError: ErrorInfo | null = null;
  stopReason: StopReason | null = null;
  todo: TodoItem[] = [];
  compaction: CompactionStatus = { state: 'idle', auto: true };
  private anon = 0;

  constructor(private readonly sessionId: string, private readonly info?: ToolInfo) {}

  /** Fold one event; returns what a webview must be told. */
  apply(e: AgentEvent): ViewEvent[] {
    switch (e.t) {
      case 'title':
        this.title = e.title;
        return [{ name: 'session/title', data: { sessionId: this.sessionId, title: e.title } }];
      case 'msg':
        return e.role === 'user' ? this.userMessage(e) : this.assistantMessage(e);
      case 'partial': {
        const out: ViewEvent[] = [];
        const message: ChatMessage = { id: e.uiId, role: 'assistant', blocks: e.text ? [{ type: 'text', text: e.text }] : [], status: 'incomplete' };
        this.streams.delete(e.uiId);
        out.push(this.put(message));
        if (e.usage) out.push(this.addUsage(e.usage, e.costUsd));
        return out;
      }
      case 'request':
        if (this.turn !== 'streaming') { this.turn = 'streaming'; this.lastError = null; return [{ name: 'turn/status', data: { turn: 'streaming', error: null } }]; }
        return [];
      case 'text_delta': {
        const out: ViewEvent[] = [];
        const m = this.ensureStreaming(e.responseId, out);
        const map = this.streams.get(e.responseId)!;
        let bi = map.get(e.index);
        if (bi === undefined) { bi = m.blocks.length; map.set(e.index, bi); m.blocks.push({ type: e.kind, text: '' }); }
        const block = m.blocks[bi];
        if (block && (block.type === 'text' || block.type === 'thinking')) block.text += e.text;
        out.push({ name: 'message/textDelta', data: { messageId: m.id, blockIndex: bi, kind: e.kind, text: e.text } });
        return out;
      }
      case 'tool_delta': {
        const out: ViewEvent[] = [];
        const m = this.ensureStreaming(e.responseId, out);
        const map = this.streams.get(e.responseId)!;
        let bi = map.get(e.index);
        if (bi === undefined) {
          bi = m.blocks.length;
          map.set(e.index, bi);
          m.blocks.push({ type: 'tool_use', id: e.toolUseId, name: e.name, inputJson: '', status: 'streaming' });
        }
        const block = m.blocks[bi];
        if (block?.type === 'tool_use') block.inputJson += e.partialJson;
        out.push({ name: 'message/toolDelta', data: { messageId: m.id, blockIndex: bi, id: e.toolUseId, name: e.name, inputJsonDelta: e.partialJson, status: 'streaming' } });
        return out;
      }
      case 'tool_validating':
        return this.toolState(e.toolUseId, 'validating');
      case 'tool_start':
        return this.toolState(e.toolUseId, 'running');
      case 'tool_state':
        return this.toolState(e.toolUseId, e.state);
      case 'tool_result': {
        const out = this.toolResult(e.toolUseId, e.status, e.content, e.durationMs, offPlanOf(e.display));
        const todos = todosOf(e.display);
        if (todos && e.status === 'done') { this.todo = todos; out.push({ name: 'todo/changed', data: { items: todos } }); }
        // A subagent's requests count for the turn and the session (not as "the last request").
        const sub = subagentUsageOf(e.display);
        if (sub) out.push(this.addUsage(sub.usage, sub.costUsd, false));
        return out;
      }
      case 'retry':
        return [{ name: 'turn/retrying', data: { attempt: e.attempt, maxAttempts: e.maxAttempts ?? e.attempt + 1, delayMs: e.delayMs, error: e.error } }];
      case 'turn_end': {
        const failed = e.stop !== 'completed' && e.stop !== 'aborted';
        this.turn = failed ? 'error' : 'idle';
        this.stopReason = e.stop;
        this.lastError = failed ? e.error ?? { kind: 'unknown', message: `Stopped: ${e.stop}.`, retryable: false } : null;
        // A stream cut by the stop leaves nothing half-open.
        const out: ViewEvent[] = [];
        for (const id of [...this.streams.keys()]) { this.streams.delete(id); out.push(...this.setStatus(id, 'incomplete')); }
        out.push({ name: 'turn/status', data: { turn: this.turn, error: this.lastError, stopReason: e.stop } });
        return out;
      }
      case 'context':
        this.context = e.context;
        return [this.usageEvent()];
      case 'compaction': {
        // A divider in the conversation; the messages above it stay (only the model's view changed).
        const divider: ChatMessage = {
          id: e.id, role: 'system', status: 'complete',
          blocks: [{ type: 'compaction', strategy: e.strategy, trigger: e.trigger, before: e.before, after: e.after, dropped: e.dropped, ...(e.summary ? { summary: e.summary } : {}), ...(e.source ? { source: e.source } : {}) }],
        };
        const out: ViewEvent[] = [this.put(divider)];
        this.compaction = { state: 'idle', auto: this.compaction.auto, last: { id: e.id, strategy: e.strategy, before: e.before, after: e.after, at: e.ts, dropped: e.dropped } };
        out.push({ name: 'compaction/status', data: this.compactionStatus() });
        if (e.usage) out.push(this.addUsage(e.usage, e.costUsd, false));
        return out;
      }
      case 'notes':
        return e.usage ? [this.addUsage(e.usage, e.costUsd, false)] : [];
      case 'compaction_progress': {
        const auto = e.state === 'disabled' ? false : this.compaction.auto;
        this.compaction = { ...this.compaction, state: e.state, auto, ...(e.strategy ? { strategy: e.strategy } : {}), ...(e.message ? { message: e.message } : {}) };
        if (e.state !== 'failed' && e.state !== 'disabled' && !e.message) delete this.compaction.message;
        return [{ name: 'compaction/status', data: this.compactionStatus() }];
      }
      default:
        return [];
    }
  }

  /** The turn started or was reset by the session (not an entry: the next entries say how it went). */
  setTurn(turn: TurnStatus, error: ErrorInfo | null, stopReason?: StopReason): ViewEvent {
    this.turn = turn;
    this.lastError = error;
    if (stopReason) this.stopReason = stopReason;
    return { name: 'turn/status', data: { turn, error, ...(stopReason ? { stopReason } : {}) } };
  }

  /** Automatic compaction's setting, from the session (the view only sees events). */
  setCompactionAuto(auto: boolean): void { this.compaction = { ...this.compaction, auto }; }

  compactionStatus(): CompactionStatus {
    return { ...this.compaction, ...(this.compaction.last ? { last: { ...this.compaction.last, dropped: [...this.compaction.last.dropped] } } : {}) };
  }

  snapshot() {
    return {
      compaction: this.compactionStatus(),
      title: this.title,
      messages: this.messages.map((m) => ({ ...m, blocks: m.blocks.map((b) => ({ ...b })) })),
      turn: this.turn,
      lastError: this.lastError,
      usage: this.usage,
      ...(this.priced ? { costUsd: this.cost } : {}),
      ...(this.context ? { context: this.context } : {}),
      ...(this.todo.length ? { todo: this.todo.map((t) => ({ ...t })) } : {}),
    };
  }

  get usageTotal(): Usage { return this.usage; }
  get costUsd(): number { return this.cost; }
  get contextNow(): ContextInfo | undefined { return this.context; }
  /** How many messages the conversation shows. */
  get size(): number { return this.messages.length; }

  private userMessage(e: Extract<AgentEvent, { t: 'msg' }>): ViewEvent[] {
    const out: ViewEvent[] = [];
    // Tool results logged only inside the message (recovered after a crash, or cut-off calls) fill their cards.
    for (const b of e.content) {
      if (b.type !== 'tool_result') continue;
      const loc = this.tools.get(b.tool_use_id);
      const block = loc ? this.block(loc) : undefined;
      if (block && TERMINAL.has(block.status)) continue;
      const body = typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
      out.push(...this.toolResult(b.tool_use_id, b.is_error ? 'error' : 'done', body, undefined));
    }
    const text = e.content.filter((b): b is Anthropic.TextBlockParam => b.type === 'text' && !isSynthetic(b.text));
    if (text.length) {
      const blocks: Block[] = text.map((b) => ({ type: 'text', text: b.text }));
      for (const a of e.attachments ?? []) blocks.push({ type: 'attachment', kind: a.kind, label: a.label });
      out.push(this.put({ id: e.uiId ?? `m${this.anon++}`, role: 'user', blocks, status: 'complete' }));
    }
    return out;
  }

  private assistantMessage(e: Extract<AgentEvent, { t: 'msg' }>): ViewEvent[] {
    const id = e.uiId ?? `m${this.anon++}`;
    this.streams.delete(id);
    const blocks = this.blocksOf(e.content as ContentParam[]);
    const out: ViewEvent[] = [this.put({ id, role: 'assistant', blocks, status: 'complete' })];
    blocks.forEach((b, i) => { if (b.type === 'tool_use') this.tools.set(b.id, { messageId: id, block: i }); });
    if (e.usage) out.push(this.addUsage(e.usage, e.costUsd));
    return out;
  }

  private blocksOf(content: readonly ContentParam[]): Block[] {
    const out: Block[] = [];
    for (const b of content) {
      if (b.type === 'text' && b.text) out.push({ type: 'text', text: b.text });
      else if (b.type === 'thinking') out.push({ type: 'thinking', text: b.thinking });
      else if (b.type === 'tool_use') {
        const meta = this.describe(b.name, b.input);
        // A card that already has a state (a reopened session folds results later) keeps it.
        const prior = this.tools.get(b.id);
        const known = prior ? this.block(prior) : undefined;
        out.push({
          type: 'tool_use', id: b.id, name: b.name, inputJson: JSON.stringify(b.input ?? {}), status: known && known.status !== 'streaming' ? known.status : 'validating',
          ...(meta.title ? { title: meta.title } : {}), ...(meta.kind ? { kind: meta.kind } : {}),
          ...(known?.output !== undefined ? { output: known.output } : {}), ...(known?.durationMs !== undefined ? { durationMs: known.durationMs } : {}),
        });
      }
    }
    return out;
  }

  private describe(name: string, input: unknown): { title?: string; kind?: string } {
    try { return this.info?.describe(name, input) ?? {}; } catch { return {}; }
  }

  private ensureStreaming(responseId: string, out: ViewEvent[]): ChatMessage {
    let m = this.message(responseId);
    if (!m) {
      m = { id: responseId, role: 'assistant', blocks: [], status: 'streaming' };
      this.index.set(m.id, this.messages.length);
      this.messages.push(m);
      this.streams.set(responseId, new Map());
      out.push({ name: 'message/added', data: { message: { ...m, blocks: [] } } });
    }
    if (!this.streams.has(responseId)) this.streams.set(responseId, new Map());
    return m;
  }

  private toolState(toolUseId: string, status: ToolBlock['status']): ViewEvent[] {
    const loc = this.tools.get(toolUseId);
    const block = loc ? this.block(loc) : undefined;
    if (!loc || !block || TERMINAL.has(block.status)) return [];
    block.status = status;
    return [{ name: 'message/toolDelta', data: { messageId: loc.messageId, blockIndex: loc.block, id: toolUseId, name: block.name, inputJsonDelta: '', status, ...(block.title ? { title: block.title } : {}) } }];
  }

  private toolResult(toolUseId: string, status: 'done' | 'error' | 'cancelled' | 'interrupted', content: string, durationMs: number | undefined, offPlan?: string): ViewEvent[] {
    const loc = this.tools.get(toolUseId);
    const block = loc ? this.block(loc) : undefined;
    if (!loc || !block) return [];
    block.status = status;
    block.output = content.slice(0, PREVIEW_CHARS);
    if (durationMs !== undefined) block.durationMs = durationMs;
    if (offPlan) block.offPlan = offPlan;
    return [{ name: 'tool/result', data: { messageId: loc.messageId, blockIndex: loc.block, toolUseId, status, output: block.output, durationMs: durationMs ?? 0, ...(offPlan ? { offPlan } : {}) } }];
  }

  private setStatus(id: string, status: ChatMessage['status']): ViewEvent[] {
    const m = this.message(id);
    if (!m || m.status === status) return [];
    m.status = status;
    for (const b of m.blocks) if (b.type === 'tool_use' && b.status === 'streaming') b.status = 'interrupted';
    return [{ name: 'message/status', data: { messageId: id, status } }];
  }

  /** Add a request's usage; side requests (summaries, notes) count for the session but are not "the last request". */
  private addUsage(u: Usage, cost: number | undefined, main = true): ViewEvent {
    this.usage = addUsage(this.usage, u);
    if (main) this.lastRequest = u;
    if (cost !== undefined) { this.cost += cost; this.priced = true; }
    return this.usageEvent();
  }

  private usageEvent(): ViewEvent {
    return { name: 'usage/updated', data: { usage: this.usage, ...(this.lastRequest ? { lastRequest: this.lastRequest } : {}), ...(this.priced ? { costUsd: this.cost } : {}), ...(this.context ? { context: this.context } : {}) } };
  }

  /** Add or replace a whole message (the newer version wins in every webview). */
  private put(message: ChatMessage): ViewEvent {
    const at = this.index.get(message.id);
    if (at !== undefined) this.messages[at] = message;
    else { this.index.set(message.id, this.messages.length); this.messages.push(message); }
    return { name: 'message/added', data: { message: { ...message, blocks: message.blocks.map((b) => ({ ...b })) } } };
  }

  private message(id: string): ChatMessage | undefined {
    const at = this.index.get(id);
    return at === undefined ? undefined : this.messages[at];
  }

  private block(loc: { messageId: string; block: number }): ToolBlock | undefined {
    const b = this.message(loc.messageId)?.blocks[loc.block];
    return b?.type === 'tool_use' ? b : undefined;
  }
}

/**
 * A todo tool's result carries the whole list in its display; so does update_plan_step (the approved plan's steps:
 * the panel's task card shows the plan's progress while it is executed; skipped steps count as settled).
 */
function todosOf(display: Record<string, unknown> | undefined): TodoItem[] | undefined {
  const plan = (display?.planProgress as { steps?: unknown } | undefined)?.steps;
  if (Array.isArray(plan)) {
    return plan.filter((t): t is { text: string; state: string } => !!t && typeof (t as { text?: unknown }).text === 'string')
      .map((t) => ({ content: t.state === 'skipped' ? `${t.text} (skipped)` : t.text, status: t.state === 'done' || t.state === 'skipped' ? 'completed' : t.state === 'in_progress' ? 'in_progress' : 'pending' }));
  }
  const list = display?.todos;
  if (!Array.isArray(list)) return undefined;
  return list.filter((t): t is TodoItem => !!t && typeof (t as TodoItem).content === 'string')
    .map((t) => ({ content: t.content, status: t.status === 'completed' || t.status === 'in_progress' ? t.status : 'pending' }));
}

/** The off-plan flag the tool executor puts on an edit's result (core/agent/tools-exec.ts), bounded for the card. */
function offPlanOf(display: Record<string, unknown> | undefined): string | undefined {
  const v = display?.offPlan;
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 500) : undefined;
}

/** The usage a subagent's tool result carries (display.subagent, written by core/agents/run.ts). */
function subagentUsageOf(display: Record<string, unknown> | undefined): { usage: Usage; costUsd?: number } | undefined {
  const sub = display?.subagent as { usage?: Partial<Usage>; costUsd?: unknown } | undefined;
  const u = sub?.usage;
  if (!u || typeof u !== 'object') return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const usage: Usage = { inputTokens: n(u.inputTokens), outputTokens: n(u.outputTokens), cacheReadTokens: n(u.cacheReadTokens), cacheWriteTokens: n(u.cacheWriteTokens) };
  return { usage, ...(typeof sub.costUsd === 'number' && Number.isFinite(sub.costUsd) ? { costUsd: sub.costUsd } : {}) };
}
