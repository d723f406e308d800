/**
 * The background in VS Code (issue 15): idle signals, the dream while idle and "Dream Now" with its diff and undo,
 * and the proactive scheduler with its status bar item and notices. The schedulers themselves live in
 * core/scheduler (as the headless daemon drives them); this module only feeds them VS Code's signals and shows
 * their results. Both run only in a trusted workspace and are re-planned live when their settings change.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ModelSettings } from '../../core/agent/loop';
import type { Memory } from '../../core/memory';
import { createBackgroundEngine } from '../../core/scheduler/guard';
import { loadPermissionSettings } from '../../core/permissions/settings';
import type { Provider, ProviderError } from '../../core/providers/types';
import { systemClock } from '../../core/scheduler/clock';
import { runDream, type DreamResult } from '../../core/scheduler/dream/run';
import { listDreams } from '../../core/scheduler/dream/snapshot';
import { recoverDreams, settleProposal, undoDream, type UndoResult } from '../../core/scheduler/dream/undo';
import { createWorkspaceProbe } from '../../core/scheduler/proactive/probe';
import { ProactiveScheduler, type ProactiveStatus } from '../../core/scheduler/proactive/scheduler';
import { readNotices, type Notice } from '../../core/scheduler/proactive/state';
import { builtinTools, createNodeProcessPort } from '../../core/tools';
import { createDiagnosticsPort } from '../adapters';
import type { ChatController } from '../chat/controller';
import { readBackground, readUserPermissionRules } from '../config';
import type { Logger } from '../log';
import type { ProactiveInfo } from '../../protocol/background';
import { DREAM_SCHEME, DreamContentProvider, showDreamChanges } from './dreamView';
import { dismissNotice, dreamInfoById, lastDreamInfo, noticeFeed, noticeInfo } from './feed';
import { IdleTracker } from './idle';
import { ProactiveStatusBar } from './statusBar';

export const DREAM_NOW_COMMAND = 'cairn.dreamNow';
export const UNDO_DREAM_COMMAND = 'cairn.undoDream';
export const TOGGLE_PROACTIVE_COMMAND = 'cairn.toggleProactive';

/** Events the background itself causes: they say nothing about whether the user is there. */
const BACKGROUND_EVENTS: ReadonlySet<string> = new Set(['proactive/status', 'proactive/notice', 'dream/changed', 'memory/changed', 'session/notice']);

/** While idle, the dream's gates are checked on going idle and then hourly (they open at most once a day). */
const DREAM_CHECK_MS = 60 * 60_000;

export interface BackgroundDeps {
  controller: ChatController;
  log: Logger;
  workspace: { root: string; agentDir: string; trusted(): boolean; rgPath?: string };
  memory: Memory;
  provider(): Provider | ProviderError;
  /** The chat model settings (a dream runs on them). */
  model(): ModelSettings;
  /** Reveal the chat (before a "Fix with Cairn" task). */
  revealChat(): Thenable<unknown>;
}

export interface Background extends vscode.Disposable {
  readonly idle: IdleTracker;
  dreamNow(): Promise<DreamResult | undefined>;
  undoLastDream(confirm?: boolean): Promise<UndoResult | undefined>;
}

export function registerBackground(d: BackgroundDeps): Background {
  const { agentDir, root } = d.workspace;
  const disposables: vscode.Disposable[] = [];
  let settings = readBackground();
  const reportProblems = () => { for (const p of settings.problems) d.log.warn(`settings: ${p}`); };
  reportProblems();

  // The background agents never ask; the guard in core narrows this engine (read-only tools, allow-listed commands).
  const engine = () => {
    const trusted = d.workspace.trusted();
    const loaded = loadPermissionSettings({ workspaceRoot: root, trusted });
    for (const w of loaded.warnings) d.log.warn(`permissions: ${w}`);
    const user = readUserPermissionRules();
    const userRules = (['deny', 'ask', 'allow'] as const).flatMap((effect) => user[effect].map((pattern) => ({ effect, pattern, source: 'user' as const })));
    return createBackgroundEngine({ workspaceRoot: root, trusted, rules: [...userRules, ...loaded.rules], additionalDirectories: loaded.additionalDirectories });
  };
  const diagnostics = createDiagnosticsPort();
  disposables.push(diagnostics);
  const ports = () => ({ workspaceTrusted: d.workspace.trusted(), process: createNodeProcessPort(), diagnostics });

  // Errors the user met recently (failed chat turns) are part of what a tick looks at.
  const recentErrors: string[] = [];

  // ---- dream ----
  let dreaming: Promise<DreamResult> | undefined;
  let dreamAbort: AbortController | undefined;
  const dream = (force: boolean, signal?: AbortSignal): Promise<DreamResult> => {
    if (dreaming) return dreaming;
    dreamAbort = new AbortController();
    const abort = dreamAbort;
    signal?.addEventListener('abort', () => abort.abort());
    dreaming = runDream({
      agentDir, workspaceRoot: root, memory: d.memory, provider: d.provider, model: d.model, settings: settings.dream,
      permissions: engine(), ports: ports(), userIdle: () => idle.idle && !d.controller.sessionBusy, force, signal: abort.signal,
    }).then((r) => {
      for (const id of r.recovered) d.log.warn(`dream ${id} was interrupted earlier; memory was rolled back to its snapshot`);
      if (r.status === 'done') d.log.info(`dream ${r.id}: ${r.changes.length} change(s), ${r.proposals.length} proposal(s), $${r.costUsd.toFixed(4)}`);
      else if (r.status === 'rolled_back') d.log.warn(`dream ${r.id} rolled back: ${r.reason}`);
      else if (force) d.log.info(`dream skipped: ${r.reason}`);
      if (r.status !== 'skipped') emitDream();
      return r;
    }).finally(() => { dreaming = undefined; dreamAbort = undefined; });
    return dreaming;
  };
  const dreamIfDue = () => {
    // Never beside a chat turn (running, or waiting for the user's decision): both would spend, and the turn may
    // be reading the memory the dream rewrites.
    if (!d.workspace.trusted() || !settings.dream.enabled || !idle.idle || d.controller.sessionBusy || dreaming) return;
    void dream(false).then((r) => {
      if (r.status === 'done' && r.diff.length) offerDreamResult(r);
    }, (err: Error) => d.log.warn(`dream: ${err.message}`));
  };
  let dreamTimer: ReturnType<typeof setInterval> | undefined;

  const offerDreamResult = (r: Extract<DreamResult, { status: 'done' }>) => {
    const proposals = r.proposals.filter((p) => p.state === 'proposed').length;
    const msg = `Cairn dreamed: ${r.changes.length} memory change(s)${proposals ? `, ${proposals} deletion(s) proposed for you to accept in the memory view` : ''} ($${r.costUsd.toFixed(2)}).`;
    void vscode.window.showInformationMessage(msg, 'Show Changes', 'Undo').then((pick) => {
      if (pick === 'Show Changes') void showDreamChanges(r.id, r.diff);
      else if (pick === 'Undo') void undoLast(false);
    });
  };

  const emitDream = () => { try { d.controller.emit('dream/changed', { dream: lastDreamInfo(agentDir) }); } catch (err) { d.log.warn(`dream record: ${(err as Error).message}`); } };

  const undoLast = async (confirm: boolean): Promise<UndoResult | undefined> => {
    const last = listDreams(agentDir).filter((m) => m.status === 'done').sort((a, b) => b.startedAt - a.startedAt)[0];
    if (!last) { void vscode.window.showInformationMessage('Cairn: there is no dream of the last 30 days to undo.'); return undefined; }
    if (confirm) {
      const ok = await vscode.window.showWarningMessage(`Undo dream ${last.id} (${new Date(last.startedAt).toLocaleString()})? Each memory file it changed goes back to how it was, unless it was changed again since.`, { modal: true }, 'Undo Dream');
      if (ok !== 'Undo Dream') return undefined;
    }
    const r = await undoDream(agentDir, last.id, Date.now());
    emitDream();
    if (!r.ok) void vscode.window.showErrorMessage(`Cairn: ${r.error ?? 'the dream could not be undone.'}`);
    else void vscode.window.showInformationMessage(`Cairn: dream ${last.id} undone; ${r.restored.length} file(s) restored${r.conflicts.length ? `; kept because they changed since: ${r.conflicts.join(', ')}` : ''}.`);
    return r;
  };

  /** Why "Dream now" cannot run here, if it cannot. */
  const dreamRefusal = (): string | undefined => {
    if (!d.workspace.trusted()) return 'dreaming needs a trusted workspace (it reads the workspace to check memories against the code)';
    if (!settings.dream.enabled) return 'dreaming is off (setting cairn.dream.enabled)';
    return undefined;
  };

  const dreamNow = async (): Promise<DreamResult | undefined> => {
    const refusal = dreamRefusal();
    if (refusal) { void vscode.window.showWarningMessage(`Cairn: ${refusal}.`); return undefined; }
    let r: DreamResult;
    try {
      r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Cairn is dreaming (consolidating memory)…', cancellable: true }, (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return dream(true, ac.signal);
      });
    } catch (err) {
      void vscode.window.showErrorMessage(`Cairn: the dream failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    if (r.status === 'skipped') void vscode.window.showInformationMessage(`Cairn: no dream: ${r.reason}.`);
    else if (r.status === 'rolled_back') void vscode.window.showWarningMessage(`Cairn: the dream was rolled back, memory is as it was: ${r.reason}.`);
    else if (r.diff.length === 0) void vscode.window.showInformationMessage(`Cairn dreamed and found nothing to change ($${r.costUsd.toFixed(2)}).`);
    else offerDreamResult(r);
    return r;
  };

  // ---- proactive ----
  const statusBar = new ProactiveStatusBar(TOGGLE_PROACTIVE_COMMAND);
  disposables.push(statusBar);
  let scheduler: ProactiveScheduler | undefined;
  const proactiveInfo = (status: ProactiveStatus, detail: string): ProactiveInfo => ({
    status, detail: detail.slice(0, 500), enabled: settings.proactive.enabled, tickMinutes: settings.proactive.tickMinutes, dailyBudgetUsd: settings.proactive.dailyBudgetUsd,
  });
  let lastStatus: ProactiveInfo = proactiveInfo('off', 'proactive mode is off (setting cairn.proactive.enabled)');
  const showStatus = (status: ProactiveStatus, detail: string) => {
    statusBar.show(status, detail);
    lastStatus = proactiveInfo(status, detail);
    d.controller.emit('proactive/status', lastStatus);
  };
  /** A notice's suggested fix as a normal chat task with its usual approvals: the notice only proposes the prompt. */
  const startFix = async (n: Notice): Promise<{ ok: boolean; error?: string }> => {
    if (!n.suggestedFix?.trim()) return { ok: false, error: 'This notice has no suggested fix.' };
    await d.revealChat();
    if (d.controller.sessionBusy) return { ok: false, error: 'Cairn is still working on the current task. Stop it (or wait), then try again.' };
    try { await d.controller.sendRich({ text: n.suggestedFix }); return { ok: true }; } catch (err) { return { ok: false, error: err instanceof Error ? err.message : String(err) }; }
  };
  const onNotice = (n: Notice) => {
    d.log.info(`proactive notice (${n.urgency}): ${n.title} — ${n.whyNow}`);
    d.controller.emit('proactive/notice', noticeInfo(n));
    if (n.urgency !== 'urgent') return;
    const buttons = n.suggestedFix ? ['Fix with Cairn'] : [];
    void vscode.window.showWarningMessage(`Cairn: ${n.title} — ${n.whyNow}`, ...buttons).then(async (pick) => {
      if (pick !== 'Fix with Cairn') return;
      const r = await startFix(n);
      if (!r.ok) void vscode.window.showWarningMessage(`Cairn: ${r.error}`);
    });
  };
  const startScheduler = () => {
    if (scheduler || !d.workspace.trusted()) return;
    scheduler = new ProactiveScheduler({
      agentDir, workspaceRoot: root, clock: systemClock, settings: () => settings.proactive, provider: d.provider,
      tools: builtinTools(d.workspace.rgPath ? { rgPath: d.workspace.rgPath } : {}), permissions: engine(),
      probe: createWorkspaceProbe(root, { diagnostics, recentErrors: () => recentErrors }), ports: ports(), newId: () => randomUUID(),
      onNotice,
      onTick: (r) => d.log.info(`proactive tick: ${r.requested ? `${r.requests} request(s), $${r.costUsd.toFixed(4)}` : 'no request'}; ${r.decision}`),
      onStatus: (status, detail) => showStatus(status, detail),
      onError: (err) => d.log.warn(`proactive: ${err.message}`),
    });
    scheduler.start();
    scheduler.setIdle(idle.idle);
  };
  const refreshStatus = () => {
    if (scheduler) { scheduler.refresh(); const s = scheduler.status(); showStatus(s.status, s.detail); return; }
    showStatus('off', d.workspace.trusted() ? 'proactive mode is off (setting cairn.proactive.enabled)' : 'proactive mode runs only in a trusted workspace');
  };

  const reloadSettings = () => {
    settings = readBackground();
    reportProblems();
    idle.setIdleMs(settings.idleMinutes * 60_000);
    if (settings.proactive.enabled) startScheduler();
    refreshStatus();
  };
  /** Turn proactive mode on or off where the setting's effective value comes from (the user's settings otherwise). */
  const setProactive = async (enabled: boolean): Promise<{ warning?: string }> => {
    const c = vscode.workspace.getConfiguration('cairn');
    const i = c.inspect<boolean>('proactive.enabled');
    const target = i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await c.update('proactive.enabled', enabled, target);
    reloadSettings();
    return enabled && !d.workspace.trusted() ? { warning: 'proactive mode is on but runs only once you trust this workspace.' } : {};
  };

  // ---- idle signals ----
  const idle = new IdleTracker(systemClock, settings.idleMinutes * 60_000, (isIdle) => {
    scheduler?.setIdle(isIdle);
    if (dreamTimer) { clearInterval(dreamTimer); dreamTimer = undefined; }
    if (isIdle) { dreamIfDue(); dreamTimer = setInterval(dreamIfDue, DREAM_CHECK_MS); }
  });
  idle.focus(vscode.window.state.focused);
  const detach = d.controller.attach((e) => {
    // Chat activity is the user's (focused or not), and a failed turn is an error the proactive ticks should see.
    // The background's own events (a notice, a status, a dream's memory changes) are not the user's.
    if (BACKGROUND_EVENTS.has(e.name)) return;
    idle.activity('user');
    if (e.name === 'turn/status') {
      const err = (e.data as { error?: { kind: string; message: string } }).error;
      if (err) { recentErrors.push(`chat task failed: ${err.kind}: ${err.message.split('\n')[0]}`); recentErrors.splice(0, Math.max(0, recentErrors.length - 10)); }
    }
  });
  disposables.push(
    { dispose: detach },
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled') idle.activity(); }),
    vscode.window.onDidChangeTextEditorSelection(() => idle.activity()),
    vscode.window.onDidChangeWindowState((s) => idle.focus(s.focused)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('cairn.dream') && !e.affectsConfiguration('cairn.proactive') && !e.affectsConfiguration('cairn.background')) return;
      reloadSettings();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => { if (settings.proactive.enabled) startScheduler(); refreshStatus(); }),
    vscode.workspace.registerTextDocumentContentProvider(DREAM_SCHEME, new DreamContentProvider(() => agentDir)),
    vscode.commands.registerCommand(DREAM_NOW_COMMAND, () => dreamNow()),
    vscode.commands.registerCommand(UNDO_DREAM_COMMAND, () => undoLast(true)),
    vscode.commands.registerCommand(TOGGLE_PROACTIVE_COMMAND, async () => {
      const next = !settings.proactive.enabled;
      const r = await setProactive(next);
      if (r.warning) void vscode.window.showWarningMessage(`Cairn: ${r.warning}`);
      else void vscode.window.showInformationMessage(next ? `Cairn: proactive mode on: a check every ${settings.proactive.tickMinutes} min while you are away, at most $${settings.proactive.dailyBudgetUsd.toFixed(2)} a day.` : 'Cairn: proactive mode off.');
      return next;
    }),
  );

  // ---- the panel: the notices feed, the proactive toggle, the last dream in the memory view ----
  d.controller.addHandlers({
    'background/state': () => ({ proactive: lastStatus, notices: noticeFeed(agentDir), lastDream: lastDreamInfo(agentDir) }),
    'proactive/set': async ({ enabled }) => {
      const r = await setProactive(enabled);
      return { proactive: lastStatus, ...(r.warning ? { warning: r.warning } : {}) };
    },
    'notice/fix': async ({ id }) => {
      const n = readNotices(agentDir).find((x) => x.id === id);
      return n ? startFix(n) : { ok: false, error: 'That notice no longer exists.' };
    },
    'notice/dismiss': ({ id }) => (dismissNotice(agentDir, id) ? { ok: true } : { ok: false, error: 'That notice no longer exists.' }),
    'dream/now': async () => {
      const refusal = dreamRefusal();
      if (refusal) return { status: 'skipped', reason: refusal, dream: null };
      const r = await dream(true);
      if (r.status === 'skipped') return { status: 'skipped', reason: r.reason, dream: null };
      return { status: r.status, ...(r.status === 'rolled_back' ? { reason: r.reason } : {}), dream: dreamInfoById(agentDir, r.id) };
    },
    'dream/undo': async ({ id }) => {
      const r = await undoDream(agentDir, id, Date.now());
      emitDream();
      return { ok: r.ok, restored: r.restored, conflicts: r.conflicts, ...(r.error ? { error: r.error } : {}) };
    },
    'dream/settle': async ({ id, slug, accept }) => {
      const r = await settleProposal(agentDir, id, slug, accept);
      emitDream();
      return r;
    },
  });

  // A dream killed with its window is rolled back now, before anything reads the memory.
  if (d.workspace.trusted()) {
    void recoverDreams(agentDir, Date.now()).then((ids) => {
      for (const id of ids) d.log.warn(`dream ${id} was interrupted (its window closed); memory was rolled back to its snapshot`);
    }, (err: Error) => d.log.warn(`dream recovery: ${err.message}`));
  }
  if (settings.proactive.enabled) startScheduler();
  refreshStatus();

  return {
    idle,
    dreamNow,
    undoLastDream: (confirm = true) => undoLast(confirm),
    dispose: () => {
      idle.dispose();
      if (dreamTimer) clearInterval(dreamTimer);
      dreamAbort?.abort();
      scheduler?.stop();
      for (const x of disposables) x.dispose();
    },
  };
}
