import { kindOf } from './kinds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import { loadBashGrammar } from '../../../extension/core/permissions/bash-grammar';
import { ATTACKS, MODES } from './attacks';

let tmp: string;
let root: string;
let home: string;

beforeAll(async () => {
  await loadBashGrammar();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-attacks-')));
  root = path.join(tmp, 'ws');
  home = path.join(tmp, 'home');
  fs.mkdirSync(root);
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'ws_evil'));
  for (const a of ATTACKS) {
    for (const [rel, content] of Object.entries(a.setup ?? {})) {
      const p = path.join(root, rel);
      if (fs.existsSync(p) || (() => { try { fs.lstatSync(p); return true; } catch { return false; } })()) continue;
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (content.startsWith('->')) fs.symlinkSync(content.slice(2).replace(/^~/, home), p);
      else fs.writeFileSync(p, content);
    }
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('attack classes S1-S15, S23, S24, S26 at the engine level', () => {
  for (const a of ATTACKS) {
    for (const mode of MODES) {
      it(`${a.id} in ${mode} mode ends ${(a.expect ?? ['ask', 'deny']).join(' or ')}`, () => {
        const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, mode, homeDir: home });
        const d = engine.check({ tool: a.tool, kind: kindOf(a.tool), input: a.input, readOnly: ['read_file', 'grep', 'glob', 'list_files'].includes(a.tool) });
        expect(a.expect ?? ['ask', 'deny'], `${a.id}/${mode}: ${d.behavior} (${d.reason})`).toContain(d.behavior);
      });
    }
  }

  it('an explicit user rule can allow what is otherwise asked (S6 with the whole command allowed exactly)', () => {
    const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, homeDir: home, rules: [
      { effect: 'allow', pattern: 'run_command(npm test:*)', source: 'user' },
      { effect: 'allow', pattern: 'run_command(curl:*)', source: 'user' },
    ] });
    expect(engine.check({ tool: 'run_command', kind: kindOf('run_command'), input: { command: 'npm test && curl https://x.example' }, readOnly: false }).behavior).toBe('allow');
    expect(engine.check({ tool: 'run_command', kind: kindOf('run_command'), input: { command: 'npm test && rm -rf x' }, readOnly: false }).behavior).toBe('ask');
  });

  it('the untrusted workspace runs nothing and edits nothing, in every mode', () => {
    for (const mode of MODES) {
      const engine = createPermissionEngine({ workspaceRoot: root, trusted: false, mode, homeDir: home, rules: [{ effect: 'allow', pattern: 'run_command', source: 'user' }] });
      expect(engine.check({ tool: 'run_command', kind: kindOf('run_command'), input: { command: 'ls' }, readOnly: false }).behavior).toBe('deny');
      expect(engine.check({ tool: 'write_file', kind: kindOf('write_file'), input: { path: 'a.txt', content: '' }, readOnly: false }).behavior).toBe('deny');
      expect(engine.check({ tool: 'read_file', kind: kindOf('read_file'), input: { path: 'a.txt' }, readOnly: true }).behavior).toBe('allow');
    }
  });
});
