/**
 * The background's settings as VS Code hands them over (any shape: a user can type anything into settings.json)
 * -> valid settings and the problems found, each naming the setting, what was wrong and the value used instead.
 * No `vscode` import, so it is unit-tested directly.
 */
import { DEFAULT_DREAM_SETTINGS, type DreamSettings } from '../../core/scheduler/dream/gates';
import { DEFAULT_PROACTIVE_SETTINGS, normalizeProactiveSettings, type ProactiveSettings } from '../../core/scheduler/proactive/settings';

export interface BackgroundSettings {
  dream: DreamSettings;
  proactive: ProactiveSettings;
  /** Minutes without activity after which the user counts as away (cairn.background.idleMinutes). */
  idleMinutes: number;
  problems: string[];
}

export const DEFAULT_IDLE_MINUTES = 5;
export const IDLE_MINUTES_RANGE = { min: 0.1, max: 1440 } as const;

export type RawGet = (key: string) => unknown;

export function normalizeDreamSettings(raw: Partial<Record<keyof DreamSettings, unknown>>): { settings: DreamSettings; problems: string[] } {
  const d = DEFAULT_DREAM_SETTINGS;
  const problems: string[] = [];
  const num = (k: 'minHours' | 'minSessions', max: number): number => {
    const v = raw[k];
    if (v === undefined) return d[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      problems.push(`cairn.dream.${k} must be a number from 0 to ${max} (got ${JSON.stringify(v)}); using ${d[k]}.`);
      return d[k];
    }
    return k === 'minSessions' ? Math.floor(v) : v;
  };
  let enabled = d.enabled;
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled === 'boolean') enabled = raw.enabled;
    else problems.push(`cairn.dream.enabled must be true or false (got ${JSON.stringify(raw.enabled)}); using ${d.enabled}.`);
  }
  return { settings: { enabled, minHours: num('minHours', 8760), minSessions: num('minSessions', 10_000) }, problems };
}

/**
 * The daily budget spends the user's money, so a workspace's settings (a cloned repository's .vscode/settings.json)
 * may only lower it: the user's value (or the default) is the ceiling.
 */
export function budgetFromScopes(user: unknown, workspace: unknown): unknown {
  if (typeof workspace === 'number' && Number.isFinite(workspace) && (typeof user !== 'number' || workspace < user)) {
    return typeof user === 'number' ? workspace : Math.min(workspace, DEFAULT_PROACTIVE_SETTINGS.dailyBudgetUsd);
  }
  return user;
}

/** Both halves from one getter (`cairn.` is implied: get('dream.minHours')). */
export function readBackgroundSettings(get: RawGet): BackgroundSettings {
  const dream = normalizeDreamSettings({ enabled: get('dream.enabled'), minHours: get('dream.minHours'), minSessions: get('dream.minSessions') });
  const rawEnabled = get('proactive.enabled');
  const proactive = normalizeProactiveSettings({
    enabled: rawEnabled, tickMinutes: get('proactive.tickMinutes'), dailyBudgetUsd: get('proactive.dailyBudgetUsd'), model: get('proactive.model'),
  });
  const problems = [...dream.problems, ...proactive.problems];
  if (rawEnabled !== undefined && typeof rawEnabled !== 'boolean') problems.push(`cairn.proactive.enabled must be true or false (got ${JSON.stringify(rawEnabled)}); proactive mode stays off.`);
  const rawIdle = get('background.idleMinutes');
  let idleMinutes = DEFAULT_IDLE_MINUTES;
  if (rawIdle !== undefined) {
    const { min, max } = IDLE_MINUTES_RANGE;
    if (typeof rawIdle === 'number' && Number.isFinite(rawIdle) && rawIdle >= min && rawIdle <= max) idleMinutes = rawIdle;
    else problems.push(`cairn.background.idleMinutes must be a number from ${min} to ${max} (got ${JSON.stringify(rawIdle)}); using ${DEFAULT_IDLE_MINUTES}.`);
  }
  return { dream: dream.settings, proactive: proactive.settings, idleMinutes, problems };
}
