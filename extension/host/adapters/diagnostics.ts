/** DiagnosticsPort on languages.getDiagnostics, with a "settle" that waits for the language servers to go quiet. */
import * as vscode from 'vscode';
import type { Diagnostic, DiagnosticsPort } from '../../core/ports';

const SEVERITY: Record<vscode.DiagnosticSeverity, Diagnostic['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.code === undefined) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function convert(uri: vscode.Uri, d: vscode.Diagnostic): Diagnostic {
  return {
    absPath: uri.fsPath,
    line: d.range.start.line + 1,
    col: d.range.start.character + 1,
    severity: SEVERITY[d.severity] ?? 'error',
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(codeOf(d) !== undefined ? { code: codeOf(d) } : {}),
  };
}

export function createDiagnosticsPort(): DiagnosticsPort & vscode.Disposable {
  const waiting = new Set<() => void>();
  return {
    get(absPath?: string): Diagnostic[] {
      if (absPath !== undefined) {
        const uri = vscode.Uri.file(absPath);
        return vscode.languages.getDiagnostics(uri).map((d) => convert(uri, d));
      }
      return vscode.languages.getDiagnostics()
        .filter(([uri]) => uri.scheme === 'file')
        .flatMap(([uri, list]) => list.map((d) => convert(uri, d)));
    },

    settle(settleMs: number, maxMs: number): Promise<void> {
      // Quiet means: no onDidChangeDiagnostics for settleMs, counted from the call and restarted by every change.
      // Never waits longer than maxMs.
      const start = Date.now();
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const done = () => { if (timer) clearTimeout(timer); listener.dispose(); waiting.delete(done); resolve(); };
        const arm = () => {
          if (timer) clearTimeout(timer);
          const left = maxMs - (Date.now() - start);
          if (left <= 0) { done(); return; }
          timer = setTimeout(done, Math.min(Math.max(0, settleMs), left));
        };
        const listener = vscode.languages.onDidChangeDiagnostics(arm);
        waiting.add(done);
        arm();
      });
    },

    dispose: () => { for (const d of [...waiting]) d(); },
  };
}
