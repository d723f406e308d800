/**
 * Pure hunk arithmetic for the per-hunk review (no `vscode` here, so it is unit-testable anywhere).
 *
 * Hunks come from the `diff` package (structuredPatch, 3 lines of context). Applying a subset never parses the
 * hunk lines: each hunk maps a line range of `before` to a line range of `after`, and everything between hunks is
 * identical in both, so the result is stitched from raw lines (terminators included) of `before` for rejected
 * hunks and of `after` for accepted ones. Line endings, a missing final newline and CRLF therefore survive as is.
 */
import { structuredPatch } from 'diff';
import type { ReviewHunk } from '../../protocol/review';

export interface HunkRange {
  /** 0-based first line in `before` / `after`, and line counts. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface ComputedHunks {
  hunks: ReviewHunk[];
  ranges: HunkRange[];
}

export const REVIEW_CONTEXT_LINES = 3;

/** Lines with their terminators ("a\r\n", "b\n", "c"). */
export function splitLinesKeepEol(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function computeHunks(before: string, after: string, context = REVIEW_CONTEXT_LINES): ComputedHunks {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context });
  const hunks: ReviewHunk[] = [];
  const ranges: HunkRange[] = [];
  patch.hunks.forEach((h, index) => {
    // jsdiff's internal convention: oldStart/newStart are 1-based, and for an empty side (0 lines) they name the
    // line *after* the insertion point, so `start - 1` is the 0-based index in both cases.
    ranges.push({ oldStart: Math.max(0, h.oldStart - 1), oldLines: h.oldLines, newStart: Math.max(0, h.newStart - 1), newLines: h.newLines });
    const oldShown = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newShown = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    hunks.push({
      index,
      header: `@@ -${oldShown},${h.oldLines} +${newShown},${h.newLines} @@`,
      // "\ No newline at end of file" markers are not part of the contract (' ', '-', '+' only).
      lines: h.lines.filter((l) => !l.startsWith('\\')).map((l) => l.replace(/\r$/, '')),
    });
  });
  return { hunks, ranges };
}

/** `before` with exactly the accepted hunks (by index) of before -> after applied. */
export function applyHunks(before: string, after: string, ranges: readonly HunkRange[], accepted: ReadonlySet<number> | readonly number[]): string {
  const acc = accepted instanceof Set ? accepted : new Set(accepted as readonly number[]);
  const a = splitLinesKeepEol(before);
  const b = splitLinesKeepEol(after);
  const out: string[] = [];
  let pos = 0; // next unconsumed line of `before`
  ranges.forEach((r, i) => {
    out.push(...a.slice(pos, r.oldStart));
    out.push(...(acc.has(i) ? b.slice(r.newStart, r.newStart + r.newLines) : a.slice(r.oldStart, r.oldStart + r.oldLines)));
    pos = r.oldStart + r.oldLines;
  });
  out.push(...a.slice(pos));
  return out.join('');
}
