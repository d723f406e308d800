// Dream consolidation on a messy memory (issue 15). Prints `name: value` lines for test/bench/run.mjs.
//
//   dream_duplicates_merged      40 topics: 25 distinct facts, 10 duplicates of 10 of them (another slug, other
//                                words), 5 facts the code now contradicts. Duplicates whose file is gone and whose
//                                fact survives in the kept topic
//   dream_contradictions_fixed   contradicted topics that now state what the code says (and not the old value)
//   dream_index_within_limits    MEMORY.md after the dream within 200 lines and 25 KB, every pointer to a topic
//   dream_recall_at_5            keyword queries for the 30 surviving facts (the 5 corrected ones with the code's
//                                value): the topic stating the fact ranks in the top 5 (terms matched, then slug)
//   dream_recall_change          that recall after minus before the dream (before: the fact in any of its copies)
//
// The real dream (gates, lock, snapshot, createAgent, guard, memory store) through the SDK and the emulator; the
// model's answers are scripted (what a good consolidation does: read, merge, check the code, fix).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory } from '../../extension/core/memory';
import { checkIndex, indexLine, parseIndex, serializeTopic } from '../../extension/core/memory/format';
import { createPermissionEngine } from '../../extension/core/permissions/engine';
import { createAnthropicProvider } from '../../extension/core/providers/anthropic';
import { DEFAULT_DREAM_SETTINGS } from '../../extension/core/scheduler/dream/gates';
import { runDream } from '../../extension/core/scheduler/dream/run';
import { startEmulator } from '../emulator';

const WORDS = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'jasper', 'kelp', 'lichen', 'marble', 'nectar', 'onyx', 'pebble', 'quartz', 'raven', 'saffron', 'tundra', 'umber', 'velvet', 'willow', 'xenon', 'yarrow', 'zephyr', 'acorn', 'birch', 'cedar', 'delta'];

interface Fact { slug: string; key: string; text: string; query: string; dupOf?: string; codeFile?: string; oldValue?: string; newValue?: string }

function facts(): { originals: Fact[]; dups: Fact[] } {
  const originals: Fact[] = WORDS.map((w, i) => {
    if (i >= 25) return { slug: `setting-${w}`, key: w, text: `The ${w} limit is set in src/${w}.ts to ${100 + i}.`, query: `${w} limit`, codeFile: `src/${w}.ts`, oldValue: String(100 + i), newValue: String(900 + i) };
    return { slug: `note-${w}`, key: w, text: `For the ${w} module, run the ${w} script before release (decided 2026-10-${10 + (i % 18)}).`, query: `${w} module release` };
  });
  const dups: Fact[] = originals.slice(0, 10).map((o) => ({ slug: `${o.slug}-again`, key: o.key, text: `Remember: ${o.key} module needs its ${o.key} script run before each release.`, query: o.query, dupOf: o.slug }));
  return { originals, dups };
}

function topicsOf(agentDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(join(agentDir, 'memory'))) out.set(f.slice(0, -3), readFileSync(join(agentDir, 'memory', f), 'utf8').toLowerCase());
  return out;
}

/** Topics ranked for a keyword query: most query terms present first, then by slug. */
function top5(topics: Map<string, string>, query: string): string[] {
  const terms = query.toLowerCase().split(/\s+/);
  return [...topics].map(([slug, text]) => ({ slug, score: terms.filter((t) => text.includes(t)).length }))
    .filter((x) => x.score > 0).sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug)).slice(0, 5).map((x) => x.slug);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'cairn-bench-dream-'));
  const agentDir = join(root, '.agent');
  mkdirSync(join(agentDir, 'memory'), { recursive: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  const { originals, dups } = facts();
  const all = [...originals, ...dups];
  const lines = ['# Memory', ''];
  for (const f of all) {
    writeFileSync(join(agentDir, 'memory', `${f.slug}.md`), serializeTopic({ slug: f.slug, name: f.slug.replace(/-/g, ' '), description: `${f.key} fact`, type: 'project', updated: '2026-10-20T10:00:00.000Z', source: 'agent', body: f.text }));
    const l = indexLine(f.slug, f.slug.replace(/-/g, ' '), `${f.key}`);
    if ('line' in l) lines.push(l.line);
  }
  writeFileSync(join(agentDir, 'MEMORY.md'), `${lines.join('\n')}\n`);
  for (const f of originals) if (f.codeFile) writeFileSync(join(root, f.codeFile), `export const ${f.key}Limit = ${f.newValue};\n`);

  // Recall before: a fact counts as found when any of its copies ranks in the top 5.
  const before = topicsOf(agentDir);
  const recallBefore = originals.filter((f) => top5(before, f.query).some((s) => s === f.slug || s === `${f.slug}-again`)).length / originals.length;

  // The scripted consolidation: per duplicate, merge into the original and delete the copy; per contradicted
  // fact, read the code and rewrite the memory with the code's value.
  const turns: Array<{ content: Array<{ type: 'tool_use'; name: string; input: Record<string, unknown> }> } | { text: string }> = [];
  turns.push({ content: [{ type: 'tool_use', name: 'memory_view', input: {} }] });
  for (const d of dups) {
    const o = originals.find((x) => x.slug === d.dupOf)!;
    turns.push({ content: [{ type: 'tool_use', name: 'memory_read', input: { slug: d.slug } }] });
    turns.push({ content: [
      { type: 'tool_use', name: 'dream_write', input: { slug: o.slug, name: o.slug.replace(/-/g, ' '), description: `${o.key} fact`, type: 'project', hook: o.key, content: `${o.text} Run it before each release.`, why: `merged the duplicate ${d.slug}` } },
      { type: 'tool_use', name: 'dream_delete', input: { slug: d.slug, why: `duplicate of ${o.slug} (merged there)` } },
    ] });
  }
  for (const o of originals.filter((x) => x.codeFile)) {
    turns.push({ content: [{ type: 'tool_use', name: 'read_file', input: { path: o.codeFile } }] });
    turns.push({ content: [{ type: 'tool_use', name: 'dream_write', input: { slug: o.slug, name: o.slug.replace(/-/g, ' '), description: `${o.key} fact`, type: 'project', hook: o.key, content: `The ${o.key} limit is set in ${o.codeFile} to ${o.newValue}.`, why: `contradicted by ${o.codeFile}: the value is ${o.newValue}` } }] });
  }
  turns.push({ text: 'Merged 10 duplicates, fixed 5 memories the code contradicted.' });
  const emu = await startEmulator({ port: 0, scenario: turns });
  const provider = createAnthropicProvider({ apiKey: 'bench', baseURL: emu.url });
  const memory = createMemory({ agentDir, workspaceRoot: root, search: { rgPath: null, workers: 1 } });
  const t0 = performance.now();
  const r = await runDream({
    agentDir, workspaceRoot: root, memory, provider: () => provider, model: () => ({ id: 'claude-haiku-4-5', maxTokens: 2048 }),
    settings: DEFAULT_DREAM_SETTINGS, permissions: createPermissionEngine({ workspaceRoot: root, trusted: true }), userIdle: () => true, force: true,
    limits: { maxTurns: 60, maxCostUsd: 2 },
  });
  const ms = performance.now() - t0;
  if (r.status !== 'done') throw new Error(`the dream did not finish: ${JSON.stringify(r)}`);
  const after = topicsOf(agentDir);
  const merged = dups.filter((d) => !after.has(d.slug) && (after.get(d.dupOf!) ?? '').includes('before each release')).length;
  const fixed = originals.filter((o) => o.codeFile && (after.get(o.slug) ?? '').includes(`to ${o.newValue}`) && !(after.get(o.slug) ?? '').includes(`to ${o.oldValue}`)).length;
  const index = readFileSync(join(agentDir, 'MEMORY.md'), 'utf8');
  const check = checkIndex(index);
  const pointers = parseIndex(index).entries;
  const within = check.ok && pointers.every((e) => after.has(e.slug)) && pointers.length === after.size;
  const recallAfter = originals.filter((f) => top5(after, f.codeFile ? `${f.key} limit ${f.newValue}` : f.query).includes(f.slug)).length / originals.length;
  console.log(`the dream made ${r.changes.length} changes, ${emu.requests.length} requests, $${r.costUsd.toFixed(4)}, ${ms.toFixed(0)} ms; topics ${all.length} -> ${after.size}`);
  console.log(`dream_duplicates_merged: ${merged}/${dups.length}`);
  console.log(`dream_contradictions_fixed: ${fixed}/5`);
  console.log(`dream_index_within_limits: ${within ? 1 : 0}/1 (${check.lines} lines, ${check.bytes} bytes)`);
  console.log(`dream_recall_at_5: ${recallAfter.toFixed(3)} (target >= 0.9)`);
  console.log(`dream_recall_change: ${(recallAfter - recallBefore).toFixed(3)} (target >= 0)`);
  memory.dispose();
  await emu.close();
  rmSync(root, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
