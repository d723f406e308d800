// Hooks through the loop: real shell commands, the real SDK against the emulator, the real permission engine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hooks, loadHooksConfig, toolHooks, type HookReport } from '../../../extension/core/hooks';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { PermissionRule } from '../../../extension/core/permissions/types';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import { memoryPins } from '../../../extension/core/util/pins';
import { harness, type Harness } from '../agent/harness';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const use = (name: string, input: Record<string, unknown>) => ({ content: [{ type: 'tool_use' as const, name, input }] });
const node = (code: string) => `${JSON.stringify(process.execPath)} -e ${JSON.stringify(code)}`;
const lastMessage = (hh: Harness) => JSON.stringify((hh.emu.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { messages: unknown[] }).messages.at(-1));

async function setup(hh: Harness, hooksDoc: unknown, o: { project?: boolean; approve?: boolean; rules?: PermissionRule[]; mode?: 'ask' | 'auto' } = {}) {
  mkdirSync(join(hh.dir, '.agent'), { recursive: true });
  if (o.project) writeFileSync(join(hh.dir, '.agent', 'settings.json'), JSON.stringify({ hooks: hooksDoc }));
  const cfg = loadHooksConfig({ workspaceRoot: hh.dir, ...(o.project ? {} : { userHooks: hooksDoc }) });
  expect(cfg.problems).toEqual([]);
  const reports: HookReport[] = [];
  const hooks = new Hooks({ workspaceRoot: hh.dir, trusted: true, hooks: cfg.hooks, pins: memoryPins(), ...(o.approve !== undefined ? { approve: async () => o.approve! } : {}), onReport: (r) => reports.push(r) });
  await hooks.prepare();
  const asked: string[] = [];
  const rt = hh.runtime({
    tools: createRegistry(builtinTools()),
    permissions: createPermissionEngine({ workspaceRoot: hh.dir, trusted: true, mode: o.mode ?? 'auto', rules: o.rules ?? [] }),
    ports: { workspaceTrusted: true, approval: { ask: async (r) => { asked.push(`${r.tool}: ${r.reason}`); return { decision: 'reject' }; } } },
    ...(toolHooks(hooks) ? { toolHooks: toolHooks(hooks)! } : {}),
  });
  return { rt, reports, asked, hooks };
}

describe('hooks', () => {
  it('a PreToolUse deny stops the call and the model is told why; the hook got the call on stdin', async () => {
    h = await harness({ scenario: [use('write_file', { path: 'out.txt', content: 'x' }), { text: 'ok' }] });
    const seen = join(h.dir, 'seen.json');
    const { rt, reports } = await setup(h, { PreToolUse: [{ matcher: 'write_file|edit_file', command: node(`let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{require('fs').writeFileSync(${JSON.stringify(seen)},s);console.log(JSON.stringify({decision:'deny',reason:'no writes on Fridays'}))})`) }] });
    rt.submit('write it');
    expect(await rt.idle()).toBe('completed');
    expect(existsSync(join(h.dir, 'out.txt'))).toBe(false);
    expect(lastMessage(h)).toContain('denied it: no writes on Fridays');
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toMatchObject({ event: 'PreToolUse', tool: 'write_file', input: { path: 'out.txt' } });
    expect(reports.map((r) => r.decision)).toEqual(['deny']);
  });

  it('a matcher limits a hook to its tools; a hook allow does not override a deny rule', async () => {
    h = await harness({ scenario: [use('write_file', { path: 'blocked.txt', content: 'x' }), use('write_file', { path: 'fine.txt', content: 'y' }), { text: 'ok' }] });
    const { rt } = await setup(h, { PreToolUse: [{ matcher: 'run_command', command: node(`console.log(JSON.stringify({decision:'deny'}))`) }, { command: node(`console.log(JSON.stringify({decision:'allow'}))`) }] },
      { rules: [{ effect: 'deny', pattern: 'edit_file(blocked.txt)', source: 'user' }] });
    rt.submit('go');
    await rt.idle();
    expect(existsSync(join(h.dir, 'blocked.txt'))).toBe(false);
    expect(readFileSync(join(h.dir, 'fine.txt'), 'utf8')).toBe('y');
  });

  it('a hanging hook is cut at its timeout, reported, and the call asks instead of running', async () => {
    h = await harness({ scenario: [use('write_file', { path: 'a.txt', content: 'x' }), { text: 'ok' }] });
    const { rt, reports, asked } = await setup(h, { PreToolUse: [{ command: node('setInterval(()=>{},1000)'), timeoutMs: 500 }] });
    const t0 = Date.now();
    rt.submit('go');
    await rt.idle();
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(reports[0]).toMatchObject({ ok: false, problem: 'timed out after 500 ms and was stopped' });
    expect(asked[0]).toContain('failed (timed out after 500 ms');
    expect(existsSync(join(h.dir, 'a.txt'))).toBe(false);
  });

  it('a hook that answers invalid JSON or exits non-zero is reported, never ignored', async () => {
    h = await harness({ scenario: [use('list_files', { path: '.' }), { text: 'ok' }] });
    const { rt, reports } = await setup(h, { PostToolUse: [{ command: 'echo not-json' }, { command: 'echo oops >&2; exit 4' }, { command: node(`console.log(JSON.stringify({decision:7}))`) }] });
    rt.submit('go');
    await rt.idle();
    expect(reports.map((r) => r.problem)).toEqual([
      'answered something that is not JSON: not-json',
      'exited with code 4: oops',
      expect.stringMatching(/^answered invalid JSON \(decision: /),
    ]);
  });

  it('hooks never see the API key, and their reports are redacted', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-hook-must-not-see-123456';
    try {
      h = await harness({ scenario: [use('list_files', { path: '.' }), { text: 'ok' }] });
      const envFile = join(h.dir, 'env.txt');
      const { rt, reports } = await setup(h, { PostToolUse: [{ command: node(`require('fs').writeFileSync(${JSON.stringify(envFile)}, String(process.env.ANTHROPIC_API_KEY)); console.error(${JSON.stringify('sk-ant-hook-must-not-see-123456')}); process.exit(1)`) }] });
      rt.submit('go');
      await rt.idle();
      expect(readFileSync(envFile, 'utf8')).toBe('undefined');
      expect(reports[0]!.problem).toContain('[redacted secret]');
      expect(reports[0]!.problem).not.toContain('sk-ant-hook');
    } finally { delete process.env.ANTHROPIC_API_KEY; }
  });

  it('an unapproved project hook never runs; a rejected one neither; an approved one does', async () => {
    for (const approve of [undefined, false, true]) {
      h = await harness({ scenario: [use('list_files', { path: '.' }), { text: 'ok' }] });
      const marker = join(h.dir, 'hook-ran.txt');
      const { rt, hooks } = await setup(h, { PostToolUse: [{ command: node(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`) }] }, { project: true, ...(approve !== undefined ? { approve } : {}) });
      rt.submit('go');
      await rt.idle();
      expect(existsSync(marker), String(approve)).toBe(approve === true);
      expect(hooks.blocked().length).toBe(approve === true ? 0 : 1);
      await h.close(); h = undefined;
    }
  });

  it('project hooks do not run in an untrusted workspace', async () => {
    h = await harness({});
    mkdirSync(join(h.dir, '.agent'), { recursive: true });
    writeFileSync(join(h.dir, '.agent', 'settings.json'), JSON.stringify({ hooks: { SessionStart: [{ command: 'touch ran' }] } }));
    const hooks = new Hooks({ workspaceRoot: h.dir, trusted: false, hooks: loadHooksConfig({ workspaceRoot: h.dir }).hooks, pins: memoryPins(), allowProject: true, approve: async () => true });
    await hooks.prepare();
    await hooks.run('SessionStart', {});
    expect(existsSync(join(h.dir, 'ran'))).toBe(false);
    expect(hooks.blocked()[0]!.why).toContain('not trusted');
  });

  it('configuration mistakes name the file and the field', () => {
    const r = loadHooksConfig({ workspaceRoot: '/nonexistent-dir', userHooks: { PreToolUse: [{ command: '' }, { command: 'x', matcher: '(' }, { command: 'x', extra: 1 }], Nope: [], Stop: [{ command: 'x', matcher: 'a' }] } });
    const p = r.problems.join('\n');
    expect(p).toContain('user settings (cairn.hooks): hooks.PreToolUse[0]: command must not be empty');
    expect(p).toContain('hooks.PreToolUse[1]: matcher is not a valid regular expression');
    expect(p).toMatch(/hooks\.PreToolUse\[2\]: .*extra/);
    expect(p).toContain('hooks.Nope: unknown event');
    expect(p).toContain('hooks.Stop[0]: matcher applies only to PreToolUse and PostToolUse');
    expect(r.hooks).toEqual([]);
  });
});
