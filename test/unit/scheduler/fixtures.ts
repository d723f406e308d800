/** Shared set-up for the background-agent tests: a temp workspace with seeded memory, and the real engine. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createMemory, type Memory } from '../../../extension/core/memory';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { PermissionEngine } from '../../../extension/core/permissions/types';
import { serializeTopic, indexLine, type MemoryType } from '../../../extension/core/memory/format';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';

export const FAST_RETRY = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1_000, stallMs: 5_000 };

export interface BgWs { root: string; agentDir: string; memory: Memory; engine: PermissionEngine; cleanup(): void }

export function bgWs(): BgWs {
  const root = mkdtempSync(join(tmpdir(), 'cairn-bg-'));
  const agentDir = join(root, '.agent');
  const memory = createMemory({ agentDir, workspaceRoot: root, search: { rgPath: null, workers: 1 } });
  const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'auto', rules: [{ effect: 'allow', pattern: 'write_file', source: 'project' }, { effect: 'allow', pattern: 'run_command', source: 'project' }] });
  return { root, agentDir, memory, engine, cleanup: () => { memory.dispose(); rmSync(root, { recursive: true, force: true }); } };
}

export interface Seed { slug: string; type?: MemoryType; name?: string; body: string; updated?: string }

/** Memory written straight to disk (topic files and index), as a user's earlier sessions left it. */
export function seedMemory(agentDir: string, seeds: Seed[]): void {
  mkdirSync(join(agentDir, 'memory'), { recursive: true });
  const lines = ['# Memory', ''];
  for (const s of seeds) {
    const name = s.name ?? s.slug.replace(/-/g, ' ');
    writeFileSync(join(agentDir, 'memory', `${s.slug}.md`), serializeTopic({ slug: s.slug, name, description: name, type: s.type ?? 'project', updated: s.updated ?? '2026-11-01T10:00:00.000Z', source: 'user', body: s.body }));
    const l = indexLine(s.slug, name, name);
    if ('error' in l) throw new Error(l.error);
    lines.push(l.line);
  }
  writeFileSync(join(agentDir, 'MEMORY.md'), `${lines.join('\n')}\n`);
}

/** Every file under `dir` (relative path -> content), skipping the given top-level folders. */
export function tree(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      const rel = relative(dir, p);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      if (statSync(p).isDirectory()) walk(p); else out[rel] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function provider(url: string) { return createAnthropicProvider({ apiKey: 'test-key', baseURL: url }); }

/** Write a fake session transcript so the session gate counts it (begun `createdAt`, by default now). */
export function fakeSession(agentDir: string, id: string, text = 'hello', createdAt = Date.now()): void {
  mkdirSync(join(agentDir, 'sessions'), { recursive: true });
  writeFileSync(join(agentDir, 'sessions', `${id}.jsonl`), `${JSON.stringify({ t: 'meta', v: 1, id, createdAt, model: 'm' })}\n${JSON.stringify({ t: 'msg', ts: createdAt, role: 'user', content: [{ type: 'text', text }] })}\n`);
}
