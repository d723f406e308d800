/** Proactive mode's settings (cairn.proactive.*): off unless the user turns it on. */
export interface ProactiveSettings {
  enabled: boolean;
  /** Minutes between ticks while the user is idle. */
  tickMinutes: number;
  /** Dollars per day (UTC); when spent, it sleeps until the next day. */
  dailyBudgetUsd: number;
  /** The model of a tick: a small one by default. */
  model: string;
}

export const DEFAULT_PROACTIVE_SETTINGS: ProactiveSettings = { enabled: false, tickMinutes: 10, dailyBudgetUsd: 0.5, model: 'claude-haiku-4-5' };

/** Settings as a host read them (any shape) -> valid settings, with what was wrong. */
export function normalizeProactiveSettings(raw: Partial<Record<keyof ProactiveSettings, unknown>>): { settings: ProactiveSettings; problems: string[] } {
  const d = DEFAULT_PROACTIVE_SETTINGS;
  const problems: string[] = [];
  const num = (k: 'tickMinutes' | 'dailyBudgetUsd', min: number, max: number): number => {
    const v = raw[k];
    if (v === undefined) return d[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) { problems.push(`cairn.proactive.${k} must be a number from ${min} to ${max} (got ${JSON.stringify(v)}); using ${d[k]}.`); return d[k]; }
    return v;
  };
  const model = typeof raw.model === 'string' && raw.model.trim() ? raw.model.trim() : d.model;
  return { settings: { enabled: raw.enabled === true, tickMinutes: num('tickMinutes', 0.1, 24 * 60), dailyBudgetUsd: num('dailyBudgetUsd', 0, 1000), model }, problems };
}
