/** Shared fixtures for the memory tests: a temp workspace, a fake tool context with session facts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory, type Memory } from '../../../extension/core/memory';
import type { SearcherOptions } from '../../../extension/core/memory/search/search';
import { findRipgrep } from '../../bench/lib/ripgrep';
import type { SessionFacts, ToolContext } from '../../../extension/core/tools/types';

export interface Ws { root: string; agentDir: string; memory: Memory; cleanup(): void }

/** A ripgrep for the tests of the ripgrep path. No ripgrep is a failure that says how to get one, never a skip. */
export function testRipgrep(): string {
  const rg = findRipgrep();
  if (!rg) throw new Error('These tests need ripgrep: apt-get install ripgrep (npm run setup:e2e installs it too).');
  return rg;
}

/** The two ways transcript search finds candidate lines: both must give the same answers. */
export const SEARCH_ENGINES = [
  { engine: 'byte scan', rgPath: () => null },
  { engine: 'ripgrep', rgPath: testRipgrep },
] as const;

export function tempWs(now?: () => number, search: SearcherOptions = { rgPath: null }): Ws {
  const root = mkdtempSync(join(tmpdir(), 'cairn-mem-'));
  const agentDir = join(root, '.agent');
  const memory = createMemory({ agentDir, workspaceRoot: root, ...(now ? { now } : {}), search: { workers: 2, chunkBytes: 64 * 1024, ...search } });
  return { root, agentDir, memory, cleanup: () => { memory.dispose(); rmSync(root, { recursive: true, force: true }); } };
}

export function facts(outcomes: Record<string, 'done' | 'error' | 'interrupted'> = {}, untrusted = false): SessionFacts {
  return {
    outcome: (id) => outcomes[id],
    toolName: (id) => (outcomes[id] ? 'run_command' : undefined),
    succeeded: () => Object.keys(outcomes).filter((k) => outcomes[k] === 'done'),
    readUntrusted: () => untrusted,
  };
}

export function ctx(ws: Ws, session?: SessionFacts, toolUseId = 'toolu_mem_1'): ToolContext {
  return {
    workspaceRoot: ws.root, sessionDir: join(ws.agentDir, 'sessions', 'sess1'), sessionId: 'sess1', toolUseId,
    signal: new AbortController().signal, ports: { workspaceTrusted: true }, reads: { get: () => undefined, set: () => undefined },
    ...(session ? { session } : {}),
  };
}

export function tool(ws: Ws, name: string) {
  const t = ws.memory.tools().find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return { run: (input: unknown, c: ToolContext) => t.execute(t.input.parse(input), c), tool: t };
}

export const fact = { name: 'Staging port', description: 'Which port staging Postgres uses', type: 'project', hook: 'pg on 6543', content: 'Staging Postgres listens on 6543.', origin: 'agent' } as const;
