/**
 * Folding host events into the state: pure, and proportional to the event. A delta finds its message through
 * the id index and rebuilds only that message and the one block it touches.
 *
 * Sequencing: an event with seq <= state.seq is already included (dropped); seq == state.seq + 1 is applied;
 * anything else (a gap), or an event that does not fit the state (unknown message, block out of range,
 * block of another kind), marks the state `stale`: it is not applied, and the store asks for a fresh snapshot.
 */
import type { Block, ChatMessage, EventMessage, EventName } from '../protocol';
import { appendMessage, EMPTY_LOG, messageAt, replaceMessage } from './messages';
import { decisionSlices, MAX_NOTICES, ZERO_USAGE, type ChatState } from './state';

export function applyEvent<S extends ChatState>(state: S, event: EventMessage): S {
  if (state.sync !== 'live') return state;
  if (event.seq <= state.seq) return state;
  if (event.seq !== state.seq + 1) return { ...state, sync: 'stale' };
  const changes = reduce(state, event);
  if (changes === null) return { ...state, sync: 'stale' };
  return { ...state, ...changes, seq: event.seq };
}

/** Apply events in order (for tests and for replaying a buffer after a snapshot). */
export function applyEvents<S extends ChatState>(state: S, events: Iterable<EventMessage>): S {
  let s = state;
  for (const e of events) s = applyEvent(s, e);
  return s;
}

type Changes = Partial<ChatState> | null;
/** EventMessage as a union discriminated by name, so each case sees its own data type. */
type AnyEvent = { [E in EventName]: EventMessage<E> }[EventName];

function reduce(state: ChatState, message: EventMessage): Changes {
  const event = message as AnyEvent;
  switch (event.name) {
    case 'session/started': {
      const d = event.data;
      return {
        sessionId: d.sessionId, title: d.title, messages: EMPTY_LOG, index: new Map(), todo: [], jobs: [], subagents: {}, workers: {}, turn: 'idle', lastError: null,
        stopReason: null, retrying: null, ...decisionSlices(state.decisions), notices: [], usage: ZERO_USAGE, costUsd: null,
        lastRequest: null, context: null, compaction: null,
      };
    }
    case 'message/added':
      return addMessage(state, event.data.message);
    case 'message/textDelta': {
      const d = event.data;
      return updateMessage(state, d.messageId, (m) => {
        const block = m.blocks[d.blockIndex];
        if (block === undefined) {
          if (d.blockIndex !== m.blocks.length) return null;
          return { ...m, blocks: [...m.blocks, { type: d.kind, text: d.text }] };
        }
        if (block.type !== d.kind) return null;
        return withBlock(m, d.blockIndex, { ...block, text: block.text + d.text });
      });
    }
    case 'message/toolDelta': {
      const d = event.data;
      const changes = updateMessage(state, d.messageId, (m) => {
        const block = m.blocks[d.blockIndex];
        if (block === undefined) {
          if (d.blockIndex !== m.blocks.length) return null;
          return { ...m, blocks: [...m.blocks, { type: 'tool_use', id: d.id, name: d.name, inputJson: d.inputJsonDelta, status: d.status }] };
        }
        if (block.type !== 'tool_use' || block.id !== d.id) return null;
        return withBlock(m, d.blockIndex, { ...block, inputJson: block.inputJson + d.inputJsonDelta, status: d.status, ...(d.title ? { title: d.title } : {}) });
      });
      return changes;
    }
    case 'message/status': {
      const d = event.data;
      return updateMessage(state, d.messageId, (m) => (m.status === d.status ? m : { ...m, status: d.status }));
    }
    case 'tool/result': {
      const d = event.data;
      return updateMessage(state, d.messageId, (m) => {
        const block = m.blocks[d.blockIndex];
        if (block?.type !== 'tool_use' || block.id !== d.toolUseId) return null;
        return withBlock(m, d.blockIndex, { ...block, status: d.status, output: d.output, durationMs: d.durationMs, ...(d.offPlan ? { offPlan: d.offPlan } : {}) });
      });
    }
    case 'turn/status': {
      const d = event.data;
      return { turn: d.turn, lastError: d.error, stopReason: d.stopReason ?? null, retrying: null };
    }
    case 'turn/retrying': {
      const { attempt, maxAttempts, delayMs, error } = event.data;
      return { retrying: { attempt, maxAttempts, delayMs, error } };
    }
    case 'usage/updated': {
      const d = event.data;
      const changes: Partial<ChatState> = { usage: d.usage };
      if (d.costUsd !== undefined) changes.costUsd = d.costUsd;
      if (d.lastRequest !== undefined) changes.lastRequest = d.lastRequest;
      if (d.context !== undefined) changes.context = d.context;
      return changes;
    }
    case 'decision/requested': {
      const { decision } = event.data;
      const id = decision.request.id;
      const at = state.decisions.findIndex((d) => d.request.id === id);
      // A changed decision (e.g. a review whose proposal the user edited) keeps its place.
      const next = at >= 0 ? state.decisions.map((d, i) => (i === at ? decision : d)) : [...state.decisions, decision];
      return decisionSlices(next);
    }
    case 'decision/resolved': {
      const { id } = event.data;
      if (!state.decisions.some((d) => d.request.id === id)) return {};
      return decisionSlices(state.decisions.filter((d) => d.request.id !== id));
    }
    case 'compaction/status':
      return { compaction: event.data };
    case 'todo/changed':
      return { todo: event.data.items };
    case 'jobs/changed':
      return { jobs: event.data.jobs };
    case 'subagent/status':
      return { subagents: { ...state.subagents, [event.data.toolUseId]: event.data } };
    case 'worker/status':
      return { workers: { ...state.workers, [event.data.toolUseId]: event.data } };
    case 'coordinator/changed':
      return { coordinator: event.data.on };
    case 'session/notice': {
      const { level, message } = event.data;
      return { notices: [...state.notices, { id: event.seq, level, message }].slice(-MAX_NOTICES) };
    }
    case 'auth/changed':
      return { auth: event.data.auth };
    case 'config/changed':
      return { model: event.data.model };
    case 'mode/changed':
      return { mode: event.data.mode };
    case 'panel/compose':
      return { compose: { id: event.seq, text: event.data.text, attachments: event.data.attachments } };
    case 'session/title':
      return event.data.sessionId === state.sessionId ? { title: event.data.title } : {};
    default:
      // Events of other features (e.g. the memory view's) are folded by those features; here they only
      // advance seq.
      return {};
  }
}


function addMessage(state: ChatState, message: ChatMessage): Changes {
  const at = findIndex(state, message.id);
  // The host re-sent a message it already announced: the newer version wins.
  if (at !== undefined) return { messages: replaceMessage(state.messages, at, message) };
  // The index is append-only and shared (see ChatState.index): adding a key does not disturb older states,
  // whose lookups check the id at the position.
  (state.index as Map<string, number>).set(message.id, state.messages.length);
  return { messages: appendMessage(state.messages, message) };
}

function updateMessage(state: ChatState, id: string, update: (m: ChatMessage) => ChatMessage | null): Changes {
  const at = findIndex(state, id);
  if (at === undefined) return null;
  const current = messageAt(state.messages, at) as ChatMessage;
  const next = update(current);
  if (next === null) return null;
  if (next === current) return {};
  return { messages: replaceMessage(state.messages, at, next) };
}

function findIndex(state: ChatState, id: string): number | undefined {
  const i = state.index.get(id);
  return i !== undefined && messageAt(state.messages, i)?.id === id ? i : undefined;
}

function withBlock(m: ChatMessage, i: number, block: Block): ChatMessage {
  const blocks = m.blocks.slice();
  blocks[i] = block;
  return { ...m, blocks };
}

/** The user dismissed a notice (local: notices are not part of the host's snapshot). */
export function dismissNotice<S extends ChatState>(state: S, id: number): S {
  return state.notices.some((n) => n.id === id) ? { ...state, notices: state.notices.filter((n) => n.id !== id) } : state;
}
