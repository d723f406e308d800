import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolContext } from '../../../extension/core/tools/types';
import type { Ports } from '../../../extension/core/ports';
import { createReadLedger } from '../../../extension/core/tools/fsutil';

export function tempWorkspace(prefix = 'cairn-tools-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function makeCtx(root: string, over: Partial<ToolContext> = {}, ports: Partial<Ports> = {}): ToolContext {
  return {
    workspaceRoot: root,
    sessionDir: path.join(root, '.agent', 'sessions', 's1'),
    sessionId: 's1',
    toolUseId: 'tu1',
    signal: new AbortController().signal,
    ports: { workspaceTrusted: true, ...ports },
    reads: createReadLedger(),
    ...over,
  };
}
