/**
 * Strategy 1a, the tool-result budget (no model call). Decided once, when the results are produced: a result over
 * the per-result budget, or the largest results of a message over the per-message budget, go to
 * `.agent/sessions/<id>/tool-results/<tool_use_id>.txt`, and what the model sees is a preview with the size and the
 * path (it can read the file back). The decision is recorded in the history message itself, so the prefix stays
 * byte-stable and a resumed session sends the same bytes; the transcript's tool_result entries keep the whole
 * output for the panel and for transcript search.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContentParam } from '../session/project';
import { resultText, textTokens } from './tokens';

type ToolResultBlock = Extract<ContentParam, { type: 'tool_result' }>;

export interface BudgetOptions {
  perResultTokens: number;
  perMessageTokens: number;
  sessionDir: string;
  workspaceRoot: string;
}

const HEAD_CHARS = 1_600;
const TAIL_CHARS = 400;

/** A preview: the head cut at a line break, the tail, and where the whole output is. */
export function preview(text: string, tokens: number, rel: string): string {
  let head = text.slice(0, HEAD_CHARS);
  const nl = head.lastIndexOf('\n');
  if (nl > HEAD_CHARS / 2) head = head.slice(0, nl);
  let tail = text.slice(-TAIL_CHARS);
  const tnl = tail.indexOf('\n');
  if (tnl >= 0 && tnl < TAIL_CHARS / 2) tail = tail.slice(tnl + 1);
  return `${head}\n\n[... output too large for the context: about ${tokens.toLocaleString('en-US')} tokens (${text.length.toLocaleString('en-US')} characters). The whole output is in ${rel}; read it with read_file (offset/limit) if you need more ...]\n\n${tail}`;
}

/** The results as the model should see them, persisting what is over budget. Never throws: a write that fails keeps the result as it was. */
export async function budgetResults(blocks: readonly ContentParam[], o: BudgetOptions): Promise<ContentParam[]> {
  const sized = blocks.map((b, i) => ({ i, b, tokens: b.type === 'tool_result' ? textTokens(resultText(b)) : 0 }));
  const over = new Set(sized.filter((s) => s.tokens > o.perResultTokens).map((s) => s.i));
  // The per-message budget: persist the largest of the rest until the message fits.
  let total = sized.reduce((n, s) => n + (over.has(s.i) ? 0 : s.tokens), 0);
  for (const s of [...sized].sort((a, b) => b.tokens - a.tokens)) {
    if (total <= o.perMessageTokens) break;
    if (over.has(s.i) || s.tokens < 500) continue;
    over.add(s.i);
    total -= s.tokens;
  }
  if (!over.size) return blocks.slice();
  const out = blocks.slice();
  const dir = join(o.sessionDir, 'tool-results');
  for (const i of over) {
    const b = blocks[i] as ToolResultBlock;
    const text = resultText(b);
    const file = join(dir, `${b.tool_use_id.replace(/[^\w.-]/g, '_')}.txt`);
    try {
      await mkdir(dir, { recursive: true });
      // A tool that already saved its whole output there (run_command) keeps its file.
      if (!existsSync(file)) await writeFile(file, text, { flag: 'wx' });
    } catch {
      continue;
    }
    const rel = relative(o.workspaceRoot, file).split(sep).join('/');
    out[i] = { type: 'tool_result', tool_use_id: b.tool_use_id, content: preview(text, sized[i]!.tokens, rel), ...(b.is_error ? { is_error: true } : {}) };
  }
  return out;
}
