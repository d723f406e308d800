// The offline demo's intent matching (test/emulator/demo): which request starts which part of the tour, the
// fallback, the small parsers that pick a search pattern, a command, a path or a fact out of what the user typed,
// and the readers of tool results.
import { describe, expect, it } from 'vitest';
import { INTENTS, matchIntent } from '../../emulator/demo';
import { HELP_ORDER } from '../../emulator/demo/tour';
import { pathIn } from '../../emulator/demo/intents/edit';
import { factIn } from '../../emulator/demo/intents/memory';
import { commandFor } from '../../emulator/demo/intents/run';
import { patternFor } from '../../emulator/demo/intents/search';
import { COLLAPSE_SYSTEM, NOTES_INSTRUCTION, summaryInstruction } from '../../../extension/core/compaction/prompts';
import { contextReply, contextRequest } from '../../emulator/demo/context';
import { fileLines, grepHits, testSummary } from '../../emulator/demo/results';
import { EXAMPLE_PROMPTS } from '../../../webview/src/features/chat/examples';

const intentOf = (typed: string) => matchIntent(typed)?.id;

describe('intent matching', () => {
  it('every example prompt of an empty session starts a part of the tour', () => {
    expect(EXAMPLE_PROMPTS.map((e) => intentOf(e.text))).toEqual(['explain', 'fix', 'search']);
  });

  it('what the fallback tells the user to try starts that very intent, and it lists every intent once', () => {
    for (const i of INTENTS) expect(intentOf(i.tryThis), i.tryThis).toBe(i.id);
    expect([...HELP_ORDER].sort()).toEqual(INTENTS.map((i) => i.id).sort());
  });

  it.each([
    ['Run the tests and fix whatever fails.', 'fix'],
    ['The build is broken, can you fix the failing test?', 'fix'],
    ['show me the full tour', 'fix'],
    ['Remember that I prefer tabs over spaces', 'memory'],
    ['What is in your memory?', 'memory'],
    ['run the tests', 'run'],
    ['please run `ls -la`', 'run'],
    ['npm test', 'run'],
    ['Change src/greet.js so it handles blank names', 'edit'],
    ['refactor the greeting', 'edit'],
    ['fix the typo in the README', 'edit'],
    ['Find the TODO comments and suggest which to tackle first.', 'search'],
    ['search for farewell', 'search'],
    ['where is subtotal defined?', 'search'],
    ['Explain how this project is organised and where to start reading.', 'explain'],
    ['What does src/cart.js do?', 'explain'],
    ['give me an overview', 'explain'],
    // "Fix with Cairn" on a diagnostic: an edit of the file it names, not the test-running full task.
    ['Fix this problem in `src/greet.js` lines 4-6\n\nProblems reported by the editor:\n- error: name is possibly undefined', 'edit'],
  ])('%s -> %s', (typed, id) => {
    expect(intentOf(typed)).toBe(id);
  });

  it.each(['hi', 'hello there', 'what is the capital of France?', '', '42'])('"%s" matches nothing: the tour lists what to try', (typed) => {
    expect(matchIntent(typed)).toBeUndefined();
  });

  it('keywords match whole words only ("rerun" is not "run", "address" is not "add")', () => {
    expect(intentOf('the address book')).toBeUndefined();
    expect(intentOf('a rerunnable thing')).toBeUndefined();
  });
});

describe('what the intents pick out of the request', () => {
  it('search: TODOs, a quoted term, or the word after "find"', () => {
    expect(patternFor('Find the TODO comments')).toBe('TODO|FIXME');
    expect(patternFor('search for "total("')).toBe('total\\(');
    expect(patternFor('where is subtotal defined?')).toBe('subtotal');
    expect(patternFor('find all usages of greet')).toBe('greet');
    expect(patternFor('find the comments')).toBe('TODO|FIXME');
  });

  it('run: a command in backticks, else the tests', () => {
    expect(commandFor('please run `ls -la src`')).toBe('ls -la src');
    expect(commandFor('run the tests')).toBe('npm test');
  });

  it('edit: a path the user named', () => {
    expect(pathIn('Change src/greet.js so it handles blank names')).toBe('src/greet.js');
    expect(pathIn('edit README.md.')).toBe('README.md');
    expect(pathIn('make greet handle a blank name')).toBeUndefined();
  });

  it('memory: what follows "remember (that)"', () => {
    expect(factIn('Remember that I prefer small commits')).toBe('I prefer small commits');
    expect(factIn('please remember: the staging port is 6543')).toBe('The staging port is 6543');
    expect(factIn('What do you remember?')).toBeUndefined();
    expect(factIn('show my memory')).toBeUndefined();
  });
});

describe('reading tool results', () => {
  it('read_file lines without their numbers; grep hits', () => {
    expect(fileLines(' 9\tfoo\n10\t  bar\n[Showing lines 9-10 of 20. Read more with offset=11.]')).toEqual(['foo', '  bar']);
    expect(grepHits('src/a.js:3: // TODO: x\nsrc/b.js:10: y: z')).toEqual([{ file: 'src/a.js', line: 3, text: '// TODO: x' }, { file: 'src/b.js', line: 10, text: 'y: z' }]);
  });

  it('a TAP run (the reporter Node 20 picks without a terminal) is read as well as a spec run', () => {
    const tap = 'TAP version 13\nok 1 - adds\nnot ok 2 - total applies a percentage discount\n  ---\n  ...\n1..2\n# tests 2\n# pass 1\n# fail 1\n';
    expect(testSummary(tap)).toMatchObject({ tests: 2, pass: 1, fail: 1, failing: ['total applies a percentage discount'] });
  });
});

describe('context management side requests are answered, not toured', () => {
  const conversation = [
    { role: 'user', content: [{ type: 'text', text: '# rules' }, { type: 'text', text: 'Make greet handle a blank name' }] },
    { role: 'assistant', content: [{ type: 'text', text: '[scripted demo] reading' }, { type: 'tool_use', id: 't1', name: 'edit_file', input: { path: 'src/greet.js' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'Edited src/greet.js: 2 replacements.' }] },
    { role: 'assistant', content: [{ type: 'text', text: '[scripted demo] Done.' }] },
  ];
  const withInstruction = (text: string) => ({ messages: [...conversation, { role: 'user', content: [{ type: 'text', text }] }] });

  it('recognises a summary, the notes and a collapse by their instructions; a plain request is none of them', () => {
    expect(contextRequest(withInstruction(summaryInstruction('keep the API decisions')))).toBe('summary');
    expect(contextRequest(withInstruction(NOTES_INSTRUCTION))).toBe('notes');
    expect(contextRequest({ system: [{ type: 'text', text: COLLAPSE_SYSTEM }], messages: [{ role: 'user', content: 'span' }] })).toBe('collapse');
    expect(contextRequest(withInstruction('Update the README'))).toBeUndefined();
  });

  it('answers with labelled text from the conversation: what the user asked (not the rules), what changed', () => {
    const summary = contextReply('summary', withInstruction(summaryInstruction()));
    expect(summary.content).toBeUndefined();
    expect(summary.text).toMatch(/^<summary>\n\[scripted demo\]/);
    expect(summary.text).toContain('6. All user messages:\n- Make greet handle a blank name\n');
    expect(summary.text).toContain('- src/greet.js was changed');
    expect(summary.text).not.toContain('# rules');
    expect(contextReply('notes', withInstruction(NOTES_INSTRUCTION)).text).toContain('## Files\n- src/greet.js (changed)');
    expect(contextReply('collapse', withInstruction('span')).text).toContain('Tool calls: edit_file src/greet.js. Changed: src/greet.js.');
  });
});
