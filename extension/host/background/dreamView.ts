/**
 * What a dream changed, in VS Code: a read-only content provider serves each memory file as it was before and
 * after a dream (from the dream's snapshots under .agent/state/dream/<id>/), so "Show changes" opens ordinary
 * diff editors, and every dream of the last 30 days can be looked at the same way.
 */
import * as vscode from 'vscode';
import { readFilesSnapshot, type FileDiff } from '../../core/scheduler/dream/snapshot';

export const DREAM_SCHEME = 'cairn-dream';

/** cairn-dream:/<id>/<before|after>/<path relative to .agent> */
export function dreamUri(id: string, which: 'before' | 'after', path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DREAM_SCHEME, path: `/${id}/${which}/${path}` });
}

export class DreamContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly agentDir: () => string) {}
  provideTextDocumentContent(uri: vscode.Uri): string {
    const m = /^\/([A-Za-z0-9_-]{1,80})\/(before|after)\/(.+)$/.exec(uri.path);
    if (!m) return '';
    const files = readFilesSnapshot(this.agentDir(), m[1]!, m[2] as 'before' | 'after');
    // A file the dream added has no "before" (and one it removed no "after"): an empty side shows that.
    return files?.[m[3]!] ?? '';
  }
}

const STATUS: Record<FileDiff['status'], string> = { added: 'added', removed: 'deleted', changed: 'changed' };

export function openFileDiff(id: string, d: FileDiff): Thenable<unknown> {
  return vscode.commands.executeCommand('vscode.diff', dreamUri(id, 'before', d.path), dreamUri(id, 'after', d.path), `Dream ${id}: ${d.path} (${STATUS[d.status]})`, { preview: true });
}

/** One file: its diff at once; several: pick which (MEMORY.md first), each pick opens its diff. */
export async function showDreamChanges(id: string, diff: FileDiff[]): Promise<void> {
  if (diff.length === 0) { void vscode.window.showInformationMessage(`Cairn: dream ${id} changed no memory file.`); return; }
  const sorted = [...diff].sort((a, b) => (a.path === 'MEMORY.md' ? -1 : b.path === 'MEMORY.md' ? 1 : a.path.localeCompare(b.path)));
  if (sorted.length === 1) { await openFileDiff(id, sorted[0]!); return; }
  const pick = await vscode.window.showQuickPick(sorted.map((d) => ({ label: d.path, description: STATUS[d.status], d })), {
    title: `Cairn: what dream ${id} changed`, placeHolder: 'Pick a memory file to see its diff',
  });
  if (pick) await openFileDiff(id, pick.d);
}
