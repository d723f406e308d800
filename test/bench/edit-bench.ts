/**
 * Edit benchmark: apply latency on a 10,000-line file (exact, multi-block and whitespace-tolerant edits) and the
 * corpus pass rate. Run: node --import tsx test/bench/edit-bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits } from '../../extension/core/tools/edit-engine';
import { editFileTool } from '../../extension/core/tools/edit-file';
import { readFileTool } from '../../extension/core/tools/read-file';
import { createReadLedger } from '../../extension/core/tools/fsutil';
import type { ToolContext } from '../../extension/core/tools/types';
// @ts-expect-error plain JS module shared with the corpus generator
import { diskLines, render, sha } from '../fixtures/edits/corpus.mjs';

const here = __dirname;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

const lines = Array.from({ length: 10_000 }, (_, i) => (i % 50 === 0 ? `function f${i}(a, b) {` : i % 50 === 49 ? '}' : `  const v${i} = compute(a, b, ${i}); // step ${i}`));
const text = lines.join('\n') + '\n';
const times: number[] = [];
const fuzzy: number[] = [];
for (let k = 0; k < 300; k++) {
  const i = 1 + Math.floor((k * 7919) % 9900);
  const a = lines[i] ?? '';
  const b = lines[i + 1] ?? '';
  const t0 = performance.now();
  const r = applyEdits(text, k % 3 === 0
    ? [{ oldText: `${a}\n${b}`, newText: `${a}\n${b} // x` }]
    : [{ oldText: a, newText: a + ' // x' }, { oldText: lines[(i + 3000) % 9990] ?? '', newText: 'changed();' }]);
  times.push(performance.now() - t0);
  if (!r.ok && !r.failures.every((f) => f.kind === 'not-unique' || f.kind === 'overlap')) throw new Error(JSON.stringify(r.failures));
  const t1 = performance.now();
  applyEdits(text, [{ oldText: `${a.trim()}   \n${b.trim()}`, newText: `${a.trim()}\n${b.trim()} // y` }]);
  fuzzy.push(performance.now() - t1);
}
console.log(`edit_apply_p95_ms: ${p95(times).toFixed(3)}`);
console.log(`edit_apply_fuzzy_p95_ms: ${p95(fuzzy).toFixed(3)}`);

async function corpus(): Promise<void> {
const manifest = JSON.parse(fs.readFileSync(path.join(here, '../fixtures/edits/manifest.json'), 'utf8')) as { cases: Array<Record<string, unknown> & { id: string; file: string; fmt: unknown; expect: string; expectedSha?: string; envelope?: string; blocks?: Array<{ old: string; new: string }> }> };
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-')));
let pass = 0;
try {
  for (const c of manifest.cases) {
    const input: Buffer = render(diskLines(c), c.fmt);
    const file = path.join(root, c.id + path.extname(c.file));
    fs.writeFileSync(file, input);
    const ctx: ToolContext = { workspaceRoot: root, sessionDir: root, sessionId: 'b', toolUseId: 't', signal: new AbortController().signal, ports: { workspaceTrusted: true }, reads: createReadLedger() };
    await readFileTool.execute({ path: file }, ctx);
    const res = await editFileTool.execute(c.envelope !== undefined ? { path: file, blocks: c.envelope } : { path: file, edits: (c.blocks ?? []).map((b) => ({ old_text: b.old, new_text: b.new })) }, ctx);
    const after = fs.readFileSync(file);
    if (c.expect === 'applied' ? !res.isError && sha(after) === c.expectedSha : !!res.isError && after.equals(input)) pass++;
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`edit_corpus_cases: ${manifest.cases.length}`);
console.log(`edit_corpus_pass: ${(pass / manifest.cases.length).toFixed(3)}`);
}

void corpus();
