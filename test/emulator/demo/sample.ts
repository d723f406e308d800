// What the script knows of the sample workspace (test/fixtures/sample-workspace): the one bug its tests catch and
// the one edit the edit step proposes. The brain checks that the files still read as expected before using this
// knowledge, and says so plainly when they do not.

/** The failing test of the sample workspace and its fix. */
export const CART_FIX = {
  test: 'total applies a percentage discount',
  testFile: 'test/cart.test.js',
  source: 'src/cart.js',
  oldText: 'return Math.round(sub - discountPercent / 100);',
  newText: 'return Math.round(sub * (1 - discountPercent / 100));',
  why: 'subtracts `discountPercent / 100` from the subtotal (a tenth of a cent for 10%) instead of taking that share of it',
} as const;

/** The edit the edit step proposes in the sample: two far-apart changes, so the review shows two hunks. */
export const GREET_EDIT = {
  path: 'src/greet.js',
  edits: [
    { old_text: 'return `Hello, ${name}!`;', new_text: "return `Hello, ${name.trim() || 'there'}!`;" },
    { old_text: 'return `Goodbye, ${name}!`;', new_text: "return `Goodbye, ${name.trim() || 'there'}!`;" },
  ],
  summary: '`greet` and `farewell` fall back to "there" when the name is blank',
} as const;

/** Comment syntax by file extension, for the generic edit on files the script does not know. */
export function lineComment(path: string): ((text: string) => string) | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (['js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'java', 'c', 'h', 'cc', 'cpp', 'cs', 'go', 'rs', 'swift', 'kt', 'scala', 'php', 'dart'].includes(ext)) return (t) => `// ${t}`;
  if (['py', 'sh', 'bash', 'rb', 'yml', 'yaml', 'toml', 'pl', 'r'].includes(ext)) return (t) => `# ${t}`;
  if (['md', 'html', 'xml', 'svg', 'vue'].includes(ext)) return (t) => `<!-- ${t} -->`;
  if (['css', 'scss', 'less'].includes(ext)) return (t) => `/* ${t} */`;
  if (['sql', 'lua', 'hs'].includes(ext)) return (t) => `-- ${t}`;
  return undefined;
}
