/** editor_context: what the user has open in the editor: open files, the active file, the selection, visible ranges. */
import { z } from 'zod';
import type { Tool } from './types';
import { toRel } from '../permissions/containment';

const input = z.object({});
const SELECTION_MAX = 4000;

export const editorContextTool: Tool<typeof input> = {
  name: 'editor_context',
  description: 'See what the user is looking at in the editor: open files (and which have unsaved changes), the active file, the selected text and the visible line ranges. Use it when the user says "this file", "here" or "the selection".',
  input,
  kind: 'state',
  label: 'Editor',
  describe: () => 'open files and selection',
  readOnly: true,
  concurrencySafe: true,
  async execute(_args, ctx) {
    const ed = ctx.ports.editor;
    if (!ed) return { content: 'No editor is attached (headless run): there are no open files or selection.' };
    const rel = (p: string) => toRel(ctx.workspaceRoot, p);
    const docs = ed.openDocuments();
    const active = ed.activeFile();
    const sel = ed.selection();
    const vis = ed.visibleRanges();
    const parts: string[] = [];
    parts.push(`Active file: ${active ? rel(active) : '(none)'}`);
    parts.push(docs.length ? `Open files:\n${docs.map((d) => `- ${rel(d.absPath)} (${d.languageId}${d.isDirty ? ', unsaved changes' : ''})`).join('\n')}` : 'Open files: (none)');
    if (sel && sel.text) {
      const text = sel.text.length > SELECTION_MAX ? sel.text.slice(0, SELECTION_MAX) + `\n[... selection cut at ${SELECTION_MAX} characters]` : sel.text;
      parts.push(`Selection in ${rel(sel.absPath)} lines ${sel.startLine}-${sel.endLine}:\n${text}`);
    } else parts.push('Selection: (none)');
    if (vis.length) parts.push(`Visible: ${vis.map((v) => `${rel(v.absPath)} lines ${v.startLine}-${v.endLine}`).join('; ')}`);
    return { content: parts.join('\n'), display: { active, open: docs.length } };
  },
};
