/**
 * Resolves what the user attached with @ into context for the model. The webview only names things;
 * the host reads them (within the workspace, capped) so nothing is trusted from the webview.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../../protocol/model';

const MAX_FILE_BYTES = 100_000;
const MAX_ENTRIES = 200;

export interface Resolved { context: string[]; labels: Array<{ kind: string; label: string }>; problems: string[] }

async function inside(root: string, rel: string): Promise<string | undefined> {
  const abs = resolve(root, rel);
  try {
    const real = await realpath(abs);
    const realRoot = await realpath(root);
    return real === realRoot || real.startsWith(realRoot + sep) ? real : undefined;
  } catch { return undefined; }
}

function diagnosticsText(root: string, uri?: vscode.Uri): string {
  const entries = uri ? [[uri, vscode.languages.getDiagnostics(uri)] as const] : vscode.languages.getDiagnostics();
  const lines: string[] = [];
  for (const [u, diags] of entries) {
    for (const d of diags) {
      if (d.severity > vscode.DiagnosticSeverity.Warning) continue;
      const sev = d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning';
      lines.push(`${relative(root, u.fsPath)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${sev}: ${d.message}${d.source ? ` (${d.source})` : ''}`);
      if (lines.length >= MAX_ENTRIES) break;
    }
  }
  return lines.length ? lines.join('\n') : 'No errors or warnings.';
}

export async function resolveAttachments(root: string, attachments: Attachment[]): Promise<Resolved> {
  const out: Resolved = { context: [], labels: [], problems: [] };
  for (const a of attachments) {
    out.labels.push({ kind: a.kind, label: a.label });
    switch (a.kind) {
      case 'file': {
        const abs = a.path ? await inside(root, a.path) : undefined;
        if (!abs) { out.problems.push(`${a.label}: not found in the workspace`); break; }
        const st = await stat(abs);
        const buf = await readFile(abs);
        const cut = buf.length > MAX_FILE_BYTES;
        const text = buf.subarray(0, MAX_FILE_BYTES).toString('utf8');
        out.context.push(`<attached-file path="${relative(root, abs)}" bytes="${st.size}"${cut ? ' truncated="true"' : ''}>\n${text}\n</attached-file>`);
        break;
      }
      case 'folder': {
        const abs = a.path ? await inside(root, a.path) : undefined;
        if (!abs) { out.problems.push(`${a.label}: not found in the workspace`); break; }
        const names = (await readdir(abs, { withFileTypes: true })).slice(0, MAX_ENTRIES).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort();
        out.context.push(`<attached-folder path="${relative(root, abs) || '.'}">\n${names.join('\n')}\n</attached-folder>`);
        break;
      }
      case 'problems': {
        const uri = a.path ? vscode.Uri.file(join(root, a.path)) : undefined;
        out.context.push(`<problems${a.path ? ` path="${a.path}"` : ''}>\n${diagnosticsText(root, uri)}\n</problems>`);
        break;
      }
      case 'selection': {
        const ed = vscode.window.activeTextEditor;
        if (!ed || ed.selection.isEmpty) { out.problems.push('selection: nothing is selected'); break; }
        const s = ed.selection;
        out.context.push(`<selection path="${relative(root, ed.document.uri.fsPath)}" lines="${s.start.line + 1}-${s.end.line + 1}">\n${ed.document.getText(s)}\n</selection>`);
        break;
      }
      case 'editors': {
        const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? relative(root, t.input.uri.fsPath) : undefined)).filter((x): x is string => Boolean(x));
        out.context.push(`<open-editors>\n${open.join('\n') || '(none)'}\n</open-editors>`);
        break;
      }
    }
  }
  return out;
}
