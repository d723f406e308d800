/**
 * The plan list and the plan file in VS Code: `plan/list`, `plan/open` (the file in an editor: edits saved there are
 * what gets executed, and unsaved ones are saved when the user answers the card), `plan/resume`, `plan/abandon`, and
 * the command "Cairn: Open Plan File…". Every path is checked by the planner's store: only `.md` files directly in
 * the workspace's real `.agent/plans/` are opened, resumed or abandoned.
 */
import * as vscode from 'vscode';
import { listPlans, readPlan, relPlanPath, resolvePlanPath } from '../../core/planner/store';
import type { PlanListItem } from '../../protocol/plans';
import type { ChatController } from '../chat/controller';

const fail = (e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) });

export function planItems(controller: ChatController, root: string): PlanListItem[] {
  const st = controller.planState;
  const current = new Set([st?.pending, st?.active].filter((p): p is string => !!p));
  return listPlans(root).slice(0, 500).map((p) => ({
    path: p.rel,
    current: current.has(p.path),
    ...(p.title ? { title: p.title.slice(0, 300) } : {}),
    ...(p.status ? { status: p.status } : {}),
    ...(p.created ? { created: p.created.slice(0, 100) } : {}),
    ...(p.progress ? { progress: p.progress } : {}),
    ...(p.outcome ? { outcome: p.outcome.slice(0, 4_000) } : {}),
    ...(p.problem ? { problem: p.problem.slice(0, 1_000) } : {}),
  }));
}

async function openPlanFile(root: string, path: string): Promise<void> {
  const abs = resolvePlanPath(root, path);
  await vscode.window.showTextDocument(vscode.Uri.file(abs), { preview: false });
}

export function registerPlanFeatures(controller: ChatController, root: string): vscode.Disposable[] {
  controller.addHandlers({
    'plan/list': () => ({ plans: planItems(controller, root) }),
    'plan/open': async ({ path }) => { try { await openPlanFile(root, path); return { ok: true }; } catch (e) { return fail(e); } },
    'plan/resume': ({ path }) => { try { controller.resumePlan(path); return { ok: true }; } catch (e) { return fail(e); } },
    'plan/abandon': ({ path }) => {
      try {
        const st = controller.planState;
        if (!st) throw new Error('This session has no plan support.');
        st.abandon(path);
        return { ok: true };
      } catch (e) { return fail(e); }
    },
  });
  // A waiting plan's file edited in an editor (or by anything else): its card shows the file as it is now.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '.agent/plans/*.md'));
  const refresh = (uri: vscode.Uri) => {
    try {
      const abs = resolvePlanPath(root, uri.fsPath);
      const { plan } = readPlan(abs);
      controller.decisions.refreshPlan(relPlanPath(root, abs), plan);
    } catch { /* half-written or not a plan: the card keeps what it shows; approving reads the file and says what is wrong */ }
  };
  return [
    watcher,
    watcher.onDidChange(refresh),
    watcher.onDidCreate(refresh),
    vscode.commands.registerCommand('cairn.openPlanFile', async (path?: string) => {
      let target = typeof path === 'string' ? path : undefined;
      if (!target) {
        const items = planItems(controller, root).filter((p) => !p.problem);
        if (!items.length) { void vscode.window.showInformationMessage('Cairn: no plans in this workspace yet (.agent/plans/).'); return undefined; }
        const pick = await vscode.window.showQuickPick(items.map((p) => ({
          label: p.title ?? p.path, description: `${p.status ?? ''}${p.progress ? ` · ${p.progress.done + p.progress.skipped}/${p.progress.total}` : ''}${p.current ? ' · this session' : ''}`, detail: p.path, path: p.path,
        })), { title: 'Cairn: Open Plan File', placeHolder: 'Pick a plan to open in the editor', matchOnDetail: true });
        target = pick?.path;
      }
      if (!target) return undefined;
      try { await openPlanFile(root, target); return target; } catch (e) { void vscode.window.showErrorMessage(`Cairn: ${e instanceof Error ? e.message : String(e)}`); return undefined; }
    }),
  ];
}
