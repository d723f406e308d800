/** The status bar item: idle / working / waiting for you, and the session's cost. A click opens the chat. */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { EventMessage } from '../../protocol/envelope';

export interface StatusState { working: boolean; waiting: Set<string>; costUsd: number | null }

/** Fold one event into the status (pure apart from the Set, which is owned by the caller). */
export function foldStatus(s: StatusState, e: EventMessage): void {
  switch (e.name) {
    case 'session/started': s.working = false; s.waiting.clear(); s.costUsd = null; break;
    case 'turn/status': s.working = (e.data as { turn: string }).turn === 'streaming'; break;
    case 'decision/requested': s.waiting.add((e.data as { decision: { request: { id: string } } }).decision.request.id); break;
    case 'decision/resolved': s.waiting.delete((e.data as { id: string }).id); break;
    case 'usage/updated': { const c = (e.data as { costUsd?: number }).costUsd; if (c !== undefined) s.costUsd = c; break; }
    default: break;
  }
}

export function statusText(s: StatusState): { text: string; tooltip: string } {
  const cost = s.costUsd === null ? '' : ` ${s.costUsd === 0 ? '$0' : s.costUsd < 0.01 ? `$${s.costUsd.toFixed(4)}` : `$${s.costUsd.toFixed(2)}`}`;
  if (s.waiting.size > 0) return { text: `$(bell-dot) Cairn: needs you${cost}`, tooltip: 'Cairn is waiting for your approval or review. Click to open the chat.' };
  if (s.working) return { text: `$(loading~spin) Cairn${cost}`, tooltip: 'Cairn is working. Click to open the chat.' };
  return { text: `$(comment-discussion) Cairn${cost}`, tooltip: `Cairn is idle${cost ? `; this session cost${cost}` : ''}. Click to open the chat.` };
}

export function createStatusBar(controller: ChatController, command: string): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cairn.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Cairn';
  item.command = command;
  const snap = controller.snapshot();
  const state: StatusState = {
    working: snap.turn === 'streaming',
    waiting: new Set((snap.pendingDecisions ?? []).map((d) => d.request.id)),
    costUsd: snap.costUsd ?? null,
  };
  const render = () => {
    const { text, tooltip } = statusText(state);
    item.text = text;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: tooltip.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    item.backgroundColor = state.waiting.size > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  render();
  item.show();
  const detach = controller.attach((e) => { foldStatus(state, e); render(); });
  return { dispose: () => { detach(); item.dispose(); } };
}
