// "Run the tests": one run_command (in ask mode Cairn asks first), then a report of what the command printed.
import { lastCalls, type ToolCall } from '../conversation';
import { hasWord, type Intent } from '../intent';
import { commandResult, outcome, tail, testSummary } from '../results';
import { answer, call, code, plural, step, TEST_COMMAND } from '../say';

export const run: Intent = {
  id: 'run',
  tryThis: 'Run the tests',
  shows: 'a command: `run_command`, which asks for your approval first in ask mode, then a report of its output',
  tools: ['run_command'],
  matches: (t) => hasWord(t, 'run', 'running', 'execute', 'exec', 'npm', 'command', 'test', 'tests', 'build', 'lint'),
  next(task) {
    if (task.steps.length === 0) {
      const command = commandFor(task.typed);
      return step(task, `I'll run ${code(command)}. Cairn asks for your approval before any command it does not know to be read-only.`, [call('run_command', { command })]);
    }
    const ran = lastCalls(task).find((c) => c.name === 'run_command');
    return answer(reportRun(ran).join('\n'));
  },
};

/** A command in backticks, else the tests. */
export function commandFor(typed: string): string {
  return /`([^`\n]{1,200})`/.exec(typed)?.[1]?.trim() || TEST_COMMAND;
}

/** What a run_command call did, in a few lines (shared with the full task). */
export function reportRun(ran: ToolCall | undefined): string[] {
  const command = String(ran?.input.command ?? '');
  if (outcome(ran) === 'declined') return [`You declined ${code(command)}, so nothing ran. (${ran?.result?.text.split('\n')[0]})`];
  if (outcome(ran) === 'missing') return ['The command has no result, so I cannot say what it did.'];
  const { exitCode, output } = commandResult(ran?.result?.text ?? '');
  if (exitCode === null) return [`${code(command)} did not finish normally: ${ran?.result?.text.split('\n')[0]}`];
  const s = testSummary(output);
  const lines = [`${code(command)} exited with code ${exitCode}.`];
  if (s.tests !== undefined) {
    lines.push(`${plural(s.tests, 'test')}: ${s.pass ?? 0} passed, ${s.fail ?? 0} failed.`);
    if (s.failing.length) lines.push('', 'Failing:', ...s.failing.map((f, i) => `- ${f}${i === 0 && s.assertion ? ` (${code(s.assertion)})` : ''}`), '', 'Ask me to "Run the tests and fix whatever fails" to see the whole task: find the bug, fix it after your review, verify, remember.');
  } else {
    lines.push('', 'The last lines it printed:', '', '```', ...tail(output, 6), '```');
  }
  return lines;
}
