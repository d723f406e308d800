/* global document */
// Synthetic sessions for the visual check: every kind of block, card and status the chat panel shows.
const CODE = `export function parse(input: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '"') out.push({ kind: 'string', at: i, text: input.slice(i, input.indexOf('"', i + 1)) });
  }
  return out;
}`;

const tool = (id, name, input, status, extra = {}) => ({ type: 'tool_use', id, name, inputJson: JSON.stringify(input), status, ...extra });

const todo = tool('t-todo', 'todo', { todos: [
  { content: 'Find where escaped quotes are dropped', status: 'completed' },
  { content: 'Fix parse() and report unterminated strings', status: 'in_progress' },
  { content: 'Run the parser tests', status: 'pending' },
] }, 'done', { output: 'Updated 3 tasks.', durationMs: 3 });

const messages = [
  { id: 'u1', role: 'user', status: 'complete', blocks: [{ type: 'attachment', kind: 'file', label: 'parser.ts' }, { type: 'text', text: 'The parser drops escaped quotes in src/parser.ts. Can you fix it and add a test?' }] },
  { id: 'a1', role: 'assistant', status: 'complete', blocks: [
    { type: 'text', text: "I'll look at **src/parser.ts** first. The bug is in `parse`:\n\n- it skips escaped quotes\n- it never checks the end of input\n\n```ts\n" + CODE + '\n```\n\nThen I will run `npm test -- parser`.' },
    todo,
    tool('t1', 'read_file', { path: 'src/parser.ts' }, 'done', { output: CODE, durationMs: 12 }),
    tool('t2', 'grep', { pattern: 'parse\\(', path: 'src' }, 'error', { output: 'grep: src/generated: No such file or directory', durationMs: 240 }),
    tool('t3', 'run_command', { command: 'npm test -- --run test/unit/parser.test.ts --reporter=verbose' }, 'interrupted', { durationMs: 31_400 }),
    tool('t4', 'edit_file', { path: 'src/very/long/directory/name/parser-implementation.ts', old_string: 'const x', new_string: 'const tokens' }, 'running'),
    tool('t5', 'list_files', { path: 'test/unit' }, 'validating'),
  ] },
];

const usage = { inputTokens: 1840, outputTokens: 9312, cacheReadTokens: 88_112, cacheWriteTokens: 2_100 };
const todoItems = [
  { content: 'Find where escaped quotes are dropped', status: 'completed' },
  { content: 'Fix parse() and report unterminated strings', status: 'in_progress' },
  { content: 'Run the parser tests', status: 'pending' },
];
const approval = (request) => ({ kind: 'approval', request });
const reviewing = (request) => ({ kind: 'review', request });

const base = {
  todo: todoItems,
  sessionId: 'visual', title: 'Fix escaped quotes in the parser and add a regression test', messages, turn: 'idle', lastError: null,
  auth: { status: 'ready', source: 'secret', demoAvailable: false }, model: 'claude-sonnet-4-5', mode: 'ask',
  usage, costUsd: 0.4213, context: { tokens: 92_000, window: 200_000, compactAt: 160_000 }, seq: 1,
};

const review = {
  id: 'r1', path: 'src/very/long/directory/name/parser-implementation.ts', tool: 'edit_file', isNew: false,
  hunks: [
    { index: 0, header: '@@ -10,6 +10,7 @@ export function parse(input: string): Token[] {', lines: [
      '   const out: Token[] = [];',
      '-  for (let i = 0; i < input.length; i++) {',
      '+  for (let i = 0; i < input.length; i += 1) {',
      '+    if (input[i] === "\\\\") { i += 1; continue; } // skip the escaped character entirely',
      '     if (input[i] === \'"\') out.push({ kind: \'string\', at: i });',
    ] },
    { index: 1, header: '@@ -40,3 +41,4 @@', lines: [
      '   return out;',
      '-}',
      '+  // unterminated strings are reported by the caller',
      '+}',
    ] },
  ],
};

export const SCENARIOS = {
  waiting: {
    ready: '[data-testid=approval]',
    snapshot: {
      ...base, turn: 'streaming',
      messages: [...messages.slice(0, 1), { ...messages[1], status: 'streaming' }],
      pendingDecisions: [
        approval({ id: 'p1', tool: 'run_command', summary: JSON.stringify({ command: 'touch approved-marker-mwpr23rr.txt && npm test -- --run' }), reason: 'touch needs approval' }),
        reviewing(review),
      ],
    },
    // No scrolling here: the decision's buttons must be in view by themselves (checked by shoot.mjs).
    decide: ['approve-button'],
  },
  review: {
    ready: '[data-testid=review-card]',
    snapshot: { ...base, turn: 'streaming', messages: [messages[0]], pendingDecisions: [reviewing(review)] },
    decide: ['review-apply', 'review-reject-all'],
  },
  reject: {
    ready: '[data-testid=approval]',
    snapshot: {
      ...base, turn: 'streaming', messages: [messages[0]],
      pendingDecisions: [approval({ id: 'p2', tool: 'web_fetch', summary: JSON.stringify({ url: 'https://example.com/docs/parser', max_bytes: 20000, headers: { accept: 'text/html' } }), reason: 'Fetching from the network needs approval' })],
    },
    async prepare(tab) {
      await tab.click('[data-testid=reject-button]');
    },
  },
  chat: {
    ready: '[data-testid=message]',
    snapshot: base,
    async prepare(tab) {
      await tab.evaluate(() => { const l = document.querySelector('[data-testid=message-list]'); if (l) l.scrollTop = 0; });
    },
  },
  expanded: {
    ready: '[data-testid=tool-card]',
    snapshot: base,
    async prepare(tab) {
      await tab.click('[data-tool=read_file] summary');
      await tab.click('[data-tool=grep] summary');
      await tab.evaluate(() => document.querySelector('[data-tool=read_file]')?.scrollIntoView({ block: 'start' }));
    },
  },
  chatend: {
    ready: '[data-testid=message]',
    snapshot: base,
  },
  empty: {
    ready: '[data-testid=empty-state]',
    snapshot: { ...base, title: '', messages: [], usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: undefined, context: undefined },
  },
};
