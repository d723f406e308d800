/**
 * A killed memory write (SIGKILL: no cleanup code runs) leaves no .tmp file behind after the next start, and no
 * topic without its index line: the next start (createMemory) repairs both and tells the user.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory } from '../../../extension/core/memory';

let dir: string | undefined;
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = undefined; });

function killedWrite(where: 'index' | 'topic'): { root: string; agentDir: string } {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-mem-kill-')));
  const agentDir = join(dir, '.agent');
  mkdirSync(agentDir);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'kill-child.ts'), agentDir, where], { encoding: 'utf8', timeout: 20_000 });
  expect(r.signal, r.stderr).toBe('SIGKILL');
  return { root: dir, agentDir };
}

const tmpFiles = (d: string): string[] => {
  const out: string[] = [];
  const walk = (p: string) => { for (const e of readdirSync(p, { withFileTypes: true })) { if (e.isDirectory()) walk(join(p, e.name)); else if (e.name.endsWith('.tmp')) out.push(join(p, e.name)); } };
  if (existsSync(d)) walk(d);
  return out;
};

describe('after a killed memory write, the next start', () => {
  it('killed between topic and index: removes the temp file and gives the topic its index line', () => {
    const { root, agentDir } = killedWrite('index');
    // What the kill left: the topic without its index line, and MEMORY.md's temp file.
    expect(existsSync(join(agentDir, 'memory', 'killed-write.md'))).toBe(true);
    expect(existsSync(join(agentDir, 'MEMORY.md'))).toBe(false);
    expect(tmpFiles(agentDir).length).toBeGreaterThan(0);

    const memory = createMemory({ agentDir, workspaceRoot: root });
    const problems: string[][] = [];
    memory.onProblems((p) => problems.push(p));
    const prelude = memory.prelude() ?? '';
    memory.dispose();

    expect(tmpFiles(agentDir)).toEqual([]);
    expect(readFileSync(join(agentDir, 'MEMORY.md'), 'utf8')).toMatch(/\[Killed write\]\(memory\/killed-write\.md\)/);
    expect(prelude).toContain('killed-write');
    expect(problems.flat().join('\n')).toMatch(/Removed \d+ temporary file\(s\)[\s\S]*Gave 1 memory topic\(s\) their missing index line after an interrupted write: killed-write/);
    expect(memory.store.listTopics().every((t) => t.indexed)).toBe(true);
  });

  it('killed while writing the topic: removes the half-written temp file; no topic, no index line', () => {
    const { root, agentDir } = killedWrite('topic');
    expect(tmpFiles(agentDir).length).toBeGreaterThan(0);
    const memory = createMemory({ agentDir, workspaceRoot: root });
    memory.dispose();
    expect(tmpFiles(agentDir)).toEqual([]);
    expect(existsSync(join(agentDir, 'memory', 'killed-write.md'))).toBe(false);
    expect(memory.store.readIndex()).not.toContain('killed-write');
  });
});
