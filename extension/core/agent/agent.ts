/**
 * One agent core for every use. An agent is built by `createAgent(definition, services)`: the definition is data
 * (system prompt parts, tool names, model, limits), the services are the ports and session state it works with.
 * The chat session, the headless runner, and later summarisers, subagents and background ticks all build their
 * agent here, so the same definition sends the same bytes wherever it runs.
 */
import type { Ports } from '../ports';
import type { PermissionEngine } from '../permissions/types';
import type { ApiMessage, ApiTool, ModelRequest, Provider, ProviderError } from '../providers/types';
import { thinkingParam } from '../providers/models';
import type { AnyTool, JobRegistry, ReadLedger } from '../tools/types';
import { errorInfo } from './call';
import type { AgentEvent } from './events';
import type { AgentLog } from './log';
import { runTask, type LoopState, type ModelSettings, type TaskLimits, type TaskOutcome } from './loop';
import { buildModelRequest, type PromptParts } from './request';
import type { ContentParam } from '../session/project';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import type { ToolFacts, ToolHooks, ToolLookup } from './tools-exec';

/** What the agent needs of a tool registry (core/tools/registry.ts provides one). */
export interface ToolCatalog extends ToolLookup {
  list(): readonly AnyTool[];
  toApiTools(): Array<{ name: string; description: string; input_schema: Record<string, unknown> }>;
}

export interface AgentDefinition {
  /** 'main' for the chat; 'summarizer', 'explore', ... for the others. */
  name: string;
  /** Shown to the user where this agent asks for something ("explore subagent"); none for the main agent. */
  label?: string;
  /** The static system prompt: heads the cached prefix, never changes within a session. */
  staticSystem: string;
  /** Session-stable context after it (workspace facts). */
  dynamicSystem?(): string | undefined;
  /** Rules files and the memory index, sent as the first user content. */
  prelude?(): string | undefined;
  /** The tools it may use, by name ('all': every tool of the catalog). Always sent in the catalog's stable order. */
  tools: 'all' | readonly string[];
  model(): ModelSettings;
  limits(): TaskLimits;
  maxParallelTools?: number;
}

export interface ContextManager {
  beforeRequest?(state: LoopState, log: AgentLog, signal: AbortSignal): AsyncGenerator<AgentEvent, void>;
  onPromptTooLong?(state: LoopState, log: AgentLog, signal: AbortSignal): AsyncGenerator<AgentEvent, boolean>;
  /** What the model sees of a message of tool results (the tool-result budget). */
  shapeResults?(results: ContentParam[]): Promise<ContentParam[]>;
}

export interface AgentServices {
  provider(): Provider | ProviderError;
  tools?: ToolCatalog;
  permissions?: PermissionEngine;
  ports: Ports;
  retry?: RetryPolicy;
  workspaceRoot: string;
  /** Folder for this agent's large outputs and jobs logs. */
  sessionDir: string;
  sessionId: string;
  reads: ReadLedger;
  facts?: ToolFacts;
  jobs?: JobRegistry;
  /** A note appended to a successful result of a call that read or wrote a path (nested rules files). */
  note?(path: string): string | undefined;
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  checkpoint?(absPath: string): Promise<void>;
  /** Why an edit of this workspace-relative path is outside the approved plan (flagged on its tool card). */
  offPlan?(rel: string): string | undefined;
  /** Context management (compaction) at the loop's seams. */
  context?: ContextManager;
  /** PreToolUse / PostToolUse hooks. */
  hooks?: ToolHooks;
  newId(): string;
  now(): number;
  random?(): number;
}

export interface Agent {
  readonly definition: AgentDefinition;
  /** The tools this agent may call (scoped to its definition). */
  readonly tools: ToolLookup;
  /** Tools, system and prelude as this agent sends them. */
  prompt(): PromptParts;
  /** The request this agent would send for a history (the loop sends exactly this for a first attempt). */
  request(history: readonly ApiMessage[]): ModelRequest;
  /** Run a task over the log until the model is done, the signal aborts, or a limit is hit. */
  run(log: AgentLog, signal: AbortSignal): AsyncGenerator<AgentEvent, TaskOutcome>;
}

/** The tools of a catalog this definition may use, in the catalog's order. */
export function scopeTools(catalog: ToolCatalog | undefined, allowed: AgentDefinition['tools']): ToolCatalog {
  if (!catalog) return { get: () => undefined, list: () => [], toApiTools: () => [] };
  if (allowed === 'all') return catalog;
  const names = new Set(allowed);
  return {
    get: (name) => (names.has(name) ? catalog.get(name) : undefined),
    list: () => catalog.list().filter((t) => names.has(t.name)),
    toApiTools: () => catalog.toApiTools().filter((t) => names.has(t.name)),
  };
}

export function createAgent(definition: AgentDefinition, services: AgentServices): Agent {
  const tools = scopeTools(services.tools, definition.tools);
  let apiTools: ApiTool[] | undefined;
  const prompt = (): PromptParts => ({
    staticSystem: definition.staticSystem,
    dynamicSystem: definition.dynamicSystem?.(),
    prelude: definition.prelude?.(),
    tools: (apiTools ??= tools.toApiTools() as ApiTool[]),
  });
  const request = (history: readonly ApiMessage[]): ModelRequest => {
    const m = definition.model();
    return buildModelRequest(prompt(), history, m.id, m.maxTokens, thinkingParam(m.thinking ?? 'default', m.id, m.maxTokens, m.thinkingBudget ?? 8_000));
  };

  async function* run(log: AgentLog, signal: AbortSignal): AsyncGenerator<AgentEvent, TaskOutcome> {
    const provider = services.provider();
    if (!('stream' in provider)) {
      const error = errorInfo(provider);
      const end = { t: 'turn_end' as const, ts: services.now(), stop: 'error' as const, error };
      log.append(end);
      yield end;
      return { stop: 'error', error, usage: [] };
    }
    const state: LoopState = { model: definition.model(), requests: 0, taskCostUsd: 0, maxTokensEscalated: false, continues: [] };
    const ctx = services.context;
    return yield* runTask(state, {
      provider,
      prompt,
      retry: services.retry ?? DEFAULT_RETRY,
      limits: definition.limits(),
      log,
      tools: {
        tools,
        ...(services.permissions ? { permissions: services.permissions } : {}),
        ports: services.ports,
        reads: services.reads,
        workspaceRoot: services.workspaceRoot,
        sessionDir: services.sessionDir,
        sessionId: services.sessionId,
        maxParallel: definition.maxParallelTools ?? 4,
        ...(services.facts ? { facts: services.facts } : {}),
        ...(services.jobs ? { jobs: services.jobs } : {}),
        ...(definition.label ? { agentLabel: definition.label } : {}),
        ...(services.note ? { note: services.note } : {}),
        ...(services.rememberRule ? { rememberRule: services.rememberRule } : {}),
        ...(services.checkpoint ? { checkpoint: services.checkpoint } : {}),
        ...(services.offPlan ? { offPlan: services.offPlan } : {}),
        ...(services.hooks ? { hooks: services.hooks } : {}),
        ...(ctx?.shapeResults ? { shapeResults: (r: ContentParam[]) => ctx.shapeResults!(r) } : {}),
        newId: services.newId,
        now: services.now,
        log,
      },
      newId: services.newId,
      now: services.now,
      ...(services.random ? { random: services.random } : {}),
      ...(ctx?.beforeRequest ? { beforeRequest: (s: LoopState, sig: AbortSignal) => ctx.beforeRequest!(s, log, sig) } : {}),
      ...(ctx?.onPromptTooLong ? { onPromptTooLong: (s: LoopState, sig: AbortSignal) => ctx.onPromptTooLong!(s, log, sig) } : {}),
    }, signal);
  }

  return { definition, tools, prompt, request, run };
}
