import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import { loadBashGrammar } from '../../../extension/core/permissions/bash-grammar';
import { matchCommand, suggestRule } from '../../../extension/core/permissions/rules';
import { parseShell } from '../../../extension/core/permissions/shell';
import { describeForApproval } from '../../../extension/core/permissions/describe';
import { loadPermissionSettings, rememberAllow, localSettingsPath } from '../../../extension/core/permissions/settings';
import type { PermissionRule } from '../../../extension/core/permissions/types';
import { kindOf } from './kinds';

let root: string;
beforeAll(async () => {
  await loadBashGrammar();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-engine-')));
  fs.mkdirSync(path.join(root, 'src', 'lib', 'src'), { recursive: true });
  fs.mkdirSync(path.join(root, '.agent', 'plans'), { recursive: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const R = (effect: PermissionRule['effect'], pattern: string, source: PermissionRule['source'] = 'user'): PermissionRule => ({ effect, pattern, source });
const chk = (e: ReturnType<typeof createPermissionEngine>, tool: string, input: unknown, readOnly = false) => e.check({ tool, kind: kindOf(tool), input, readOnly }).behavior;

describe('modes', () => {
  it('ask: reads allowed, edits and unknown commands ask, read-only commands allowed', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true });
    expect(chk(e, 'read_file', { path: 'src/a.ts' }, true)).toBe('allow');
    expect(chk(e, 'edit_file', { path: 'src/a.ts' })).toBe('ask');
    expect(chk(e, 'run_command', { command: 'npm test' })).toBe('ask');
    expect(chk(e, 'run_command', { command: 'git status && ls -la src | wc -l' })).toBe('allow');
  });
  it('accept-edits: edits inside allowed, commands still ask', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'accept-edits' });
    expect(chk(e, 'write_file', { path: 'src/new.ts', content: '' })).toBe('allow');
    expect(chk(e, 'run_command', { command: 'npm test' })).toBe('ask');
  });
  it('plan: read-only except the plan file', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'plan' });
    expect(chk(e, 'write_file', { path: '.agent/plans/refactor.md', content: '' })).toBe('allow');
    expect(chk(e, 'write_file', { path: '.agent/plans/x/refactor.md', content: '' })).toBe('deny');
    expect(chk(e, 'edit_file', { path: 'src/a.ts' })).toBe('deny');
    expect(chk(e, 'run_command', { command: 'npm test' })).toBe('deny');
    expect(chk(e, 'run_command', { command: 'git log -5' })).toBe('allow');
    expect(chk(e, 'some_mcp_tool', {})).toBe('deny');
  });
  it('auto: edits and routine dev commands allowed, others ask', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'auto' });
    expect(chk(e, 'edit_file', { path: 'src/a.ts' })).toBe('allow');
    expect(chk(e, 'run_command', { command: 'npm test' })).toBe('allow');
    expect(chk(e, 'run_command', { command: 'curl https://x.example' })).toBe('ask');
    expect(chk(e, 'run_command', { command: 'rm -rf build' })).toBe('ask');
  });
  it('state tools are always allowed; unknown non-read-only tools ask', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'auto' });
    expect(chk(e, 'todo', { todos: [] })).toBe('allow');
    // Tools of other servers are never allowed by the mode alone, read-only or not.
    expect(chk(e, 'mcp__x__y', {})).toBe('ask');
    expect(chk(e, 'mcp__x__read', {}, true)).toBe('ask');
  });
});

describe('rules', () => {
  it('deny beats ask beats allow', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, rules: [R('allow', 'edit_file(src/**)'), R('ask', 'edit_file(src/lib/**)'), R('deny', 'edit_file(src/lib/secret/**)')] });
    expect(chk(e, 'edit_file', { path: 'src/a.ts' })).toBe('allow');
    expect(chk(e, 'edit_file', { path: 'src/lib/a.ts' })).toBe('ask');
    expect(chk(e, 'edit_file', { path: 'src/lib/secret/a.ts' })).toBe('deny');
  });
  it('edit_file(src/**) is anchored at the root and covers write_file', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, rules: [R('allow', 'edit_file(src/**)')] });
    expect(chk(e, 'write_file', { path: 'src/x.ts', content: '' })).toBe('allow');
    expect(chk(e, 'edit_file', { path: 'lib/src/x.ts' })).toBe('ask');
  });
  it('read_file(**/.env*) style deny rules apply to every reading tool; basename patterns match at any depth', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, rules: [R('deny', 'read_file(**/fixtures/**)'), R('deny', 'read_file(*.log)')] });
    expect(chk(e, 'grep', { pattern: 'x', path: 'test/fixtures/a' }, true)).toBe('deny');
    expect(chk(e, 'read_file', { path: 'a/b/c.LOG' }, true)).toBe('deny');
    expect(chk(e, 'read_file', { path: 'a/b/c.txt' }, true)).toBe('allow');
  });
  it('run_command(npm test:*) matches the prefix per segment', () => {
    expect(matchCommand('npm test:*', 'npm test')).toBe(true);
    expect(matchCommand('npm test:*', 'npm test -- --watch')).toBe(true);
    expect(matchCommand('npm test:*', 'npm testing')).toBe(false);
    expect(matchCommand('git add *', 'git add src/a.ts')).toBe(true);
    expect(matchCommand('git add *', 'git add')).toBe(true);
    expect(matchCommand('git add *', 'git addx')).toBe(false);
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, rules: [R('allow', 'run_command(npm test:*)')] });
    expect(chk(e, 'run_command', { command: 'npm test -- a' })).toBe('allow');
    expect(chk(e, 'run_command', { command: 'npm test && npm publish' })).toBe('ask');
  });
  it('a prefix allow rule never covers an option that writes, runs a program or changes configuration', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, rules: ['git log:*', 'sort:*', 'rg:*', 'find:*', 'xxd:*', 'node:*', 'git:*'].map((r) => R('allow', `run_command(${r})`)) });
    for (const c of ['git log --output=.git/hooks/pre-commit', 'sort -o/tmp/x a.txt', 'sort --outp=x a.txt', 'rg --pre=./x foo', 'rg -iz foo', 'find . -delete', 'xxd a.txt b.txt', 'node -pe 1', 'git -c core.pager=x log', 'git --config-env=core.pager=X log']) {
      expect(chk(e, 'run_command', { command: c }), c).toBe('ask');
    }
    expect(chk(e, 'run_command', { command: 'git log --oneline' })).toBe('allow');
    expect(chk(e, 'run_command', { command: 'sort -u a.txt' })).toBe('allow');
  });
  it('deny rules see through wrappers and shells', () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'auto', rules: [R('deny', 'run_command(curl:*)')] });
    for (const c of ['curl x', 'env A=1 curl x', 'sudo curl x', 'timeout 5 curl x', 'bash -c "curl x"', 'ls && curl x', 'nice -n 5 curl x']) expect(chk(e, 'run_command', { command: c }), c).toBe('deny');
  });
  it('a workspace file adds deny/ask always; its allow rules only when trusted', () => {
    fs.writeFileSync(path.join(root, '.agent', 'settings.json'), JSON.stringify({ permissions: { allow: ['run_command'], deny: ['run_command(rm:*)'], defaultMode: 'auto' } }));
    const untrusted = loadPermissionSettings({ workspaceRoot: root, trusted: false });
    expect(untrusted.rules.map((r) => r.effect)).toEqual(['deny']);
    expect(untrusted.mode).toBe('ask');
    const trusted = loadPermissionSettings({ workspaceRoot: root, trusted: true });
    expect(trusted.rules.map((r) => r.effect).sort()).toEqual(['allow', 'deny']);
    expect(trusted.mode).toBe('ask'); // a shared file cannot turn on auto mode
    fs.rmSync(path.join(root, '.agent', 'settings.json'));
  });
  it('"always allow" at workspace scope is persisted atomically to settings.local.json and takes effect', async () => {
    const e = createPermissionEngine({ workspaceRoot: root, trusted: true });
    await rememberAllow(e, 'workspace', 'run_command(npm test:*)', { workspaceRoot: root });
    expect(chk(e, 'run_command', { command: 'npm test' })).toBe('allow');
    const saved = JSON.parse(fs.readFileSync(localSettingsPath(root), 'utf8'));
    expect(saved.permissions.allow).toEqual(['run_command(npm test:*)']);
    expect(fs.readdirSync(path.join(root, '.agent')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(loadPermissionSettings({ workspaceRoot: root, trusted: true }).rules.some((r) => r.pattern === 'run_command(npm test:*)')).toBe(true);
  });
  it('suggests 2-word prefixes, never for shells or wrappers', () => {
    expect(suggestRule('run_command', { command: 'npm run build' }, root)).toBe('run_command(npm run:*)');
    expect(suggestRule('run_command', { command: 'bash x.sh' }, root)).toBeUndefined();
    expect(suggestRule('run_command', { command: 'ls | sh' }, root)).toBeUndefined();
  });
});

describe('shell parsing', () => {
  it('splits on && || ; | & and newlines', () => {
    expect(parseShell('a && b || c; d | e\nf').segments.map((s) => s.text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
  it('flags substitution, redirection, assignments; allows 2>&1 and >/dev/null', () => {
    expect(parseShell('npm test 2>&1').risks).toEqual([]);
    expect(parseShell('npm test >/dev/null 2>&1').risks).toEqual([]);
    expect(parseShell('a > b').risks.length).toBe(1);
    expect(parseShell("echo '$(x)'").risks).toEqual([]);
    expect(parseShell('echo "$(x)"').risks.length).toBeGreaterThan(0);
    expect(parseShell('X=1 ls').risks[0]).toMatch(/assignment/);
  });
  it('single plain commands are argv-safe; anything else is not', () => {
    expect(parseShell('cat "$(touch pwned).ts"').simple).toBe(false);
    expect(parseShell("cat '$(touch pwned).ts'")).toMatchObject({ simple: true, segments: [{ words: ['cat', '$(touch pwned).ts'] }] });
  });
});

describe('describeForApproval', () => {
  it('makes invisible and control characters visible', () => {
    const d = describeForApproval('ls\u200B \u202Etxt\x1b[8m\rx\t' + ' '.repeat(20) + 'y');
    expect(d.text).toContain('<U+200B>');
    expect(d.text).toContain('<U+202E>');
    expect(d.text).toContain('\\e');
    expect(d.text).toContain('\\r');
    expect(d.text).toContain('\\t');
    expect(d.suspicious).toBe(true);
    expect(d.warnings.join(' ')).toMatch(/bidirectional/);
    expect(describeForApproval('# ok\nrm -rf ~').warnings.join(' ')).toMatch(/first line is a comment/);
    expect(describeForApproval('npm test').suspicious).toBe(false);
  });
});
