import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockIsStale, tryLock, writeFileAtomic } from '../../../extension/core/memory/fsx';
import { ensureMemoryGitignore } from '../../../extension/core/memory/gitignore';
import { parseIndex } from '../../../extension/core/memory/format';
import { ctx, fact, facts, tempWs, tool, type Ws } from './helpers';

let ws: Ws;
afterEach(() => ws?.cleanup());

const run = (args: string[]) => new Promise<number>((resolve) => {
  const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'lock-child.ts'), ...args], { stdio: 'inherit' });
  p.on('exit', (code) => resolve(code ?? 1));
});

describe('two windows on one workspace', () => {
  it('never interleave writes: two processes writing 15 memories each lose no index line', async () => {
    ws = tempWs();
    const codes = await Promise.all([run([ws.agentDir, 'a', '15']), run([ws.agentDir, 'b', '15'])]);
    expect(codes).toEqual([0, 0]);
    const slugs = parseIndex(readFileSync(join(ws.agentDir, 'MEMORY.md'), 'utf8')).entries.map((e) => e.slug);
    expect(slugs).toHaveLength(30);
    expect(new Set(slugs).size).toBe(30);
    expect(readdirSync(join(ws.agentDir, 'memory'))).toHaveLength(30);
    expect(existsSync(join(ws.agentDir, 'state', 'memory.lock'))).toBe(false);
  }, 60_000);

  it('the lock is exclusive, and a stale one (dead owner or too old) is recovered', () => {
    ws = tempWs();
    const lock = join(ws.agentDir, 'state', 'memory.lock');
    const release = tryLock(lock)!;
    expect(release).toBeTypeOf('function');
    expect(tryLock(lock)).toBeUndefined();
    release();
    expect(existsSync(lock)).toBe(false);
    mkdirSync(join(ws.agentDir, 'state'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: 999_999_999, host: hostname(), at: Date.now(), token: 'x' }));
    expect(lockIsStale(lock)).toBe(true);
    const r2 = tryLock(lock);
    expect(r2).toBeTypeOf('function');
    r2!();
    writeFileSync(lock, JSON.stringify({ pid: process.pid + 1, host: 'other-machine', at: Date.now() - 60_000, token: 'y' }));
    expect(lockIsStale(lock)).toBe(true);
    writeFileSync(lock, JSON.stringify({ pid: process.pid + 1, host: 'other-machine', at: Date.now(), token: 'z' }));
    expect(lockIsStale(lock)).toBe(false);
    expect(tryLock(lock)).toBeUndefined();
  });
});

describe('crash safety', () => {
  it('an atomic write leaves the old or the new file and no temp files', () => {
    ws = tempWs();
    const p = join(ws.root, 'f.md');
    writeFileAtomic(p, 'old');
    writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(ws.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a crash before the rename leaves the old topic intact (the temp file is the only casualty)', () => {
    ws = tempWs();
    const p = join(ws.root, 'topic.md');
    writeFileAtomic(p, 'old complete');
    const script = `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(p)}+'.9.dead.tmp','wx');fs.writeSync(fd,'new half');process.kill(process.pid,'SIGKILL');`;
    try { execFileSync(process.execPath, ['-e', script]); } catch { /* killed */ }
    expect(readFileSync(p, 'utf8')).toBe('old complete');
  });
});

describe('.agent/.gitignore', () => {
  it('keeps sessions, state and local settings out of git, while MEMORY.md and memory/ can be committed', async () => {
    ws = tempWs();
    await tool(ws, 'memory_write').run(fact, ctx(ws, facts()));
    const gi = readFileSync(join(ws.agentDir, '.gitignore'), 'utf8').split('\n');
    for (const l of ['sessions/', 'state/', 'settings.local.json']) expect(gi).toContain(l);
    expect(gi.some((l) => /memory|MEMORY|plans|^settings\.json/.test(l.replace(/^#.*/, '')))).toBe(false);
    try {
      execFileSync('git', ['init', '-q'], { cwd: ws.root });
      const ignored = (p: string) => { try { execFileSync('git', ['check-ignore', '-q', p], { cwd: ws.root }); return true; } catch { return false; } };
      expect(ignored('.agent/state/memory-log.jsonl')).toBe(true);
      expect(ignored('.agent/sessions/x.jsonl')).toBe(true);
      expect(ignored('.agent/settings.local.json')).toBe(true);
      expect(ignored('.agent/MEMORY.md')).toBe(false);
      expect(ignored('.agent/memory/staging-port.md')).toBe(false);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // no git on this machine
    }
  });

  it('adds missing required lines to an older file without removing the user\'s own', () => {
    ws = tempWs();
    mkdirSync(ws.agentDir, { recursive: true });
    writeFileSync(join(ws.agentDir, '.gitignore'), 'sessions/\nmine.txt');
    ensureMemoryGitignore(ws.agentDir);
    const gi = readFileSync(join(ws.agentDir, '.gitignore'), 'utf8').split('\n');
    expect(gi).toEqual(expect.arrayContaining(['sessions/', 'mine.txt', 'state/', 'settings.local.json']));
  });
});
