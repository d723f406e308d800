// "Explain how this project is organised": list the files, then read the README and the manifest and grep for
// what the code exports (three read-only calls, run in parallel), then an overview built from those results.
import { lastCalls, type Task, type ToolCall } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { fileLines, grepHits, listEntries, outcome } from '../results';
import { answer, call, code, plural, step } from '../say';

const EXPORT_PATTERN = '^export (async )?(function|const|class) ';
const MANIFESTS = ['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod', 'pom.xml'];

export const explain: Intent = {
  id: 'explain',
  tryThis: 'Explain how this project is organised',
  shows: 'reading and searching: `list_files`, then `read_file` and `grep` in parallel, and an answer built from what they returned',
  tools: ['list_files', 'read_file', 'grep'],
  matches: (t) => hasWord(t, 'explain', 'organi*', 'overview', 'structure*', 'architecture', 'describe', 'understand', 'summari*', 'what does', 'how does', 'read', 'reading', 'look around'),
  next(task) {
    const calls = lastCalls(task);
    if (task.steps.length === 0) {
      return step(task, 'Let me look around, starting with the files.', [call('list_files', { path: '.', depth: 2 })]);
    }
    if (calls[0]?.name === 'list_files') return readAround(task, calls[0]);
    return overview(task);
  },
};

function readAround(task: Task, list: ToolCall) {
  if (outcome(list) !== 'ran' || list.result?.isError) return answer(`I could not list the workspace: ${list.result?.text ?? 'no result'}`);
  const entries = listEntries(list.result?.text ?? '');
  if (entries.length === 0) return answer('The workspace is empty, so there is nothing to explain yet. Add some files, or open the sample workspace that `npm start` creates.');
  const readme = entries.find((e) => /^readme(\.\w+)?$/i.test(e));
  const manifest = MANIFESTS.find((m) => entries.includes(m));
  const reads = [readme, manifest].filter((p): p is string => p !== undefined);
  const what = reads.length ? `I'll read ${reads.map(code).join(' and ')}` : 'There is no README or manifest at the top, so I\'ll go by the code';
  return step(task, `${plural(entries.length, 'entry', 'entries')} in the first two levels. ${what}, and search for what the code exports.`,
    [...reads.map((p) => call('read_file', { path: p })), call('grep', { pattern: EXPORT_PATTERN })]);
}

function overview(task: Task) {
  const all = task.steps.flatMap((s) => s.calls);
  const entries = listEntries(all.find((c) => c.name === 'list_files')?.result?.text ?? '');
  const reads = all.filter((c) => c.name === 'read_file' && outcome(c) === 'ran' && !c.result?.isError);
  const grep = all.find((c) => c.name === 'grep');
  const lines: string[] = ['Here is how this workspace is organised, from what the tools returned:', ''];

  const folders = entries.filter((e) => e.endsWith('/') && !e.slice(0, -1).includes('/'));
  const files = entries.filter((e) => !e.endsWith('/'));
  for (const f of folders) {
    const inside = files.filter((x) => x.startsWith(f)).map((x) => x.slice(f.length));
    if (f === '.agent/') lines.push(`- ${code(f)}: Cairn's own folder (memory, sessions, settings)`);
    else lines.push(`- ${code(f)}: ${inside.length ? inside.map(code).join(', ') : 'no files in the first level'}`);
  }
  const top = files.filter((x) => !x.includes('/'));
  if (top.length) lines.push(`- at the top: ${top.map(code).join(', ')}`);

  for (const r of reads) {
    const path = String(r.input.path ?? '');
    const text = fileLines(r.result?.text ?? '');
    if (/^readme/i.test(path)) {
      const intro = text.find((l) => l.trim() !== '' && !l.startsWith('#'));
      if (intro) lines.push(`- ${code(path)} says: “${intro.trim()}”`);
    } else if (path === 'package.json') {
      try {
        const pkg = JSON.parse(text.join('\n')) as { name?: string; scripts?: Record<string, string> };
        const scripts = Object.entries(pkg.scripts ?? {}).map(([k, v]) => `${code(`npm ${k === 'test' ? 'test' : `run ${k}`}`)} runs ${code(v)}`);
        lines.push(`- ${code(path)}: the package ${code(pkg.name ?? '(unnamed)')}${scripts.length ? `; ${scripts.join('; ')}` : ', with no scripts'}`);
      } catch {
        lines.push(`- ${code(path)} is not valid JSON, so I left it out`);
      }
    } else lines.push(`- ${code(path)}: ${plural(text.length, 'line')}`);
  }

  const hits = grepHits(grep?.result?.text ?? '');
  const byFile = new Map<string, string[]>();
  for (const h of hits) {
    const name = /^export (?:async )?(?:function|const|class) (\w+)/.exec(h.text)?.[1];
    if (name) byFile.set(h.file, [...(byFile.get(h.file) ?? []), name]);
  }
  if (byFile.size) lines.push(`- what the code exports (grep ${code(EXPORT_PATTERN)}): ${[...byFile].map(([f, ns]) => `${ns.map(code).join(', ')} in ${code(f)}`).join('; ')}`);

  const readme = reads.find((r) => /^readme/i.test(String(r.input.path ?? '')));
  const main = [...byFile].filter(([f]) => !/(^|\/)(test|tests|__tests__)\//.test(f) && !/\.test\./.test(f)).sort((a, b) => b[1].length - a[1].length)[0]?.[0];
  const tests = folders.find((f) => /^(test|tests|__tests__)\/$/.test(f));
  const path = [readme ? code(String(readme.input.path)) : undefined, main ? code(main) : undefined, tests ? `its tests in ${code(tests)}` : undefined].filter(Boolean);
  lines.push('', path.length ? `**Where to start reading:** ${path.join(', then ')}. (The script's rule of thumb: the README, then the source file with the most exports, then the tests.)` : 'I found nothing that looks like a place to start.');
  return answer(lines.join('\n'));
}
