// Builds Cairn's bundles: the extension (Node, CommonJS, `vscode` external), the headless CLI,
// the webview (browser, ESM + CSS) and the mocha suite that runs inside a real extension host.
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no source maps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const suiteDir = 'test/vscode/suite';
const suiteEntries = existsSync(suiteDir)
  ? readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => `${suiteDir}/${f}`)
  : [];

const builds = [
  {
    ...common,
    entryPoints: ['extension/host/activate.ts'],
    outfile: 'dist/extension.js',
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['webview/src/main.tsx'],
    outfile: 'dist/webview.js',
    platform: 'browser', format: 'esm', target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];
if (existsSync('extension/cli.ts')) {
  builds.push({
    ...common,
    entryPoints: ['extension/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node', format: 'cjs', target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  });
}
if (!production && suiteEntries.length) {
  builds.push({
    ...common,
    entryPoints: suiteEntries,
    outdir: 'out/test/vscode/suite',
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

// The shell grammar the permission engine parses commands with (loaded at run time from next to the bundle).
const WASM = ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm'];
mkdirSync('dist', { recursive: true });
for (const f of WASM) copyFileSync(f, `dist/${f.split('/').pop()}`);

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...b, logLevel: 'info' })).watch();
  console.log('[cairn] watching for changes…');
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`[cairn] built ${builds.length} bundles in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
