/**
 * Coordinator workers in VS Code run the bundled headless runner (`dist/cli.js --worker`, see
 * extension/host/chat/workers.ts), so the runner must ship in the .vsix next to the extension bundle: the
 * package keeps only what .vscodeignore re-includes. Without it every worker of an installed extension crashes
 * at start with "Cannot find module".
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../../..');

describe('packaging of the worker runner', () => {
  it('the .vsix includes dist/cli.js, the file the host starts workers with', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    expect(ignore).toMatch(/^\*\*$/m);
    expect(ignore).toMatch(/^!dist\/cli\.js$/m);
    const activate = fs.readFileSync(path.join(root, 'extension/host/activate.ts'), 'utf8');
    expect(activate).toMatch(/cliPath: join\(context\.extensionPath, 'dist', 'cli\.js'\)/);
    const build = fs.readFileSync(path.join(root, 'esbuild.mjs'), 'utf8');
    expect(build).toContain("outfile: 'dist/cli.js'");
  });
});
