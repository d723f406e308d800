// `npm run test:vscode`: the same mocha suite as the e2e ext-host stage (test/vscode/suite/), run in a
// DESKTOP VS Code downloaded by @vscode/test-electron. Needs update.code.visualstudio.com (or
// VSCODE_EXECUTABLE pointing at an installed `code`). Machines without that: use `npm run test:e2e`,
// which runs the suite inside code-server's real extension host instead.
//
// What it sets up: the local Anthropic emulator on a free port, a throwaway user-data dir whose USER
// settings point cairn.baseUrl at it, a throwaway workspace, a dummy ANTHROPIC_API_KEY, and
// --disable-extensions (only Cairn, from the repository, is loaded).
//
// Env: VSCODE_VERSION (default 'stable'), VSCODE_EXECUTABLE (skip the download), SKIP_BUILD=1,
//      CAIRN_E2E_CACHE (download cache; default ~/.cache/cairn-e2e), CAIRN_TEST_GREP (mocha grep).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.CAIRN_E2E_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'cairn-e2e');
const TESTS = path.join(REPO, 'out/test/vscode/suite/index.js');
const log = (...a) => console.log('[test:vscode]', ...a);

function fail(msg, code = 1) {
  console.error(`\n[test:vscode] ${msg}`);
  process.exitCode = code;
}

/** Start the emulator CLI on a free port; resolves { url, stop }. */
function startEmulator(logFile) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', out] });
    let buf = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`the emulator printed no URL within 30 s (log: ${logFile})`)); }, 30_000);
    child.stdout.on('data', (d) => {
      fs.appendFileSync(logFile, d);
      buf += d;
      const m = buf.match(/emulator listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.on('data', (more) => fs.appendFileSync(logFile, more));
        resolve({ url: m[1].replace(/\/$/, ''), stop: () => child.kill() });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the emulator exited with code ${code} before listening (log: ${logFile})`)); });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-vscode-test-'));
let emulator;
try {
  if (!process.env.SKIP_BUILD) {
    log('npm run build');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
    if (b.status !== 0) throw Object.assign(new Error('npm run build failed'), { quiet: true });
  }
  if (!fs.existsSync(TESTS)) throw new Error(`${path.relative(REPO, TESTS)} is missing: npm run build bundles test/vscode/suite/*.ts`);

  // 1. VS Code desktop: downloaded first on its own, so a network failure gets a clear message.
  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  if (!vscodeExecutablePath) {
    const version = process.env.VSCODE_VERSION || 'stable';
    log(`downloading VS Code ${version} (cache: ${path.join(CACHE, 'vscode-test')})`);
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: path.join(CACHE, 'vscode-test'), timeout: 30_000 });
    } catch (err) {
      throw Object.assign(new Error([
        `could not download VS Code ${version}: ${err?.message ?? err}`,
        '  @vscode/test-electron needs https://update.code.visualstudio.com (blocked or offline here?).',
        '  Options: set VSCODE_EXECUTABLE=/path/to/code (an installed desktop VS Code), or run',
        '  `npm run test:e2e`, which runs this same suite inside code-server\'s real extension host offline.',
      ].join('\n')), { exitCode: 2 });
    }
  }

  // 2. The emulator + an isolated profile whose USER settings point Cairn at it.
  emulator = await startEmulator(path.join(tmp, 'emulator.log'));
  log(`emulator at ${emulator.url}`);
  const userData = path.join(tmp, 'user-data');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample workspace\n');
  fs.writeFileSync(path.join(workspace, 'src', 'greet.ts'), 'export const greet = (n: string) => `Hello, ${n}!`;\n');
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'cairn.baseUrl': emulator.url,
  }, null, 2));

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('warning: no DISPLAY; desktop VS Code needs one on Linux (try: xvfb-run -a npm run test:vscode)');
  }

  // 3. Run the suite. runTests adds --extensionDevelopmentPath/--extensionTestsPath, --no-sandbox,
  //    --skip-welcome, --disable-workspace-trust, and its own throwaway profile unless we pass ours.
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: TESTS,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--user-data-dir', userData,
      '--extensions-dir', path.join(tmp, 'extensions'),
    ],
    extensionTestsEnv: {
      ANTHROPIC_API_KEY: 'sk-ant-vscode-test-dummy-key-not-real',
      ANTHROPIC_BASE_URL: undefined, // undefined = removed from the child env
      CAIRN_DEMO_URL: undefined,
    },
  });
  log('PASSED');
} catch (err) {
  if (err?.name === 'TestRunFailedError' || /Test run failed/.test(String(err?.message))) fail(`FAILED: ${err.message}`);
  else if (err?.quiet) fail(err.message);
  else fail(err?.message ?? String(err), err?.exitCode ?? 1);
} finally {
  emulator?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
