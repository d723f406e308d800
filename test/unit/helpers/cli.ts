/** The headless runner for tests: dist/cli.js when it is newer than every source it is built from, else a fresh bundle. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..', '..');

function newest(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
  }, 0);
}

export async function cliBundle(tmp: string): Promise<string> {
  const dist = path.join(REPO, 'dist', 'cli.js');
  const src = Math.max(newest(path.join(REPO, 'extension', 'core')), newest(path.join(REPO, 'extension', 'protocol')), newest(path.join(REPO, 'extension', 'cli')), fs.statSync(path.join(REPO, 'extension', 'cli.ts')).mtimeMs);
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs > src) return dist;
  const out = path.join(tmp, 'cli.js');
  await esbuild.build({ entryPoints: [path.join(REPO, 'extension', 'cli.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  return out;
}

/** Run the runner to its end; stdout split into lines. */
export function runCli(cli: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, lines: out.split('\n').filter(Boolean), stderr }); });
  });
}
