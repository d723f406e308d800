/**
 * The engine is synchronous and the bash grammar is WebAssembly: loading must be ready before any I/O callback
 * after the engine is created (the first tool call can only arrive through I/O), and a check made before that
 * must not guess: it asks (plan mode: denies). Fresh module instances, so the grammar starts unloaded.
 */
import { describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

async function fresh() {
  vi.resetModules();
  const engine = await import('../../../extension/core/permissions/engine');
  const grammar = await import('../../../extension/core/permissions/bash-grammar');
  return { ...engine, ...grammar };
}

describe('loading the bash grammar', () => {
  it('checks made before the grammar is ready ask, in plan mode deny; it is ready before the next I/O callback', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-grammar-')));
    try {
      const m = await fresh();
      expect(m.bashParser()).toBeUndefined();
      const e = m.createPermissionEngine({ workspaceRoot: root, trusted: true });
      const plan = m.createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'plan' });
      const call = { tool: 'run_command', kind: 'command' as const, input: { command: 'ls' }, readOnly: false };
      const early = e.check(call);
      expect(early).toMatchObject({ behavior: 'ask' });
      expect(early.reason).toMatch(/could not be parsed \(the shell grammar is still loading\)/);
      expect(plan.check(call).behavior).toBe('deny');
      await new Promise((r) => setImmediate(r));
      expect(m.bashParser()).toBeDefined();
      expect(e.check(call)).toEqual({ behavior: 'allow', reason: 'read-only command' });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('deny rules still apply while the grammar is not ready (matched against a rough reading of the line)', async () => {
    const m = await fresh();
    const e = m.createPermissionEngine({ workspaceRoot: os.tmpdir(), trusted: true, rules: [{ effect: 'deny', pattern: 'run_command(curl:*)', source: 'user' }] });
    expect(e.check({ tool: 'run_command', kind: 'command', input: { command: 'ls && curl https://x.example' }, readOnly: false })).toMatchObject({ behavior: 'deny' });
    await m.loadBashGrammar();
  });

  it('ships both wasm files where esbuild.mjs copies them from', () => {
    const src = fs.readFileSync(path.join(__dirname, '../../../esbuild.mjs'), 'utf8');
    for (const f of ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm']) {
      expect(src).toContain(f);
      expect(fs.statSync(path.join(__dirname, '../../..', f)).size).toBeGreaterThan(100_000);
    }
    const ignore = fs.readFileSync(path.join(__dirname, '../../../.vscodeignore'), 'utf8');
    expect(ignore).toMatch(/^!dist\/web-tree-sitter\.wasm$/m);
    expect(ignore).toMatch(/^!dist\/tree-sitter-bash\.wasm$/m);
  });
});
