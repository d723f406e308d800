// Entry point the VS Code extension host loads when started with extensionTestsPath
// (code-server payload in test/e2e/ext-host.mjs, or @vscode/test-electron in test/vscode/run-electron.mjs).
// Bundled by `npm run build` to out/test/vscode/suite/index.js; mocha stays external and resolves from
// the repository's node_modules (the extensionDevelopmentPath).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.CAIRN_TEST_TIMEOUT_MS ?? 60_000),
    ...(process.env.CAIRN_TEST_GREP ? { grep: process.env.CAIRN_TEST_GREP } : {}),
  });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.resolve(__dirname, f));
  console.log(`[cairn-test] running ${files.length} file(s): ${files.join(', ')}`);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
    } catch (err) {
      console.error('[cairn-test] mocha could not run:', err);
      reject(err);
    }
  });
}
