/**
 * UltraPlan in VS Code: `/plan <task>` in the composer (`plan/ultra`) and the command "Cairn: UltraPlan". The run
 * goes on in the chat session while the user keeps working; a notification shows its progress (each tool it starts;
 * Cancel stops it) and, when the plan is ready, says so with a button to review it in the panel or open the file.
 */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import { CHAT_VIEW_ID } from '../webview/views';

/** Start the run (a refusal throws at once, with what to do); progress and the ready notification follow. */
export function startUltraPlan(controller: ChatController, task: string): void {
  let report: ((message: string) => void) | undefined;
  let steps = 0;
  const done = controller.ultraPlan(task, (message) => { steps++; report?.(`${steps} step${steps === 1 ? '' : 's'} · ${message}`); });
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Cairn UltraPlan', cancellable: true }, async (progress, token) => {
    report = (message) => progress.report({ message: message.slice(0, 120) });
    report('researching with read-only tools…');
    token.onCancellationRequested(() => { void controller.handle('chat/stop', {}); });
    try { return await done; } catch { return undefined; }
  }).then(async (r) => {
    if (!r) { void vscode.window.showErrorMessage('Cairn UltraPlan stopped with an error; see the chat.'); return; }
    if (!r.plan) { void vscode.window.showWarningMessage('Cairn UltraPlan ended without proposing a plan; see the chat for what it found.', 'Show chat').then((b) => { if (b) void vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`); }); return; }
    const pick = await vscode.window.showInformationMessage(`Cairn: the plan "${r.plan.title}" is ready for review (${r.plan.rel}).`, 'Review plan', 'Open plan file');
    if (pick === 'Review plan') await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    if (pick === 'Open plan file') await vscode.commands.executeCommand('cairn.openPlanFile', r.plan.rel);
  });
}

export function registerUltraPlan(controller: ChatController): vscode.Disposable[] {
  controller.addHandlers({
    'plan/ultra': ({ task }) => {
      try { startUltraPlan(controller, task); return { ok: true }; } catch (e) { return { ok: false, error: e instanceof Error ? e.message : String(e) }; }
    },
  });
  return [
    vscode.commands.registerCommand('cairn.ultraPlan', async (given?: string) => {
      const task = typeof given === 'string' && given.trim() ? given : await vscode.window.showInputBox({
        title: 'Cairn: UltraPlan', prompt: 'What should Cairn plan? It researches in depth (read-only), then proposes a plan for you to review.',
        placeHolder: 'e.g. add input validation to the signup form', ignoreFocusOut: true,
      });
      if (!task?.trim()) return false;
      try {
        startUltraPlan(controller, task);
        await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
        return true;
      } catch (e) {
        void vscode.window.showErrorMessage(`Cairn: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    }),
  ];
}
