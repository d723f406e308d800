/** Cairn's settings. The base URL is read from USER scope only: a workspace must never redirect the key. */
import * as vscode from 'vscode';
import { DEFAULT_MODEL, modelInfo, type ThinkingSetting } from '../core/providers/models';
import { DEFAULT_COMPACTION, type CompactionSettings } from '../core/compaction/settings';
import { setSecretEnvVars } from '../core/util/secrets';
import { DEFAULT_SUBAGENT_SETTINGS, type SubagentSettings } from '../core/agents/hub';
import { budgetFromScopes, readBackgroundSettings, type BackgroundSettings } from './background/settings';

export interface CairnConfig {
  model: string;
  maxOutputTokens: number;
  /** Empty string: the SDK's default endpoint. */
  baseUrl: string;
  baseUrlSource: 'user' | 'env' | 'default';
  maxTurns: number;
  maxCostPerTask: number;
  thinking: ThinkingSetting;
  thinkingBudget: number;
  compaction: CompactionSettings;
}

const num = (v: number | undefined, min: number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(min, Math.floor(v)) : fallback);

/** `cairn.compaction.*`: context management's settings. */
export function readCompaction(c: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('cairn')): CompactionSettings {
  const d = DEFAULT_COMPACTION;
  const window = num(c.get<number>('compaction.contextWindow'), 0, 0);
  return {
    ...d,
    auto: c.get<boolean>('compaction.auto') ?? d.auto,
    toolResultBudgetTokens: num(c.get<number>('compaction.toolResultBudgetTokens'), 1_000, d.toolResultBudgetTokens),
    keepRecentToolResults: num(c.get<number>('compaction.keepRecentToolResults'), 0, d.keepRecentToolResults),
    collapseModel: (c.get<string>('compaction.collapseModel') || d.collapseModel).trim(),
    notesEveryTokens: num(c.get<number>('compaction.notesEveryTokens'), 0, d.notesEveryTokens),
    waitForTaskEnd: c.get<boolean>('compaction.waitForTaskEnd') ?? d.waitForTaskEnd,
    carryNotes: c.get<boolean>('compaction.carryNotes') ?? d.carryNotes,
    ...(window >= 10_000 ? { contextWindow: window } : {}),
  };
}

/** `cairn.subagents.*`: how deep subagents nest and how many run at once. */
export function readSubagents(c: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('cairn')): SubagentSettings {
  const d = DEFAULT_SUBAGENT_SETTINGS;
  return {
    maxDepth: Math.min(3, num(c.get<number>('subagents.maxDepth'), 0, d.maxDepth)),
    maxParallel: Math.min(16, num(c.get<number>('subagents.maxParallel'), 1, d.maxParallel)),
  };
}

/** `cairn.dream.*` and `cairn.proactive.*`: the background's settings, with what was wrong in them (a workspace may only lower the budget). */
export function readBackground(c: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('cairn')): BackgroundSettings {
  const budget = c.inspect<unknown>('proactive.dailyBudgetUsd');
  const userBudget = budget?.globalValue ?? budget?.defaultValue;
  const wsBudget = budget?.workspaceFolderValue ?? budget?.workspaceValue;
  return readBackgroundSettings((key) => (key === 'proactive.dailyBudgetUsd' ? budgetFromScopes(userBudget, wsBudget) : c.get<unknown>(key)));
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CairnConfig {
  const c = vscode.workspace.getConfiguration('cairn');
  const model = (c.get<string>('model') || DEFAULT_MODEL).trim();
  const requested = c.get<number>('maxOutputTokens') ?? 8192;
  const maxOutputTokens = Math.max(256, Math.min(Math.floor(requested), modelInfo(model).maxOutput));
  const maxTurns = Math.max(1, Math.floor(c.get<number>('maxTurns') ?? 50));
  const maxCostPerTask = Math.max(0, c.get<number>('maxCostPerTask') ?? 5);
  const t = c.get<string>('thinking');
  const thinking: ThinkingSetting = t === 'adaptive' || t === 'off' ? t : 'default';
  const thinkingBudget = c.get<number>('thinkingBudgetTokens') ?? 8000;
  const base = { model, maxOutputTokens, maxTurns, maxCostPerTask, thinking, thinkingBudget, compaction: readCompaction(c) };
  // inspect().globalValue is the user-settings value; workspace and folder values are deliberately ignored.
  const userBase = c.inspect<string>('baseUrl')?.globalValue?.trim();
  if (userBase) return { ...base, baseUrl: userBase, baseUrlSource: 'user' };
  const envBase = env.ANTHROPIC_BASE_URL?.trim();
  if (envBase) return { ...base, baseUrl: envBase, baseUrlSource: 'env' };
  return { ...base, baseUrl: '', baseUrlSource: 'default' };
}

export interface UserPermissionRules { allow: string[]; ask: string[]; deny: string[] }

/** Permission rules from USER settings only (a workspace's settings.json cannot grant itself anything). */
export function readUserPermissionRules(): UserPermissionRules {
  const v = vscode.workspace.getConfiguration('cairn').inspect<Partial<UserPermissionRules>>('permissions')?.globalValue ?? {};
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : []);
  return { allow: list(v.allow), ask: list(v.ask), deny: list(v.deny) };
}

/** Add an allow rule to the user's `cairn.permissions` (for "always allow … everywhere"). */
export async function addUserAllowRule(pattern: string): Promise<void> {
  const current = readUserPermissionRules();
  if (current.allow.includes(pattern)) return;
  await vscode.workspace.getConfiguration('cairn').update('permissions', { ...current, allow: [...current.allow, pattern] }, vscode.ConfigurationTarget.Global);
}

/**
 * Apply `cairn.secretEnvVars` (user settings): the environment variables no command Cairn runs may inherit, on top
 * of ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN. Re-applied when the setting changes.
 */
export function watchSecretEnvVars(): vscode.Disposable {
  const apply = () => {
    const v = vscode.workspace.getConfiguration('cairn').inspect<unknown>('secretEnvVars')?.globalValue;
    setSecretEnvVars(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  };
  apply();
  return vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('cairn.secretEnvVars')) apply(); });
}

/**
 * `cairn.mcpServers` and `cairn.hooks` from USER settings only (inspect().globalValue): a workspace's
 * .vscode/settings.json can neither add a server nor a hook. A project's own come from .agent/ and are asked about.
 */
export function readUserExtensions(): { mcpServers: unknown; hooks: unknown } {
  const c = vscode.workspace.getConfiguration('cairn');
  return { mcpServers: c.inspect<unknown>('mcpServers')?.globalValue, hooks: c.inspect<unknown>('hooks')?.globalValue };
}
