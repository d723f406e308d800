/**
 * "Fix with Cairn" (a preferred quick fix where diagnostics touch the range), "Explain with Cairn" and
 * "Add to Cairn chat" (on a non-empty selection). The code actions carry only the uri and the range as plain
 * values; the command re-reads the document and the diagnostics itself.
 */
import { basename, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { Logger } from '../log';
import { addToChatText, diagnosticsFor, excerptLines, explainPrompt, fixPrompt, type CodeContext, type DiagnosticInfo, type PlainRange } from './prompt';

export const FIX_COMMAND = 'cairn.fixWithCairn';
export const EXPLAIN_COMMAND = 'cairn.explainWithCairn';
export const ADD_COMMAND = 'cairn.addToChat';

export type { PlainRange };

const toPlain = (r: vscode.Range): PlainRange => [r.start.line, r.start.character, r.end.line, r.end.character];
const fromPlain = (r: PlainRange) => new vscode.Range(r[0], r[1], r[2], r[3]);
const SEVERITY: Record<number, DiagnosticInfo['severity']> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };

export class CairnCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const args = [doc.uri.toString(), toPlain(range)];
    const problems = ctx.diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    if (problems.length > 0) {
      const fix = new vscode.CodeAction('Fix with Cairn', vscode.CodeActionKind.QuickFix);
      fix.isPreferred = true;
      fix.diagnostics = problems;
      fix.command = { command: FIX_COMMAND, title: 'Fix with Cairn', arguments: args };
      actions.push(fix);
    }
    if (!range.isEmpty) {
      const explain = new vscode.CodeAction('Explain with Cairn', vscode.CodeActionKind.QuickFix);
      explain.command = { command: EXPLAIN_COMMAND, title: 'Explain with Cairn', arguments: args };
      const add = new vscode.CodeAction('Add to Cairn chat', vscode.CodeActionKind.QuickFix);
      add.command = { command: ADD_COMMAND, title: 'Add to Cairn chat', arguments: args };
      actions.push(explain, add);
    }
    return actions;
  }
}

function relPath(root: string, uri: vscode.Uri): { path: string; inside: boolean } {
  const r = relative(root, uri.fsPath);
  const inside = uri.scheme === 'file' && r !== '' && !r.startsWith('..');
  return { path: inside ? r.split(sep).join('/') : basename(uri.fsPath), inside };
}

/** The code of whole lines around `range` (with `pad` lines of context each side). */
function excerpt(doc: vscode.TextDocument, root: string, range: vscode.Range, pad: number): CodeContext {
  const lastEmpty = doc.lineAt(doc.lineCount - 1).text === '';
  const { start, end } = excerptLines(toPlain(range), doc.lineCount, lastEmpty, pad);
  const code = doc.getText(new vscode.Range(start, 0, end, doc.lineAt(end).text.length));
  return { path: relPath(root, doc.uri).path, languageId: doc.languageId, startLine: start + 1, endLine: end + 1, code };
}

interface Target { doc: vscode.TextDocument; range: vscode.Range }

/** Resolve the command's arguments (or, from the palette, the active editor). */
async function target(uriArg: unknown, rangeArg: unknown): Promise<Target | undefined> {
  if (typeof uriArg === 'string' && Array.isArray(rangeArg) && rangeArg.length === 4 && rangeArg.every((n) => Number.isInteger(n) && n >= 0)) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriArg));
    return { doc, range: doc.validateRange(fromPlain(rangeArg as PlainRange)) };
  }
  const ed = vscode.window.activeTextEditor;
  return ed ? { doc: ed.document, range: ed.selection } : undefined;
}

export function registerCodeActions(controller: ChatController, root: string, log: Logger, reveal: () => Thenable<unknown>): vscode.Disposable[] {
  const start = async (text: string, doc: vscode.TextDocument) => {
    await reveal();
    if (controller.sessionBusy) {
      void vscode.window.showWarningMessage('Cairn is still working on the current task. Stop it (or wait), then try again.');
      return;
    }
    const { path, inside } = relPath(root, doc.uri);
    try {
      // A quick fix or an explanation is its own task: it starts a new session rather than joining whatever
      // the current one is about (which stays in the history).
      if (!controller.sessionEmpty) controller.newSession();
      await controller.sendRich({ text, ...(inside ? { attachments: [{ kind: 'file' as const, path, label: basename(path) }] } : {}) });
    } catch (err) {
      log.warn(`code action: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Cairn: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return [
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new CairnCodeActions(), { providedCodeActionKinds: CairnCodeActions.kinds }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new CairnCodeActions(), { providedCodeActionKinds: CairnCodeActions.kinds }),
    vscode.commands.registerCommand(FIX_COMMAND, async (uriArg: unknown, rangeArg: unknown) => {
      const t = await target(uriArg, rangeArg);
      if (!t) return;
      // Re-read the diagnostics now: those of the lightbulb may be gone or stale.
      const all = vscode.languages.getDiagnostics(t.doc.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
      const plain = all.map((d) => ({ d, range: toPlain(d.range) }));
      const near = diagnosticsFor(plain, toPlain(t.range)).map((x) => x.d);
      if (near.length === 0) { void vscode.window.showInformationMessage('Cairn: no errors or warnings here any more.'); return; }
      const span = near.reduce((r, d) => r.union(d.range), near[0]?.range ?? t.range);
      const quoted = excerpt(t.doc, root, span, 3);
      // Every problem in the quoted lines, not only the one under the cursor.
      const diags = diagnosticsFor(plain, [quoted.startLine - 1, 0, quoted.endLine - 1, 0]).map((x) => x.d);
      const info: DiagnosticInfo[] = diags.map((d) => ({
        severity: SEVERITY[d.severity] ?? 'error',
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        ...(d.source ? { source: d.source } : {}),
        ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
      }));
      await start(fixPrompt(quoted, info), t.doc);
    }),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (uriArg: unknown, rangeArg: unknown) => {
      const t = await target(uriArg, rangeArg);
      if (!t || t.range.isEmpty) return;
      await start(explainPrompt(excerpt(t.doc, root, t.range, 0)), t.doc);
    }),
    vscode.commands.registerCommand(ADD_COMMAND, async (uriArg: unknown, rangeArg: unknown) => {
      const t = await target(uriArg, rangeArg);
      if (!t || t.range.isEmpty) return;
      await reveal();
      controller.emit('panel/compose', { text: addToChatText(excerpt(t.doc, root, t.range, 0)), attachments: [] });
    }),
  ];
}
