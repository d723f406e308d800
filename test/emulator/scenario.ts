// Scripted model turns: a queue (programmatic), rules that match the request, the scenario's list of
// turns consumed in order, and a deterministic default demo reply.
import { readFileSync } from 'node:fs';
import { mergeMessages } from './prompt';
import { parseFault } from './faults';
import { outputTokens, tokensOf } from './tokens';
import type { Brain, Fault, Rule, Scenario, ScriptBlock, ScriptItem, ScriptTurn, StopReason } from './types';

export const DEFAULT_REPLY_PREFIX = '[offline demo emulator]';

export function isFaultItem(item: ScriptItem): item is { fault: Fault } {
  return typeof item === 'object' && item !== null && 'fault' in item;
}

/** Reads a scenario file: a JSON list of turns, or `{ turns, rules, defaultReplyPrefix }`. */
export function loadScenario(file: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

export function parseScenario(value: unknown): Scenario {
  const s: Scenario = Array.isArray(value) ? { turns: value as ScriptItem[] } : (value as Scenario);
  if (!s || typeof s !== 'object') throw new Error('a scenario is a list of turns or an object with "turns"/"rules"');
  const check = (item: ScriptItem) => {
    if (isFaultItem(item)) parseFault(item.fault);
    else if (typeof item.text !== 'string' && !Array.isArray(item.content)) throw new Error(`a turn needs "text" or "content": ${JSON.stringify(item)}`);
  };
  (s.turns ?? []).forEach(check);
  (s.rules ?? []).forEach((r) => check(r.reply));
  return s;
}

/** The text of the last user message: its text blocks and the text inside its tool_result blocks. */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  const parts: string[] = [];
  const collect = (block: unknown) => {
    const b = block as { type?: string; text?: unknown; content?: unknown };
    if (b?.type === 'text' && typeof b.text === 'string') parts.push(b.text);
    if (b?.type === 'tool_result') {
      if (typeof b.content === 'string') parts.push(b.content);
      else if (Array.isArray(b.content)) b.content.forEach(collect);
    }
  };
  last.content.forEach(collect);
  return parts.join('\n');
}

/** What the user typed last: the last text block of the last user message (context blocks come before it). */
export function lastUserTyped(body: Record<string, unknown>): string {
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const texts = (last?.content ?? []).filter((b): b is { type: 'text'; text: string } => (b as { type?: string })?.type === 'text' && typeof (b as { text?: unknown }).text === 'string');
  return texts.at(-1)?.text ?? lastUserText(body);
}

/** Names of the tools whose results the last message carries ('' when the tool_use is not found). */
export function toolResultNames(body: Record<string, unknown>): string[] | null {
  const messages = mergeMessages(Array.isArray(body.messages) ? body.messages : []);
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') return null;
  const results = last.content.filter((b) => (b as { type?: string }).type === 'tool_result') as { tool_use_id?: string }[];
  if (results.length === 0) return null;
  const prev = messages[messages.length - 2];
  const names = new Map<string, string>();
  for (const b of prev?.content ?? []) {
    const u = b as { type?: string; id?: string; name?: string };
    if (u.type === 'tool_use' && u.id) names.set(u.id, u.name ?? '');
  }
  return results.map((r) => names.get(String(r.tool_use_id)) ?? '');
}

/** A regex source, or "/source/flags" to pass flags (e.g. "/^hello/i"). */
export function toRegExp(text: string): RegExp {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(text);
  return m ? new RegExp(m[1]!, m[2]) : new RegExp(text);
}

export function ruleMatches(rule: Rule, body: Record<string, unknown>): boolean {
  const m = rule.match ?? {};
  const text = lastUserText(body);
  if (m.lastUserText !== undefined && !text.includes(m.lastUserText)) return false;
  if (m.lastUserRegex !== undefined) {
    const re = typeof m.lastUserRegex === 'string' ? toRegExp(m.lastUserRegex) : m.lastUserRegex;
    if (!re.test(text)) return false;
  }
  if (m.toolResult !== undefined) {
    const names = toolResultNames(body);
    if (m.toolResult === true && !names) return false;
    if (m.toolResult === false && names) return false;
    if (typeof m.toolResult === 'string' && !names?.includes(m.toolResult)) return false;
  }
  if (m.model !== undefined && !String(body.model).includes(m.model)) return false;
  if (m.when && !m.when(body)) return false;
  return true;
}

export type Source = 'queue' | 'rule' | 'scenario' | 'brain' | 'default';

/** Chooses the reply to each request: queue -> first matching rule -> next scenario turn -> the model's brain -> default. */
export class Script {
  readonly queue: ScriptItem[] = [];
  private turns: ScriptItem[];
  private rules: { rule: Rule; used: number }[];
  private position = 0;
  readonly defaultPrefix: string;

  constructor(private readonly scenario: Scenario = {}, extraRules: Rule[] = [], private readonly brains: Readonly<Record<string, Brain>> = {}) {
    this.turns = scenario.turns ?? [];
    this.rules = [...(scenario.rules ?? []), ...extraRules].map((rule) => ({ rule, used: 0 }));
    this.defaultPrefix = scenario.defaultReplyPrefix ?? DEFAULT_REPLY_PREFIX;
  }

  next(body: Record<string, unknown>): { item: ScriptItem; source: Source } {
    const queued = this.queue.shift();
    if (queued) return { item: queued, source: 'queue' };
    for (const r of this.rules) {
      if (r.rule.times !== undefined && r.used >= r.rule.times) continue;
      if (ruleMatches(r.rule, body)) {
        r.used++;
        return { item: r.rule.reply, source: 'rule' };
      }
    }
    const turn = this.turns[this.position];
    if (turn) {
      this.position++;
      return { item: turn, source: 'scenario' };
    }
    const brain = Object.hasOwn(this.brains, String(body.model)) ? this.brains[String(body.model)] : undefined;
    if (brain) return { item: brain(body), source: 'brain' };
    return { item: defaultTurn(body, this.defaultPrefix), source: 'default' };
  }

  /** Scenario turns not yet consumed. */
  remaining(): number {
    return this.turns.length - this.position;
  }

  reset(): void {
    this.queue.length = 0;
    this.position = 0;
    this.rules.forEach((r) => (r.used = 0));
  }

  addRule(rule: Rule): void {
    this.rules.push({ rule, used: 0 });
  }
}

/** The default reply: a short deterministic text that echoes the last user message. */
export function defaultTurn(body: Record<string, unknown>, prefix = DEFAULT_REPLY_PREFIX): ScriptTurn {
  const text = lastUserTyped(body).replace(/\s+/g, ' ').trim();
  const echo = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return {
    text: `${prefix} You said: "${echo}"`,
    stop_reason: 'end_turn',
  };
}

export interface ResolvedBlock {
  block: Record<string, unknown>; // the final content block as in a Message
  chunks?: number | number[];
  rawJson?: string;
}

export interface ResolvedTurn {
  blocks: ResolvedBlock[];
  stop_reason: StopReason;
  output_tokens: number;
  extra_input_tokens?: number;
  delayMs?: number;
  noise?: boolean;
}

/** Fills in ids and defaults, and applies the request's max_tokens (text and thinking are cut, later blocks dropped). */
export function resolveTurn(turn: ScriptTurn, seq: number, maxTokens: number): ResolvedTurn {
  const script: ScriptBlock[] = turn.content ?? (turn.text !== undefined ? [{ type: 'text', text: turn.text }] : []);
  const blocks: ResolvedBlock[] = script.map((b, i) => {
    if (b.type === 'tool_use') {
      return { block: { type: 'tool_use', id: b.id ?? `toolu_emu_${seq}_${i}`, name: b.name, input: b.input ?? {} }, ...(b.chunks !== undefined ? { chunks: b.chunks } : {}), ...(b.rawJson !== undefined ? { rawJson: b.rawJson } : {}) };
    }
    if (b.type === 'thinking') return { block: { type: 'thinking', thinking: b.thinking, signature: b.signature ?? `emu-signature-${seq}-${i}` } };
    return { block: { type: 'text', text: b.text } };
  });
  let stop: StopReason = turn.stop_reason ?? (blocks.some((b) => b.block.type === 'tool_use') ? 'tool_use' : 'end_turn');

  // Cut the reply at max_tokens (only when no explicit output_tokens override is given).
  if (turn.output_tokens === undefined && outputTokens(blocks.map((b) => b.block)) > maxTokens) {
    const kept: ResolvedBlock[] = [];
    let budget = maxTokens;
    for (const rb of blocks) {
      const t = outputTokens([rb.block]);
      if (t <= budget) {
        kept.push(rb);
        budget -= t;
        continue;
      }
      const key = rb.block.type === 'text' ? 'text' : rb.block.type === 'thinking' ? 'thinking' : null;
      if (key && budget > 0) kept.push({ block: { ...rb.block, [key]: cutToTokens(String(rb.block[key]), budget) } });
      break;
    }
    blocks.splice(0, blocks.length, ...kept);
    stop = 'max_tokens';
  }
  const output = turn.output_tokens ?? Math.min(maxTokens, outputTokens(blocks.map((b) => b.block)));
  return { blocks, stop_reason: stop, output_tokens: output, ...(turn.extra_input_tokens ? { extra_input_tokens: turn.extra_input_tokens } : {}), ...(turn.delayMs !== undefined ? { delayMs: turn.delayMs } : {}), ...(turn.noise ? { noise: true } : {}) };
}

function cutToTokens(s: string, tokens: number): string {
  let out = '';
  for (const ch of s) {
    if (tokensOf(out + ch) > tokens) break;
    out += ch;
  }
  return out;
}
