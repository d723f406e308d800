/**
 * `cairn --daemon`: the background without a window. The user is never "active" here, so the dream runs whenever
 * its time and session gates open (checked at start and every hour; the dream lock keeps it from dreaming while a
 * window does), and with --proactive the ticks run every --tick-minutes. Notices and dream results are printed
 * as JSON lines on stdout; Ctrl-C / SIGTERM stops it (a dream in progress is rolled back at the next start).
 */
import { join } from 'node:path';
import type { ModelSettings } from '../core/agent/loop';
import { createMemory } from '../core/memory';
import { createBackgroundEngine } from '../core/scheduler/guard';
import { loadPermissionSettings } from '../core/permissions/settings';
import type { Provider } from '../core/providers/types';
import { systemClock } from '../core/scheduler/clock';
import { DEFAULT_DREAM_SETTINGS } from '../core/scheduler/dream/gates';
import { runDream } from '../core/scheduler/dream/run';
import { createWorkspaceProbe } from '../core/scheduler/proactive/probe';
import { ProactiveScheduler } from '../core/scheduler/proactive/scheduler';
import { DEFAULT_PROACTIVE_SETTINGS } from '../core/scheduler/proactive/settings';
import { builtinTools, createNodeProcessPort } from '../core/tools';
import { randomUUID } from 'node:crypto';

export interface DaemonOptions {
  root: string;
  provider: Provider;
  /** The dream's model (the runner's --model or default). */
  model: ModelSettings;
  /** The proactive ticks' model (--model, else the small default). */
  tickModel?: string;
  proactive: boolean;
  tickMinutes: number;
  dailyBudgetUsd: number;
  userSettingsPath?: string;
  rgPath?: string;
  out(line: Record<string, unknown>): void;
  warn(w: string): void;
  /** Resolves when the daemon should stop. */
  stopped: Promise<void>;
}

const DREAM_CHECK_MS = 60 * 60 * 1000;

export async function runDaemon(o: DaemonOptions): Promise<number> {
  const agentDir = join(o.root, '.agent');
  const loaded = loadPermissionSettings({ workspaceRoot: o.root, trusted: true, ...(o.userSettingsPath ? { userSettingsPath: o.userSettingsPath } : {}) });
  for (const w of loaded.warnings) o.warn(w);
  // The background agents' guard narrows this engine (read-only tools, allow-listed commands).
  const engine = createBackgroundEngine({ workspaceRoot: o.root, trusted: true, rules: loaded.rules, additionalDirectories: loaded.additionalDirectories });
  const memory = createMemory({ agentDir, workspaceRoot: o.root, ...(o.rgPath ? { search: { rgPath: o.rgPath } } : {}) });
  const ports = { workspaceTrusted: true, process: createNodeProcessPort() };
  let dreaming: Promise<void> | undefined;
  const dream = () => {
    if (dreaming) return;
    dreaming = runDream({
      agentDir, workspaceRoot: o.root, memory, provider: () => o.provider, model: () => o.model, settings: DEFAULT_DREAM_SETTINGS,
      permissions: engine, ports, userIdle: () => true,
    }).then((r) => {
      for (const id of r.recovered) o.out({ type: 'dream', status: 'recovered', id, note: 'an interrupted dream was rolled back' });
      if (r.status === 'skipped') o.out({ type: 'dream', status: 'skipped', reason: r.reason });
      else if (r.status === 'done') o.out({ type: 'dream', status: 'done', id: r.id, changes: r.changes, proposals: r.proposals, costUsd: r.costUsd });
      else o.out({ type: 'dream', status: 'rolled_back', id: r.id, reason: r.reason, costUsd: r.costUsd });
    }, (err: Error) => o.warn(`dream: ${err.message}`)).finally(() => { dreaming = undefined; });
  };
  const timer = setInterval(dream, DREAM_CHECK_MS);
  dream();
  let scheduler: ProactiveScheduler | undefined;
  if (o.proactive) {
    const settings = { ...DEFAULT_PROACTIVE_SETTINGS, enabled: true, tickMinutes: o.tickMinutes, dailyBudgetUsd: o.dailyBudgetUsd, ...(o.tickModel ? { model: o.tickModel } : {}) };
    scheduler = new ProactiveScheduler({
      agentDir, workspaceRoot: o.root, clock: systemClock, settings: () => settings, provider: () => o.provider,
      tools: builtinTools(o.rgPath ? { rgPath: o.rgPath } : {}), permissions: engine, probe: createWorkspaceProbe(o.root), ports,
      newId: () => randomUUID(),
      onNotice: (n) => o.out({ type: 'notice', ...n }),
      onTick: (r) => o.out({ type: 'tick', requested: r.requested, requests: r.requests, costUsd: r.costUsd, decision: r.decision }),
      onStatus: (status, detail) => o.out({ type: 'proactive', status, detail }),
      onError: (err) => o.warn(`proactive: ${err.message}`),
    });
    scheduler.start();
    scheduler.setIdle(true);
  }
  o.out({ type: 'daemon', status: 'started', dream: true, proactive: o.proactive });
  await o.stopped;
  clearInterval(timer);
  scheduler?.stop();
  await scheduler?.settle();
  await dreaming;
  memory.dispose();
  o.out({ type: 'daemon', status: 'stopped' });
  return 0;
}
