/**
 * The context pipeline: the five strategies, lightest first, at the loop's seams (before every request, and when
 * the API says the prompt is too long), plus /compact and the session notes. It judges the context by the API's
 * reported usage of the last response plus an estimate of what came after it. Every change is a `compaction`
 * entry appended to the log (never an edit): the projection applies it, a resumed session applies it again.
 *
 * - light (snip + microcompact, no model call): when the cache is cold anyway, or above `lightAtRatio` of the mark;
 * - collapse (small model): above `collapseAtRatio`;
 * - autocompact at the mark (window - output reserve - buffer): the session notes first, else a structured summary
 *   sent as a continuation of the cached prefix (same tools and system, the instruction appended last);
 * - reactive: on "prompt is too long", the strongest strategy once, then the same request is re-sent once;
 * - three failed automatic compactions in a row switch automatic compaction off for the session.
 */
import type { Agent, ContextManager, ToolCatalog } from '../agent/agent';
import { contextInfo, type ContextFigures } from '../agent/context';
import type { AgentEvent } from '../agent/events';
import type { LoopState, ModelSettings } from '../agent/loop';
import type { RetryPolicy } from '../agent/retry';
import { safeDescribe } from '../agent/tools-exec';
import type { ApiMessage, Provider, ProviderError } from '../providers/types';
import type { CompactionEntry, CompactionStrategy, TranscriptEntry } from '../session/entries';
import { appended, mergeItems, type ContentParam, type HistoryItem } from '../session/project';
import { continuationText, droppedLines, tailStart } from './boundary';
import { budgetResults } from './budget';
import { COLLAPSE_HEAD, pickSpan, renderSpan } from './collapse';
import type { LedgerTools } from './ledger';
import { microcompactTargets, saveWhole, snipTargets, type LightTools, type Target } from './light';
import { notesPath, readNotes, writeNotes, type SessionNotes } from './notes';
import { indexOfItem, isCutPoint, pairProblems } from './pairs';
import { COLLAPSE_SYSTEM, notesInstruction, summaryFrom, summaryInstruction } from './prompts';
import { CIRCUIT_BREAKER_FAILURES, type CompactionSettings } from './settings';
import { sideRequest, type SideResult } from './side';
import { itemsTokens, textTokens } from './tokens';

export interface PipelineDeps {
  entries(): readonly TranscriptEntry[];
  items(): readonly HistoryItem[];
  history(): ApiMessage[];
  /** Append to the log only (what the loop yields is folded by whoever drives it). */
  append(entry: TranscriptEntry): void;
  /** Append and show (for work outside a turn: the session notes). */
  record(entry: TranscriptEntry): void;
  agent(): Agent;
  provider(): Provider | ProviderError;
  retry: RetryPolicy;
  settings(): CompactionSettings;
  model(): ModelSettings;
  tools?: ToolCatalog;
  workspaceRoot: string;
  sessionDir: string;
  /** The approved plan being executed (pinned after every compaction). */
  plan?(): string | undefined;
  /**
   * The PreCompact hooks, awaited before an automatic compaction (at the mark, or when the prompt is too long)
   * replaces the history with a summary. Never throws: a failing hook is reported by its runner.
   */
  preCompact?(): Promise<void>;
  /** Called when the notes change (the panel shows them). */
  onNotes?(notes: SessionNotes): void;
  newId(): string;
  now(): number;
  random?(): number;
}

export interface CompactionState {
  auto: boolean;
  disabled: boolean;
  failures: number;
}

type Tools = LightTools & LedgerTools & { path(name: string, input: unknown): string | undefined };

export class ContextPipeline implements ContextManager {
  private failures = 0;
  private disabled = false;
  private notesBusy: Promise<void> | null = null;
  private notesController: AbortController | null = null;
  private overhead: number | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly d: PipelineDeps) {}

  state(): CompactionState {
    return { auto: this.d.settings().auto, disabled: this.disabled, failures: this.failures };
  }

  /** The window and the autocompact mark for the current model and settings. */
  limits(): ContextFigures {
    const m = this.d.model();
    return contextInfo({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, m, this.d.settings().contextWindow ?? m.contextWindow);
  }

  /** Tokens in context now: the last response's reported usage plus an estimate of what came after it. */
  contextTokens(): number {
    const entries = this.d.entries();
    const items = this.d.items();
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.t === 'compaction') break;
      if (e.t === 'msg' && e.role === 'assistant' && e.usage && e.id) {
        const at = indexOfItem(items, e.id);
        if (at < 0) break;
        const u = e.usage;
        return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens + itemsTokens(items.slice(at + 1));
      }
    }
    return this.promptOverhead() + itemsTokens(items);
  }

  private promptOverhead(): number {
    if (this.overhead === undefined) {
      const p = this.d.agent().prompt();
      this.overhead = textTokens(JSON.stringify(p.tools)) + textTokens(p.staticSystem) + textTokens(p.dynamicSystem ?? '') + textTokens(p.prelude ?? '');
    }
    return this.overhead;
  }

  /** The tool-result budget, applied when results are produced (the executor's hook). */
  shapeResults(results: ContentParam[]): Promise<ContentParam[]> {
    const s = this.d.settings();
    return budgetResults(results, { perResultTokens: s.toolResultBudgetTokens, perMessageTokens: s.messageBudgetTokens, sessionDir: this.d.sessionDir, workspaceRoot: this.d.workspaceRoot });
  }

  async *beforeRequest(state: LoopState, _log: unknown, signal: AbortSignal): AsyncGenerator<AgentEvent, void> {
    const s = this.d.settings();
    const lim = this.limits();
    let tokens = this.contextTokens();
    if (tokens >= s.warnAtRatio * lim.compactAt && tokens < lim.compactAt) {
      yield { t: 'compaction_progress', state: 'warning', tokens, message: `The context is ${Math.round((tokens / lim.compactAt) * 100)}% of the way to automatic compaction.` };
    }
    if (s.auto && !this.disabled) {
      const cold = this.cacheCold(s);
      if (cold || tokens >= s.lightAtRatio * lim.compactAt) tokens -= yield* this.light(cold ? 'cold-cache' : 'threshold', tokens, lim, cold);
      const hardLimit = lim.window - Math.min(this.d.model().maxTokens, 20_000);
      const defer = s.waitForTaskEnd && state.requests > 0 && tokens < hardLimit;
      if (tokens >= lim.compactAt && !defer) yield* this.autocompact(tokens, signal);
      else if (tokens >= s.collapseAtRatio * lim.compactAt && tokens < lim.compactAt) yield* this.collapse(tokens, lim, signal);
    }
    this.maybeNotes(s);
  }

  async *onPromptTooLong(_state: LoopState, _log: unknown, signal: AbortSignal): AsyncGenerator<AgentEvent, boolean> {
    yield { t: 'compaction_progress', state: 'running', strategy: 'reactive' };
    await this.runPreCompact();
    const items = this.d.items();
    const lim = this.limits();
    // The whole history no longer fits one request: summarise the oldest part, keep the newest verbatim.
    let keep = tailStart(items, Math.floor(lim.window * 0.25), 1);
    if (keep < 0) keep = items.length - 1;
    while (keep > 0 && !isCutPoint(items, keep)) keep--;
    if (keep <= 0) { yield* this.failure('reactive', 'nothing older than the latest message to summarise'); return false; }
    let head = items.slice(0, keep);
    // The part to summarise must fit one request too: drop its oldest exchanges (they stay in the transcript).
    let truncated = false;
    while (head.length > 1 && itemsTokens(head) + this.promptOverhead() > lim.window * 0.7) {
      let cut = 1;
      while (cut < head.length && !(head[cut]!.role === 'user' && !head[cut]!.content.some((b) => b.type === 'tool_result'))) cut++;
      if (cut >= head.length) break;
      head = head.slice(cut);
      truncated = true;
    }
    const note = truncated ? 'The earliest part of the conversation was too long even to summarise; it is only in the transcript (transcript_search finds it).' : undefined;
    return yield* this.headBoundary('reactive', 'prompt-too-long', head, keep, this.contextTokens(), signal, note);
  }

  /** /compact: a full summary now, with the user's instructions. */
  async *compactNow(instructions: string | undefined, signal: AbortSignal): AsyncGenerator<AgentEvent, boolean> {
    const items = this.d.items();
    if (items.length < 2) { yield this.failed('manual', 'There is nothing to compact yet.'); return false; }
    const keep = tailStart(items, Math.floor(this.limits().compactAt * 0.1), 1);
    return yield* this.summaryBoundary('manual', 'user', this.contextTokens(), keep, signal, instructions);
  }

  /** Stop background work (the session closes). */
  dispose(): void {
    this.notesController?.abort();
  }

  /** Wait for background work: a notes update, the saving of cleared results (tests, shutdown). */
  async settled(): Promise<void> { await this.notesBusy; await this.saving; }

  private async runPreCompact(): Promise<void> {
    try { await this.d.preCompact?.(); } catch { /* the hook runner reports its failures */ }
  }

  private cacheCold(s: CompactionSettings): boolean {
    const entries = this.d.entries();
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.t === 'msg' && e.role === 'assistant') return this.d.now() - e.ts > s.cacheTtlMs;
    }
    return false;
  }

  private tools(): Tools {
    const cat = this.d.tools;
    return {
      info: (name, input) => { const t = cat?.get(name); return t ? { kind: t.kind, ...(safeDescribe(t, input) ? { title: safeDescribe(t, input) } : {}) } : {}; },
      path: (name, input) => { const t = cat?.get(name); try { return t?.path?.(input); } catch { return undefined; } },
      label: (name) => cat?.get(name)?.label ?? name,
    };
  }

  /** Snip and microcompact; returns the tokens freed. */
  private async *light(trigger: 'cold-cache' | 'threshold', tokens: number, lim: ContextFigures, cold: boolean): AsyncGenerator<AgentEvent, number> {
    const s = this.d.settings();
    const tools = this.tools();
    const freedBy = (ts: Target[]) => ts.reduce((n, t) => n + t.tokensBefore - t.tokensAfter, 0);
    // With a warm cache, a light pass must free a good part of the context to be worth the cache it breaks
    // (clearing one result at a time would break the cache on every request).
    const worth = (n: number) => n > 0 && (cold || n >= Math.max(2_000, lim.compactAt * 0.25));
    let freed = 0;
    const snips = snipTargets(this.d.items(), tools, this.d.workspaceRoot);
    if (worth(freedBy(snips))) {
      const f = freedBy(snips);
      yield this.entry({ op: 'snip', strategy: 'snip', trigger, before: tokens, after: tokens - f, dropped: snips.map((t) => `${t.what} (superseded)`), targets: snips.map(({ toolUseId, text }) => ({ toolUseId, text })) });
      freed += f;
    }
    const micro = microcompactTargets(this.d.items(), s.keepRecentToolResults, tools, this.d);
    if (worth(freedBy(micro))) {
      const f = freedBy(micro);
      this.saving = saveWhole(micro);
      yield this.entry({ op: 'microcompact', strategy: 'microcompact', trigger, before: tokens - freed, after: tokens - freed - f, dropped: micro.map((t) => `${t.what} (cleared; kept in a file)`), targets: micro.map(({ toolUseId, text }) => ({ toolUseId, text })) });
      freed += f;
    }
    return freed;
  }

  private async *collapse(tokens: number, lim: ContextFigures, signal: AbortSignal): AsyncGenerator<AgentEvent, void> {
    const items = this.d.items();
    const span = pickSpan(items, { keepExchanges: 2, minTokens: 3_000, maxTokens: Math.floor(lim.compactAt * 0.4) });
    if (!span) return;
    yield { t: 'compaction_progress', state: 'running', strategy: 'collapse' };
    const s = this.d.settings();
    const res = await this.side({ model: s.collapseModel, maxTokens: 1_024, system: [{ type: 'text', text: COLLAPSE_SYSTEM }], messages: [{ role: 'user', content: [{ type: 'text', text: renderSpan(items, span) }] }] }, signal);
    if (!res.ok) { if (!res.aborted) yield* this.failure('collapse', res.message); return; }
    const summary = `${COLLAPSE_HEAD}\n${res.text}`;
    this.failures = 0;
    yield this.entry({
      op: 'collapse', strategy: 'collapse', trigger: 'threshold', before: tokens, after: tokens - span.tokens + textTokens(summary),
      from: items[span.from]!.id, to: items[span.to]!.id, summary,
      dropped: [`${span.to - span.from + 1} history messages (about ${span.tokens.toLocaleString('en-US')} tokens) condensed by ${s.collapseModel}`],
      usage: res.usage, ...(res.costUsd !== undefined ? { costUsd: res.costUsd } : {}), model: res.model,
    });
  }

  private async *autocompact(tokens: number, signal: AbortSignal): AsyncGenerator<AgentEvent, void> {
    await this.runPreCompact();
    const items = this.d.items();
    const lim = this.limits();
    // First choice: the session notes, when they cover all but a tail small enough to keep verbatim.
    const notes = readNotes(notesPath(this.d.sessionDir));
    const covered = notes ? indexOfItem(items, notes.covers) : -1;
    if (notes && covered >= 0) {
      let keep = covered + 1;
      while (keep < items.length && !isCutPoint(items, keep)) keep++;
      const kept = keep < items.length ? items.slice(keep) : [];
      if (itemsTokens(kept) <= lim.compactAt * 0.25) {
        const attach = continuationText(notes.text, this.d.entries(), this.tools(), this.pinned(), 'notes');
        this.failures = 0;
        yield this.entry({
          op: 'compact_boundary', strategy: 'autocompact', trigger: 'threshold', source: 'notes', before: tokens,
          after: this.promptOverhead() + textTokens(attach) + itemsTokens(kept), summary: notes.text, attach,
          ...(kept.length ? { keepFrom: kept[0]!.id } : {}), dropped: droppedLines(items, kept.length ? keep : -1),
        });
        return;
      }
    }
    yield* this.summaryBoundary('autocompact', 'threshold', tokens, tailStart(items, Math.floor(lim.compactAt * 0.15), 1), signal);
  }

  /** A structured summary as a continuation of the cached prefix, then the boundary. */
  private async *summaryBoundary(strategy: CompactionStrategy, trigger: CompactionEntry['trigger'], before: number, keep: number, signal: AbortSignal, instructions?: string): AsyncGenerator<AgentEvent, boolean> {
    yield { t: 'compaction_progress', state: 'running', strategy };
    const history = appended(this.d.history(), 'user', [{ type: 'text', text: summaryInstruction(instructions) }]);
    const res = await this.side(this.d.agent().request(history), signal);
    if (!res.ok) {
      // The summary request itself is too long: summarise the oldest part only.
      if (res.promptTooLong) return yield* this.onPromptTooLong({} as LoopState, undefined, signal);
      if (!res.aborted) yield* this.failure(strategy, res.message);
      return false;
    }
    return yield* this.finishBoundary(strategy, trigger, before, keep, summaryFrom(res.text), res);
  }

  /** Summarise `head` alone (not a continuation: the whole history does not fit), then the boundary. */
  private async *headBoundary(strategy: CompactionStrategy, trigger: CompactionEntry['trigger'], head: readonly HistoryItem[], keep: number, before: number, signal: AbortSignal, note?: string): AsyncGenerator<AgentEvent, boolean> {
    const history = appended(mergeItems(head), 'user', [{ type: 'text', text: summaryInstruction() }]);
    const res = await this.side(this.d.agent().request(history), signal);
    if (!res.ok) { if (!res.aborted) yield* this.failure(strategy, res.message); return false; }
    const summary = note ? `${note}\n\n${summaryFrom(res.text)}` : summaryFrom(res.text);
    return yield* this.finishBoundary(strategy, trigger, before, keep, summary, res);
  }

  private async *finishBoundary(strategy: CompactionStrategy, trigger: CompactionEntry['trigger'], before: number, keep: number, summary: string, res: Extract<SideResult, { ok: true }>): AsyncGenerator<AgentEvent, boolean> {
    const items = this.d.items();
    const attach = continuationText(summary, this.d.entries(), this.tools(), this.pinned(), 'summary');
    const kept = keep >= 0 ? items.slice(keep) : [];
    const entry = this.entry({
      op: 'compact_boundary', strategy, trigger, source: 'summary', before, after: this.promptOverhead() + textTokens(attach) + itemsTokens(kept),
      summary, attach, ...(kept.length ? { keepFrom: kept[0]!.id } : {}), dropped: droppedLines(items, keep),
      usage: res.usage, ...(res.costUsd !== undefined ? { costUsd: res.costUsd } : {}), model: res.model,
    });
    const problems = pairProblems(this.d.history());
    if (problems.length) throw new Error(`compaction left an invalid history: ${problems[0]}`);
    this.failures = 0;
    yield entry;
    return true;
  }

  private pinned() {
    return { entries: this.d.entries(), tools: this.tools(), workspaceRoot: this.d.workspaceRoot, ...(this.d.plan ? { plan: this.d.plan } : {}) };
  }

  private async side(req: Parameters<typeof sideRequest>[0], signal: AbortSignal): Promise<SideResult> {
    const provider = this.d.provider();
    if (!('stream' in provider)) return { ok: false, message: provider.message, promptTooLong: false, aborted: false };
    return sideRequest(req, { provider, retry: this.d.retry, newId: this.d.newId, now: this.d.now, ...(this.d.random ? { random: this.d.random } : {}) }, signal);
  }

  private entry(fields: Omit<CompactionEntry, 't' | 'ts' | 'id'>): CompactionEntry {
    const e: CompactionEntry = { t: 'compaction', ts: this.d.now(), id: this.d.newId(), ...fields };
    this.d.append(e);
    return e;
  }

  private failed(strategy: string, message: string): AgentEvent {
    return { t: 'compaction_progress', state: 'failed', strategy, message };
  }

  private async *failure(strategy: string, message: string): AsyncGenerator<AgentEvent, void> {
    this.failures++;
    yield this.failed(strategy, `Compaction (${strategy}) failed: ${message}`);
    if (this.failures >= CIRCUIT_BREAKER_FAILURES && !this.disabled) {
      this.disabled = true;
      yield { t: 'compaction_progress', state: 'disabled', message: `Automatic compaction failed ${this.failures} times in a row and is off for this session. Compact by hand with /compact.` };
    }
  }

  /** Bring the session notes up to date in the background when the context has grown enough since. */
  private maybeNotes(s: CompactionSettings): void {
    if (!s.notesEveryTokens || this.notesBusy) return;
    const tokens = this.contextTokens();
    const file = notesPath(this.d.sessionDir);
    const notes = readNotes(file);
    const items = this.d.items();
    const since = notes && indexOfItem(items, notes.covers) >= 0 ? notes.tokens : 0;
    if (tokens < Math.max(8_000, s.notesEveryTokens) || tokens - since < s.notesEveryTokens) return;
    const last = items[items.length - 1];
    const provider = this.d.provider();
    if (!last || !('stream' in provider)) return;
    const req = this.d.agent().request(appended(this.d.history(), 'user', [{ type: 'text', text: notesInstruction(notes?.text) }]));
    const ctl = new AbortController();
    this.notesController = ctl;
    this.notesBusy = sideRequest(req, { provider, retry: this.d.retry, newId: this.d.newId, now: this.d.now }, ctl.signal).then((res) => {
      if (!res.ok) return;
      const next: SessionNotes = { covers: last.id, tokens, updated: this.d.now(), text: res.text };
      writeNotes(file, next);
      this.d.record({ t: 'notes', ts: this.d.now(), covers: last.id, tokens, usage: res.usage, ...(res.costUsd !== undefined ? { costUsd: res.costUsd } : {}), model: res.model });
      this.d.onNotes?.(next);
    }).catch(() => undefined).finally(() => { this.notesBusy = null; this.notesController = null; });
  }
}
