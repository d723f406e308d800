/**
 * The edit corpus (test/fixtures/edits): >= 300 cases from real files with perturbations E1-E5, E8, run through
 * the real edit_file tool on real files. Targets: 100% applied byte-exact, 0 wrong-place applies, 0 files changed
 * by a failed edit; an envelope whose last block lost its closing marker is refused and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editFileTool } from '../../../extension/core/tools/edit-file';
import { readFileTool } from '../../../extension/core/tools/read-file';
import { makeCtx, tempWorkspace } from './helpers';
// @ts-expect-error plain JS module shared with the generator
import { diskLines, render, sha } from '../../fixtures/edits/corpus.mjs';

interface Case { id: string; cls: string; file: string; transform: string; fmt: unknown; dup?: unknown; blocks?: Array<{ old: string; new: string }>; envelope?: string; expect: 'applied' | 'not-unique' | 'not-found' | 'malformed'; nearLine?: number; inputSha: string; expectedSha?: string }

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/edits/manifest.json'), 'utf8')) as { cases: Case[] };

export async function runCorpus(cases: Case[]) {
  const root = tempWorkspace('cairn-corpus-');
  const results: Array<{ c: Case; ok: boolean; why?: string }> = [];
  try {
    for (const c of cases) {
      const input: Buffer = render(diskLines(c), c.fmt);
      if (sha(input) !== c.inputSha) { results.push({ c, ok: false, why: 'fixture input changed (regenerate the manifest)' }); continue; }
      const file = path.join(root, `${c.id}${path.extname(c.file)}`);
      fs.writeFileSync(file, input);
      const ctx = makeCtx(root);
      await readFileTool.execute({ path: file }, ctx);
      const args = c.envelope !== undefined ? { path: file, blocks: c.envelope } : { path: file, edits: (c.blocks ?? []).map((b) => ({ old_text: b.old, new_text: b.new })) };
      const res = await editFileTool.execute(args, ctx);
      const after = fs.readFileSync(file);
      if (c.expect === 'applied') {
        const ok = !res.isError && sha(after) === c.expectedSha;
        results.push({ c, ok, why: ok ? undefined : res.isError ? `refused: ${res.content.slice(0, 300)}` : 'applied but not byte-exact (wrong place or mangled)' });
      } else {
        const unchanged = after.equals(input);
        const kindOk = c.expect === 'not-unique' ? /not unique/.test(res.content) : c.expect === 'malformed' ? /not closed/.test(res.content) : /not found/.test(res.content);
        const near = c.nearLine === undefined || new RegExp(`lines (\\d+)-`).test(res.content) && Math.abs(Number(/lines (\d+)-/.exec(res.content)?.[1]) - c.nearLine) <= 3;
        results.push({ c, ok: !!res.isError && unchanged && kindOk && near, why: !unchanged ? 'FILE CHANGED BY A FAILED EDIT' : !kindOk ? `wrong error: ${res.content.slice(0, 200)}` : !near ? `closest match not near line ${c.nearLine}: ${res.content.slice(0, 200)}` : undefined });
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return results;
}

describe('edit corpus', () => {
  it('has at least 300 cases covering E1-E5 and E8', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(300);
    const classes = new Set(manifest.cases.map((c) => c.cls.split('-')[0]));
    for (const k of ['E1', 'E2', 'E3', 'E4', 'E5', 'E8']) expect(classes).toContain(k);
  });

  it('applies 100% byte-exact, 0 wrong-place applies, 0 files changed by failed edits', async () => {
    const results = await runCorpus(manifest.cases);
    const failed = results.filter((r) => !r.ok);
    const report = failed.slice(0, 15).map((r) => `${r.c.id} (${r.c.file}): ${r.why}`).join('\n');
    expect(failed.length, report).toBe(0);
    expect(results.filter((r) => r.why === 'FILE CHANGED BY A FAILED EDIT').length).toBe(0);
  });
});
