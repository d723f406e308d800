// The full task, "Run the tests and fix whatever fails": run the tests (approval), read the failing test and the
// code it checks, propose the fix (per-hunk review), run the tests again (approval), remember how the tests run
// (memory_write citing the passing run), then sum up. Every branch reads the real results: a declined command, a
// rejected fix, tests that already pass, a failure the script does not know, a fix only partly accepted.
import { callsOf, lastCalls, type Task, type ToolCall } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { commandResult, fileLines, outcome, testSummary, type TestSummary } from '../results';
import { CART_FIX } from '../sample';
import { answer, call, code, plural, step, TEST_COMMAND } from '../say';
import { reportRun } from './run';

export const fix: Intent = {
  id: 'fix',
  tryThis: 'Run the tests and fix whatever fails',
  shows: 'the full task: all of the above in one go (command, reading, a reviewed fix, verification, a memory)',
  tools: ['run_command', 'read_file', 'edit_file'],
  matches: (t) => (hasWord(t, 'fix*', 'repair*', 'debug*', 'solve') && hasWord(t, 'test*', 'fail*', 'bug*', 'broken')) || hasWord(t, 'full task', 'full tour', 'whole tour', 'everything'),
  next(task) {
    if (task.steps.length === 0) {
      return step(task, `I'll run the tests first to see what fails: ${code(TEST_COMMAND)}. In ask mode Cairn asks for your approval before running it.`,
        [call('run_command', { command: TEST_COMMAND })]);
    }
    const last = lastCalls(task)[0];
    const runs = callsOf(task, 'run_command');
    switch (last?.name) {
      case 'run_command': return runs.length === 1 ? afterFirstRun(task, last) : afterSecondRun(task, last);
      case 'read_file': return afterReading(task);
      case 'edit_file': return afterEdit(task, last);
      case 'memory_write': return summary(task, last);
      default: return answer('I lost track of the script here; send the request again to start over.');
    }
  },
};

function summaryOf(run: ToolCall): { exitCode: number | null; s: TestSummary } {
  const r = commandResult(run.result?.text ?? '');
  return { exitCode: r.exitCode, s: testSummary(r.output) };
}

function afterFirstRun(task: Task, run: ToolCall) {
  if (outcome(run) !== 'ran') return answer(`${reportRun(run).join('\n')} Nothing changed. Send the request again and approve the command to go on with the tour.`);
  const { exitCode, s } = summaryOf(run);
  if (exitCode === 0) {
    return answer(`${code(TEST_COMMAND)} passed: ${s.tests !== undefined ? `all ${plural(s.tests, 'test')} pass` : 'exit code 0'}, so there is nothing to fix. ` +
      `(In the sample workspace one test fails until the tour fixes it; if you ran the tour before, its fix is already in ${code(CART_FIX.source)}.)`);
  }
  if (!s.failing.includes(CART_FIX.test)) {
    return answer(`${reportRun(run).join('\n')}\n\nThe script knows only the sample workspace's failing test (“${CART_FIX.test}”), so it stops here. Claude would read the failing code and propose a fix.`);
  }
  const where = s.locations.find((l) => l.startsWith(CART_FIX.testFile)) ?? CART_FIX.testFile;
  return step(task, `${s.fail ?? s.failing.length} of ${plural(s.tests ?? s.failing.length, 'test')} failed: “${CART_FIX.test}” at ${code(where)}${s.assertion ? `, ${code(s.assertion)}` : ''}. Let me read the test and the code it checks.`,
    [call('read_file', { path: CART_FIX.testFile }), call('read_file', { path: CART_FIX.source })]);
}

function afterReading(task: Task) {
  const reads = lastCalls(task);
  const src = reads.find((c) => c.input.path === CART_FIX.source);
  if (!src || outcome(src) !== 'ran' || src.result?.isError) return answer(`I could not read ${code(CART_FIX.source)}: ${src?.result?.text ?? 'no result'}`);
  const lines = fileLines(src.result?.text ?? '');
  const at = lines.findIndex((l) => l.includes(CART_FIX.oldText));
  if (at < 0) return answer(`${code(CART_FIX.source)} no longer has the line the script fixes (${code(CART_FIX.oldText)}), so the script stops here. Claude would work out the fix from the code as it is.`);
  // The assertion of the failing test: the first one from the line the runner named.
  const test = fileLines(reads.find((c) => c.input.path === CART_FIX.testFile)?.result?.text ?? '');
  const first = callsOf(task, 'run_command')[0];
  const from = Number(/:(\d+)$/.exec((first ? summaryOf(first).s.locations : []).find((l) => l.startsWith(CART_FIX.testFile)) ?? '')?.[1] ?? 1);
  const expect = test.slice(from - 1).find((l) => /\bassert\b/.test(l))?.trim();
  return step(task, `Found it: line ${at + 1} of ${code(CART_FIX.source)} (${code(CART_FIX.oldText)}) ${CART_FIX.why}.${expect ? ` The test expects ${code(expect)}.` : ''} ` +
    'I\'ll propose the fix; in ask mode it arrives as a diff you review hunk by hunk, and nothing is written before you apply it.',
  [call('edit_file', { path: CART_FIX.source, edits: [{ old_text: CART_FIX.oldText, new_text: CART_FIX.newText }] })]);
}

function afterEdit(task: Task, ed: ToolCall) {
  const res = ed.result?.text ?? '';
  if (outcome(ed) === 'declined' || /^The user (rejected|accepted none)/.test(res)) return answer(`You rejected the fix, so ${code(CART_FIX.source)} is unchanged and “${CART_FIX.test}” still fails. Ask again to see the fix once more.`);
  if (ed.result?.isError) return answer(`The fix did not apply: ${res}`);
  return step(task, 'The fix is written. Now I run the tests again: a change is done only when it is verified.', [call('run_command', { command: TEST_COMMAND })]);
}

function afterSecondRun(task: Task, run: ToolCall) {
  if (outcome(run) !== 'ran') return answer(`The fix is in ${code(CART_FIX.source)}, but you declined the second test run, so it is not verified. Run ${code(TEST_COMMAND)} yourself, or ask me to "Run the tests".`);
  const { exitCode, s } = summaryOf(run);
  if (exitCode !== 0) return answer(`${reportRun(run).join('\n')}\n\nStill failing. If you accepted only part of the fix, the file has only that part; the header's undo button puts it back.`);
  const count = s.tests !== undefined ? `all ${plural(s.tests, 'test')} pass` : 'the tests pass';
  if (!task.tools.has('memory_write')) return summary(task, undefined);
  return step(task, `Now ${count}. I'll remember how this project's tests run, citing this passing run as evidence (memory records only outcomes that succeeded).`, [
    call('memory_write', {
      slug: 'sample-tests',
      name: 'How the tests run',
      description: `${TEST_COMMAND} runs the workspace's tests with Node's built-in test runner`,
      type: 'project',
      hook: `${TEST_COMMAND}: Node test runner`,
      content: `${code(TEST_COMMAND)} runs this workspace's tests with Node's built-in test runner (nothing to install).\n\n` +
        `**Why:** verified in a session: after the fix to total() in ${CART_FIX.source}, ${count}.\n\n**How to apply:** run ${code(TEST_COMMAND)} after changing src/, before calling a task done.`,
      origin: 'agent',
      evidence: [run.id],
    }),
  ]);
}

function summary(task: Task, mem: ToolCall | undefined) {
  const runs = callsOf(task, 'run_command');
  const first = runs[0] ? summaryOf(runs[0]).s : undefined;
  const final = runs[1] ? summaryOf(runs[1]).s : undefined;
  const edit = callsOf(task, 'edit_file')[0]?.result?.text.split('\n')[0] ?? '';
  const partial = /The user changed your proposed edit/.test(callsOf(task, 'edit_file')[0]?.result?.text ?? '');
  const res = mem?.result?.text ?? '';
  const memLine = !mem ? 'no memory tool in this request, so nothing was remembered.'
    : /^Held for the user's review/.test(res) ? 'the note “How the tests run” is **waiting for your review** in the memory view (the database icon in the header): this task read command output, so Cairn holds its memory writes until you approve them.'
      : mem.result?.isError || outcome(mem) !== 'ran' ? `not saved (${res.split('\n')[0]}).`
        : `${res.split('\n')[0]} New sessions start with its index line.`;
  return answer([
    'Done. What happened:',
    '',
    `1. **Ran** ${code(TEST_COMMAND)}: ${first?.fail ?? 1} of ${plural(first?.tests ?? 1, 'test')} failed (“${CART_FIX.test}”).`,
    `2. **Read** ${code(CART_FIX.testFile)} and ${code(CART_FIX.source)}: total() ${CART_FIX.why}.`,
    `3. **Fixed** it: ${edit}${partial ? ' (you accepted part of the proposal)' : ''}`,
    `4. **Verified**: ${final?.tests !== undefined ? `all ${plural(final.tests, 'test')} pass` : 'the tests pass'}.`,
    `5. **Memory**: ${memLine}`,
  ].join('\n'));
}
