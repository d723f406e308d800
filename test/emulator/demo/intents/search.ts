// "Find the TODO comments": grep, read the files that matched (in parallel), then list the hits with the function
// each sits in, and (for TODOs) suggest one to tackle first by a stated rule of thumb.
import { lastCalls, type Task } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { fileLines, grepHits, outcome, type GrepHit } from '../results';
import { answer, call, code, plural, step } from '../say';

const TODO_PATTERN = 'TODO|FIXME';
const MAX_LISTED = 12;

export const search: Intent = {
  id: 'search',
  tryThis: 'Find the TODO comments',
  shows: 'searching: `grep`, then `read_file` on the files that matched',
  tools: ['grep', 'read_file'],
  matches: (t) => hasWord(t, 'find', 'search*', 'grep', 'todo*', 'fixme*', 'where is', 'where are', 'look for', 'occurrence*', 'usages'),
  next(task) {
    if (task.steps.length === 0) {
      const pattern = patternFor(task.typed);
      return step(task, `Searching the workspace for ${code(`/${pattern}/`)} with grep.`, [call('grep', { pattern })]);
    }
    const last = lastCalls(task);
    if (last[0]?.name === 'grep') return readHits(task);
    return report(task);
  },
};

/** TODO|FIXME when asked about them; else a quoted or backticked term; else the word after "find"/"search for". */
export function patternFor(typed: string): string {
  if (hasWord(typed, 'todo*', 'fixme*')) return TODO_PATTERN;
  const quoted = /[`"“']([^`"”']{2,60})[`"”']/.exec(typed)?.[1];
  if (quoted) return quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const after = /\b(?:find|search(?:\s+for)?|grep(?:\s+for)?|look\s+for|where\s+(?:is|are))\s+(?:all\s+)?(?:the\s+)?(?:uses\s+of\s+|usages\s+of\s+|occurrences\s+of\s+)?([A-Za-z_$][\w$.-]*)/i.exec(typed)?.[1];
  return after && !/^(comments?|files?|code|it|them)$/i.test(after) ? after.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : TODO_PATTERN;
}

function readHits(task: Task) {
  const grep = lastCalls(task)[0]!;
  const pattern = String(grep.input.pattern ?? '');
  if (outcome(grep) !== 'ran' || grep.result?.isError) return answer(`The search failed: ${grep.result?.text ?? 'no result'}`);
  const hits = grepHits(grep.result?.text ?? '');
  if (hits.length === 0) return answer(`No matches for ${code(`/${pattern}/`)} in this workspace.${pattern === TODO_PATTERN ? ' No TODO or FIXME comments: nothing left for later.' : ''}`);
  const files = [...new Set(hits.map((h) => h.file))];
  const read = files.slice(0, 3);
  return step(task, `${plural(hits.length, 'match', 'matches')} in ${plural(files.length, 'file')}. Let me read ${read.map(code).join(' and ')} for the context around them.`,
    read.map((path) => call('read_file', { path })));
}

/** The function a line belongs to, or sits just above (a comment before a declaration). */
function enclosing(lines: string[], line: number): string | undefined {
  const decl = (l: string) => /^\s*(?:export\s+)?(?:async\s+)?(?:function\s+(\w+)|(?:const|let)\s+(\w+)\s*=|class\s+(\w+))/.exec(l);
  for (let i = line - 1; i < Math.min(lines.length, line + 4); i++) {
    const m = decl(lines[i] ?? '');
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  for (let i = line - 2; i >= 0; i--) {
    const m = decl(lines[i] ?? '');
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

function report(task: Task) {
  const all = task.steps.flatMap((s) => s.calls);
  const grep = all.find((c) => c.name === 'grep');
  const pattern = String(grep?.input.pattern ?? '');
  const hits = grepHits(grep?.result?.text ?? '');
  const files = new Map(all.filter((c) => c.name === 'read_file' && !c.result?.isError).map((c) => [String(c.input.path), fileLines(c.result?.text ?? '')]));
  const where = (h: GrepHit) => {
    const fn = files.has(h.file) ? enclosing(files.get(h.file)!, h.line) : undefined;
    return fn ? ` (at ${code(`${fn}()`)})` : '';
  };
  const lines = [`${plural(hits.length, 'match', 'matches')} for ${code(`/${pattern}/`)}:`, ''];
  for (const h of hits.slice(0, MAX_LISTED)) lines.push(`- ${code(`${h.file}:${h.line}`)}${where(h)}: ${h.text.replace(/^(\/\/|#|\*|\/\*+)\s*/, '')}`);
  if (hits.length > MAX_LISTED) lines.push(`- … and ${hits.length - MAX_LISTED} more`);
  if (pattern === TODO_PATTERN) {
    const risky = (h: GrepHit) => /reject|validat|negative|wrong|bug|crash|error|invalid/i.test(h.text);
    const first = hits.find((h) => !/(^|\/)tests?\//.test(h.file) && risky(h)) ?? hits[0]!;
    lines.push('', `**Tackle first:** ${code(`${first.file}:${first.line}`)}${where(first)}. ${risky(first) ? 'It is about wrong results on bad input, which users hit before they miss a feature' : 'It is the first one, and none of them is about wrong results'}. (The script's rule of thumb: correctness before features.)`);
  }
  return answer(lines.join('\n'));
}
