/** A ripgrep for benchmarks and tests: `rg` on PATH, else the one code-server ships in the e2e set-up's cache. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findRgOnPath } from '../../../extension/core/tools';

export function findRipgrep(): string | undefined {
  const onPath = findRgOnPath();
  if (onPath) return onPath;
  const cache = process.env.CAIRN_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cairn-e2e');
  const vscodeRg = join(cache, `code-server-${process.env.CODE_SERVER_VERSION ?? '4.139.1'}`, 'node_modules', 'code-server', 'lib', 'vscode',
    'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'rg.exe' : 'rg');
  return existsSync(vscodeRg) ? vscodeRg : undefined;
}
