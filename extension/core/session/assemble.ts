/**
 * How a chat session is put together, in one place for every front end: the VS Code panel and the headless
 * runner both call `assembleSession`, so for the same workspace they register the same tools in the same order,
 * send the same system prompt and prelude, and judge calls with the same permission engine. Only the ports
 * (editor, diagnostics, approvals) and where settings come from differ.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ports } from '../ports';
import { createPermissionEngine, type Engine } from '../permissions/engine';
import { loadPermissionSettings } from '../permissions/settings';
import type { PermissionMode, PermissionRule } from '../permissions/types';
import type { Provider, ProviderError } from '../providers/types';
import type { ThinkingSetting } from '../providers/models';
import { builtinTools, createRegistry } from '../tools';
import type { AnyTool } from '../tools/types';
import type { TaskLimits } from '../agent/loop';
import type { ContextManager } from '../agent/agent';
import type { ToolHooks } from '../agent/tools-exec';
import type { ProjectionSteps } from './project';
import type { RuntimeOptions } from './runtime';
import type { CompactionSettings } from '../compaction/settings';
import { SubagentHub, DEFAULT_SUBAGENT_SETTINGS, type SubagentSettings } from '../agents/hub';
import { createAgentTool } from '../tools/agent';
import { DEFAULT_RETRY } from '../agent/retry';
import { PlanState } from '../planner/state';
import { UltraPlan } from '../planner/ultra';
import { coordinatorBuiltins, coordinatorExtras } from '../coordinator/catalog';
import { COORDINATOR_SYSTEM } from '../coordinator/result';
import type { WorkerPool } from '../coordinator/pool';

/** What a feature (memory, editor ports, later MCP) adds to every session. */
export interface SessionContribution {
  /** Extra tools (sent after the built-ins, sorted by name). */
  tools?(): AnyTool[];
  /** Rules and memory index for the first user message. Must be stable within a session. */
  prelude?(): string | undefined;
  /** Session-stable system context. */
  dynamicSystem?(): string | undefined;
  /** A note appended to a successful result of a call that read or wrote `path`. */
  toolResultNote?(path: string): string | undefined;
  /** Editor-side ports (editor, diagnostics, diff review...). */
  ports?(): Partial<Ports>;
}

export interface SessionSetup {
  agentDir: string;
  workspaceRoot: string;
  trusted: boolean;
  mode: PermissionMode;
  /** The user's own rules (VS Code user settings, or the runner's user settings file). */
  userRules?: PermissionRule[];
  /** A user-level settings file the runner reads (allow/ask/deny, additionalDirectories). */
  userSettingsPath?: string;
  provider(): Provider | ProviderError;
  model(): { id: string; maxTokens: number; thinking?: ThinkingSetting; thinkingBudget?: number };
  limits(): TaskLimits;
  /** ripgrep, when one is available (VS Code ships one). */
  rgPath?: string;
  contributions: SessionContribution[];
  /** The front end's own ports (process runner, approvals); contributions' ports are merged over them. */
  ports: Omit<Ports, 'workspaceTrusted'>;
  rememberRule?(scope: 'workspace' | 'user', pattern: string): void;
  context?: ContextManager;
  /** Cairn's context pipeline with these settings (absent: no automatic context management). */
  compaction?(): CompactionSettings;
  /** The session's id, when the front end knows it already (a resumed session); a new one otherwise. */
  sessionId?: string;
  /** The permission mode changed by the plan flow (a plan proposed: plan mode; approved: the user's choice). */
  onModeChange?(mode: PermissionMode): void;
  projection?: ProjectionSteps;
  durable?: boolean;
  /** Settings files that could not be used as written. */
  onWarning?(message: string): void;
  /** Subagent limits (depth, parallel); default 1 and 4. */
  subagents?(): SubagentSettings;
  /** PreToolUse / PostToolUse hooks (core/hooks). */
  toolHooks?: ToolHooks;
  /** PreCompact hooks for automatic compactions (RuntimeOptions.preCompact). */
  preCompact?(session: string, trigger: 'manual' | 'auto'): Promise<void>;
  /**
   * Coordinator mode: the main agent gets the orchestration tools over this pool and the read-only tools, nothing
   * that changes anything (core/coordinator).
   */
  coordinator?: () => WorkerPool;
}

export interface AssembledSession {
  options: RuntimeOptions;
  permissions: Engine;
  /** The session's subagents (live status for the panel, stop handles). */
  subagents: SubagentHub;
  /** The session's plan (proposed, approved, progress); its pinned text and off-plan flags are wired into options. */
  plans: PlanState;
  /** Deep planning runs (UltraPlan): while one runs, every request of the session uses the plan model with thinking. */
  ultra: UltraPlan;
  /** The id to create or resume the runtime with (the plan files name it). */
  sessionId: string;
}

const joined = (parts: Array<string | undefined>) => parts.filter(Boolean).join('\n\n') || undefined;

export function assembleSession(s: SessionSetup): AssembledSession {
  const settings = loadPermissionSettings({ workspaceRoot: s.workspaceRoot, trusted: s.trusted, ...(s.userSettingsPath ? { userSettingsPath: s.userSettingsPath } : {}) });
  for (const w of settings.warnings) s.onWarning?.(w);
  const sessionId = s.sessionId ?? randomUUID();
  // The plan holds the engine while a proposal waits for the user; the engine's mode follows the user's answer.
  const planState: PlanState = new PlanState({
    workspaceRoot: s.workspaceRoot,
    sessionId: () => sessionId,
    setMode: (m) => { permissions.setMode(m); s.onModeChange?.(m); },
  });
  // A planning run (UltraPlan) overrides the model of the session's requests, its subagents' included, while it runs.
  const ultra = new UltraPlan();
  const model = () => ultra.model(s.model());
  const permissions = createPermissionEngine({
    workspaceRoot: s.workspaceRoot, trusted: s.trusted, mode: s.mode,
    rules: [...(s.userRules ?? []), ...settings.rules], additionalDirectories: settings.additionalDirectories,
    planHeld: () => planState.held(),
  });
  if (s.sessionId) planState.restore();
  const c = s.contributions;
  const env = environmentContext(s.workspaceRoot);
  const subagents = new SubagentHub(s.agentDir, s.subagents ?? (() => DEFAULT_SUBAGENT_SETTINGS));
  const coordinator = s.coordinator;
  const dynamicSystem = () => joined([env, ...(coordinator ? [COORDINATOR_SYSTEM] : []), ...c.map((f) => f.dynamicSystem?.())]);
  const agentTool = createAgentTool(() => ({
    provider: s.provider, model, limits: s.limits, tools: options.tools!, permissions, ports: options.ports!,
    workspaceRoot: s.workspaceRoot, dynamicSystem, retry: DEFAULT_RETRY, newId: () => randomUUID(), now: Date.now,
  }), subagents);
  const options: RuntimeOptions = {
    agentDir: s.agentDir,
    workspaceRoot: s.workspaceRoot,
    provider: s.provider,
    model,
    limits: s.limits,
    tools: coordinator
      ? createRegistry(coordinatorBuiltins(coordinator, s.rgPath), coordinatorExtras(c.flatMap((f) => f.tools?.() ?? [])))
      : createRegistry(builtinTools({ rgPath: s.rgPath, agentTool, plans: planState }), c.flatMap((f) => f.tools?.() ?? [])),
    permissions,
    dynamicSystem,
    prelude: () => joined(c.map((f) => f.prelude?.())),
    toolResultNote: (p) => joined(c.map((f) => f.toolResultNote?.(p))),
    ports: { ...s.ports, ...Object.assign({}, ...c.map((f) => f.ports?.() ?? {})), workspaceTrusted: s.trusted },
    ...(s.rememberRule ? { rememberRule: s.rememberRule } : {}),
    ...(s.context ? { context: s.context } : {}),
    ...(s.compaction ? { compaction: s.compaction } : {}),
    plan: () => planState.pinnedText(),
    offPlan: (rel) => planState.offPlan(rel),
    ...(s.projection ? { projection: s.projection } : {}),
    ...(s.durable ? { durable: true } : {}),
    ...(s.toolHooks ? { toolHooks: s.toolHooks } : {}),
    ...(s.preCompact ? { preCompact: s.preCompact } : {}),
  };
  return { options, permissions, subagents, plans: planState, ultra, sessionId };
}

/**
 * Workspace facts for the dynamic system part. Stable for a session and free of anything volatile (no dates,
 * ids or counters), so the cached prefix holds; the same for the panel and the runner.
 */
export function environmentContext(root: string): string {
  const git = existsSync(join(root, '.git'));
  return [
    'Environment:',
    `- Workspace folder: ${basename(root) || root} (tool paths are relative to it)`,
    `- Platform: ${process.platform}`,
    `- Git repository: ${git ? 'yes' : 'no'}`,
  ].join('\n');
}
