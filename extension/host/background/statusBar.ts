/** The proactive mode's status bar item: off, watching, sleeping or over budget, with why in the tooltip. */
import * as vscode from 'vscode';
import type { ProactiveStatus } from '../../core/scheduler/proactive/scheduler';

const TEXT: Record<ProactiveStatus, string> = {
  off: '$(eye-closed) Proactive: off',
  watching: '$(eye) Proactive: watching',
  sleeping: '$(debug-pause) Proactive: sleeping',
  over_budget: '$(warning) Proactive: over budget',
};

export function proactiveStatusText(status: ProactiveStatus, detail: string): { text: string; tooltip: string } {
  return { text: TEXT[status], tooltip: `Cairn proactive mode: ${detail}. Click to turn it ${status === 'off' ? 'on' : 'off'}.` };
}

export class ProactiveStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cairn.proactive', vscode.StatusBarAlignment.Right, 99);
  constructor(command: string) {
    this.item.name = 'Cairn Proactive Mode';
    this.item.command = command;
    this.show('off', 'proactive mode is off (setting cairn.proactive.enabled)');
  }
  show(status: ProactiveStatus, detail: string): void {
    const { text, tooltip } = proactiveStatusText(status, detail);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip, role: 'button' };
    this.item.backgroundColor = status === 'over_budget' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
  dispose(): void { this.item.dispose(); }
}
