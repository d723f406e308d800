/**
 * Ask rather than refuse: the everyday read-only corpus stays auto-allowed (share >= 0.95) in every mode, and
 * the commands that do ask in it ask for a reason a user would accept (a secret in reach, an expansion).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import { loadBashGrammar } from '../../../extension/core/permissions/bash-grammar';
import { MODES } from './attacks';
import { EVERYDAY, makeEverydayWorkspace } from './everyday';

let root: string;
beforeAll(async () => {
  await loadBashGrammar();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-everyday-')));
  makeEverydayWorkspace(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('everyday read-only commands', () => {
  it('has at least 200 distinct commands', () => {
    expect(new Set(EVERYDAY).size).toBe(EVERYDAY.length);
    expect(EVERYDAY.length).toBeGreaterThanOrEqual(200);
  });
  for (const mode of MODES) {
    it(`stay auto-allowed in ${mode} mode (share >= 0.95)`, () => {
      const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, mode });
      const asked = EVERYDAY.map((command) => ({ command, d: engine.check({ tool: 'run_command', kind: 'command' as const, input: { command }, readOnly: false }) })).filter((x) => x.d.behavior !== 'allow');
      const share = 1 - asked.length / EVERYDAY.length;
      expect(share, asked.map((a) => `${a.command}: ${a.d.behavior} (${a.d.reason})`).join('\n')).toBeGreaterThanOrEqual(0.95);
      // What asks here asks for a reason that holds in this workspace.
      for (const a of asked) expect(a.d.reason, a.command).toMatch(/secret|variable expansion|keeps running/);
    });
  }
});
