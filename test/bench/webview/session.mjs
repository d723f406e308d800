// A synthetic long session for the webview benchmark: user questions, assistant answers with Markdown,
// code blocks and diffs, and tool cards with outputs (a realistic mix, deterministic).

const CODE = `export function parse(input: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '"') out.push({ kind: 'string', at: i });
  }
  return out;
}`;
const DIFF = `@@ -1,4 +1,5 @@
 import { parse } from './parse';
-const x = parse(src);
+const tokens = parse(src);
+console.log(tokens.length);
 export default x;`;

function assistantText(i) {
  return `### Step ${i}\n\nI looked at **src/parser.ts** and the failing test. The issue is in \`parse\`:\n\n` +
    `- it skips escaped quotes\n- it never checks the end of input\n\n\`\`\`ts\n${CODE}\n\`\`\`\n\nThe change:\n\n\`\`\`diff\n${DIFF}\n\`\`\`\n\nRun the tests again with \`npm test\`.`;
}

export function syntheticMessages(count) {
  const messages = [];
  for (let i = 0; messages.length < count; i++) {
    messages.push({ id: `u${i}`, role: 'user', status: 'complete', blocks: [{ type: 'text', text: `Please fix problem number ${i} in the parser and explain the change.` }] });
    if (messages.length >= count) break;
    const blocks = [{ type: 'text', text: assistantText(i) }];
    if (i % 2 === 0) {
      blocks.push({ type: 'tool_use', id: `t${i}a`, name: 'read_file', inputJson: JSON.stringify({ path: `src/file${i}.ts` }), status: 'done', output: CODE, durationMs: 12 });
      blocks.push({ type: 'tool_use', id: `t${i}b`, name: 'edit_file', inputJson: JSON.stringify({ path: `src/file${i}.ts`, old_string: 'const x', new_string: 'const tokens' }), status: 'done', output: 'Applied 1 edit.', durationMs: 40 });
    }
    messages.push({ id: `a${i}`, role: 'assistant', status: 'complete', blocks });
  }
  return messages;
}

/** The events of one streamed reply (what the host sends while the model writes). */
export function streamEvents(startSeq, id) {
  const events = [];
  let seq = startSeq;
  const push = (name, data) => events.push({ kind: 'event', seq: ++seq, name, data });
  push('message/added', { message: { id, role: 'assistant', status: 'streaming', blocks: [] } });
  const text = assistantText(9999);
  for (let i = 0, b = 0; i < text.length; b++) {
    const n = 8 + ((b * 7) % 40);
    push('message/textDelta', { messageId: id, blockIndex: 0, kind: 'text', text: text.slice(i, i + n) });
    i += n;
  }
  const input = JSON.stringify({ path: 'src/parser.ts', old_string: 'const x = parse(src);', new_string: 'const tokens = parse(src);' });
  for (let i = 0; i < input.length; i += 20) {
    push('message/toolDelta', { messageId: id, blockIndex: 1, id: 'tz', name: 'edit_file', inputJsonDelta: input.slice(i, i + 20), status: 'streaming' });
  }
  push('tool/result', { messageId: id, blockIndex: 1, toolUseId: 'tz', status: 'done', output: 'Applied 1 edit.', durationMs: 33 });
  push('usage/updated', { usage: { inputTokens: 1200, outputTokens: 800, cacheReadTokens: 90000, cacheWriteTokens: 300 }, costUsd: 0.42, context: { tokens: 91500, window: 200000, compactAt: 160000 } });
  push('message/status', { messageId: id, status: 'complete' });
  push('turn/status', { turn: 'idle', error: null, stopReason: 'completed' });
  return events;
}
