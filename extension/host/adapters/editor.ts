/**
 * EditorPort on the VS Code API: what is open, active, selected and visible; and applying new file text through
 * a WorkspaceEdit followed by a save, so an open buffer (its undo stack, cursor, folding) is updated in place
 * rather than the file being swapped underneath it. Never opens an editor, never takes focus, and never
 * overwrites a buffer with unsaved changes that differ from what the agent read.
 */
import * as vscode from 'vscode';
import type { EditorPort, OpenDocument, Selection } from '../../core/ports';

/** How long a save that answered false may take to land on disk before the edit counts as failed. */
const SAVE_SETTLE_MS = 5_000;

const isFileDoc = (d: vscode.TextDocument) => d.uri.scheme === 'file' && !d.isClosed;
const samePath = (a: string, b: string) => (process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b);

export function findOpenDocument(absPath: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => isFileDoc(d) && samePath(d.uri.fsPath, absPath));
}

function fullRange(doc: vscode.TextDocument): vscode.Range {
  return new vscode.Range(new vscode.Position(0, 0), doc.lineAt(Math.max(0, doc.lineCount - 1)).rangeIncludingLineBreak.end);
}

/** LF/CRLF-insensitive comparison: a buffer's getText() uses the document's EOL, the agent may have read either. */
const normEol = (s: string) => s.replace(/\r\n/g, '\n');

export function createEditorPort(): EditorPort {
  return {
    openDocuments(): OpenDocument[] {
      return vscode.workspace.textDocuments.filter(isFileDoc).map((d) => ({
        absPath: d.uri.fsPath,
        languageId: d.languageId,
        isDirty: d.isDirty,
        text: d.getText(),
        version: d.version,
      }));
    },

    activeFile(): string | undefined {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && isFileDoc(doc) ? doc.uri.fsPath : undefined;
    },

    selection(): Selection | undefined {
      const ed = vscode.window.activeTextEditor;
      if (!ed || !isFileDoc(ed.document)) return undefined;
      const s = ed.selection;
      return {
        absPath: ed.document.uri.fsPath,
        startLine: s.start.line + 1,
        startCol: s.start.character + 1,
        endLine: s.end.line + 1,
        endCol: s.end.character + 1,
        text: ed.document.getText(s),
      };
    },

    visibleRanges() {
      return vscode.window.visibleTextEditors
        .filter((e) => isFileDoc(e.document))
        .flatMap((e) => e.visibleRanges.map((r) => ({ absPath: e.document.uri.fsPath, startLine: r.start.line + 1, endLine: r.end.line + 1 })));
    },

    async applyText(absPath: string, newText: string, expectedText: string): Promise<boolean> {
      const uri = vscode.Uri.file(absPath);
      let doc = findOpenDocument(absPath);
      if (doc?.isDirty && normEol(doc.getText()) !== normEol(expectedText)) return false;
      if (!doc) {
        const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
        if (!exists) {
          // A new file: create it empty through the edit (so it is undoable like any other edit), then fill it below.
          const create = new vscode.WorkspaceEdit();
          create.createFile(uri, { ignoreIfExists: true });
          if (!(await vscode.workspace.applyEdit(create))) return false;
        }
        // Loads the model without showing it (no editor opens, focus stays where it is).
        doc = await vscode.workspace.openTextDocument(uri);
      }
      // Re-check after the awaits: the user may have typed in the meantime.
      if (doc.isDirty && normEol(doc.getText()) !== normEol(expectedText)) return false;
      if (doc.getText() !== newText) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, fullRange(doc), newText);
        if (!(await vscode.workspace.applyEdit(edit))) return false;
      }
      // The edit tools check the file on disk afterwards: save now. (Save participants such as format-on-save
      // may still change the bytes; the tool then sees a changed file and re-reads it.)
      if (!doc.isDirty || (await doc.save())) return true;
      // save() also answers false when a save already under way (auto save, a save participant) got there first, or
      // when the editor believes the file on disk is newer: what counts is whether the file now holds this text.
      // A save under way truncates the file and rewrites it, so one read may see it empty or half written: look
      // again for a few seconds (a busy machine) before calling the edit failed.
      const saved = doc;
      const deadline = Date.now() + SAVE_SETTLE_MS;
      for (;;) {
        if (!saved.isDirty) return true;
        const disk = await vscode.workspace.fs.readFile(uri).then((b) => Buffer.from(b).toString('utf8'), () => undefined);
        if (disk !== undefined && normEol(disk) === normEol(newText)) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
