/**
 * The runner's hooks: the user's (`hooks` in the runner's user settings file) always run; the project's
 * (`hooks` in .agent/settings.json) only with --allow-project-hooks (there is no approval dialog headless).
 * Every failed or timed-out hook and every PreToolUse decision is written to stderr.
 */
import { readFileSync } from 'node:fs';
import { Hooks, loadHooksConfig } from '../core/hooks';
import { memoryPins } from '../core/util/pins';

export async function prepareRunnerHooks(opts: { root: string; userSettingsPath: string; allowProject: boolean; warn(message: string): void }): Promise<Hooks> {
  let userHooks: unknown;
  try {
    const doc = JSON.parse(readFileSync(opts.userSettingsPath, 'utf8')) as Record<string, unknown>;
    userHooks = doc && typeof doc === 'object' ? doc.hooks : undefined;
  } catch { /* reported by the MCP/permission readers of the same file */ }
  const config = loadHooksConfig({ workspaceRoot: opts.root, userHooks, userSource: `${opts.userSettingsPath} (hooks)` });
  for (const p of config.problems) opts.warn(`hooks: ${p}`);
  const hooks = new Hooks({
    workspaceRoot: opts.root, trusted: true, hooks: config.hooks, pins: memoryPins(), allowProject: opts.allowProject,
    onReport: (r) => opts.warn(r.ok ? `hook ${r.event} (${r.command}): ${r.decision}${r.reason ? `: ${r.reason}` : ''}` : `hook ${r.event} (${r.command}) failed: ${r.problem}`),
  });
  await hooks.prepare();
  for (const b of hooks.blocked()) opts.warn(`hooks: ${b.event} hook "${b.command}" not run: ${b.why}`);
  return hooks;
}
