import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DREAM_SETTINGS } from '../../../extension/core/scheduler/dream/gates';
import { DEFAULT_PROACTIVE_SETTINGS } from '../../../extension/core/scheduler/proactive/settings';
import { readBackgroundSettings } from '../../../extension/host/background/settings';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
};
const props = pkg.contributes.configuration.properties;
/** What VS Code hands the extension when the user set nothing: the manifest's defaults. */
const manifestGet = (over: Record<string, unknown> = {}) => (key: string) => (key in over ? over[key] : props[`cairn.${key}`]?.default);

describe('background settings', () => {
  it('the manifest defaults are the core defaults (dream on, proactive off)', () => {
    const s = readBackgroundSettings(manifestGet());
    expect(s.problems).toEqual([]);
    expect(s.dream).toEqual(DEFAULT_DREAM_SETTINGS);
    expect(s.proactive).toEqual(DEFAULT_PROACTIVE_SETTINGS);
    expect(s.dream.enabled).toBe(true);
    expect(s.proactive.enabled).toBe(false);
    expect(s.idleMinutes).toBe(5);
  });

  it('the idle threshold is a setting; a bad value says what was wrong and keeps 5 minutes', () => {
    expect(readBackgroundSettings(manifestGet({ 'background.idleMinutes': 0.5 })).idleMinutes).toBe(0.5);
    const bad = readBackgroundSettings(manifestGet({ 'background.idleMinutes': 0 }));
    expect(bad.idleMinutes).toBe(5);
    expect(bad.problems).toEqual(['cairn.background.idleMinutes must be a number from 0.1 to 1440 (got 0); using 5.']);
  });

  it('reads the values a user set', () => {
    const s = readBackgroundSettings(manifestGet({
      'dream.enabled': false, 'dream.minHours': 2.5, 'dream.minSessions': 3.7,
      'proactive.enabled': true, 'proactive.tickMinutes': 3, 'proactive.dailyBudgetUsd': 0.1, 'proactive.model': ' claude-sonnet-4-5 ',
    }));
    expect(s.problems).toEqual([]);
    expect(s.dream).toEqual({ enabled: false, minHours: 2.5, minSessions: 3 });
    expect(s.proactive).toEqual({ enabled: true, tickMinutes: 3, dailyBudgetUsd: 0.1, model: 'claude-sonnet-4-5' });
  });

  it('bad values fall back to the defaults and each problem names the setting, the value and the fallback', () => {
    const s = readBackgroundSettings(manifestGet({
      'dream.enabled': 'yes', 'dream.minHours': -1, 'dream.minSessions': 'five',
      'proactive.enabled': 'true', 'proactive.tickMinutes': 0, 'proactive.dailyBudgetUsd': Number.NaN, 'proactive.model': '',
    }));
    expect(s.dream).toEqual(DEFAULT_DREAM_SETTINGS);
    expect(s.proactive).toEqual(DEFAULT_PROACTIVE_SETTINGS);
    expect(s.problems).toHaveLength(6);
    expect(s.problems.join('\n')).toMatch(/cairn\.dream\.enabled must be true or false \(got "yes"\); using true/);
    expect(s.problems.join('\n')).toMatch(/cairn\.dream\.minHours must be a number from 0 to 8760 \(got -1\); using 24/);
    expect(s.problems.join('\n')).toMatch(/cairn\.dream\.minSessions .*\(got "five"\); using 5/);
    expect(s.problems.join('\n')).toMatch(/cairn\.proactive\.tickMinutes .*using 10/);
    expect(s.problems.join('\n')).toMatch(/cairn\.proactive\.enabled must be true or false \(got "true"\); proactive mode stays off/);
  });

});

describe('the daily budget across scopes', () => {
  it('a workspace may lower the budget but never raise it', async () => {
    const { budgetFromScopes } = await import('../../../extension/host/background/settings');
    expect(budgetFromScopes(0.5, undefined)).toBe(0.5);
    expect(budgetFromScopes(0.5, 0.1)).toBe(0.1);
    expect(budgetFromScopes(0.5, 1000)).toBe(0.5);
    expect(budgetFromScopes(2, 1.5)).toBe(1.5);
    expect(budgetFromScopes(undefined, 5)).toBe(0.5);
    expect(budgetFromScopes(0.5, 'lots')).toBe(0.5);
  });
});

describe('the manifest', () => {
  it('declares the three background commands the host registers', () => {
    const all = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { commands: Array<{ command: string; title: string }> } };
    const src = readFileSync(new URL('../../../extension/host/background/index.ts', import.meta.url), 'utf8');
    for (const id of ['cairn.dreamNow', 'cairn.undoDream', 'cairn.toggleProactive']) {
      expect(all.contributes.commands.map((c) => c.command)).toContain(id);
      expect(src).toContain(`'${id}'`);
    }
  });
});
