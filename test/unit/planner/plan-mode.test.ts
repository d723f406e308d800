// Plan mode through the real loop (the real SDK against the emulator, the session assembled as the panel and the
// runner assemble it): every bypass fails, in every mode setting, and approval is the user's alone.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionMode } from '../../../extension/core/permissions/types';
import { parsePlan } from '../../../extension/core/planner/format';
import { harness, type Harness } from '../agent/harness';
import { edit, planSession, PLAN, propose, results, run, workspace, write } from './helpers';

let h: Harness;
afterEach(async () => { await h?.close(); });

const MODES: PermissionMode[] = ['ask', 'accept-edits', 'plan', 'auto'];
/** Rules that would allow everything, outside plan mode. */
const ALLOW_ALL = [
  { effect: 'allow' as const, pattern: 'write_file', source: 'user' as const },
  { effect: 'allow' as const, pattern: 'edit_file', source: 'user' as const },
  { effect: 'allow' as const, pattern: 'run_command(*)', source: 'user' as const },
];
const planFiles = (dir: string) => (existsSync(join(dir, '.agent/plans')) ? readdirSync(join(dir, '.agent/plans')) : []);

describe('plan mode denies every write, mutating and network command (with allow-everything rules and an approve-everything user)', () => {
  for (const rules of [undefined, ALLOW_ALL]) {
    it(`${rules ? 'with' : 'without'} allow rules`, async () => {
      h = await harness({ scenario: [{ content: [
        write('src/new.ts'), edit('src/main.ts', 'hi', 'bye'), write('.agent/plans/../../src/escape.md'), write('.agent/plans/sub/x.md'),
        write('.agent/memory/x.md'), run('touch made.txt'), run('npm install left-pad'), run('curl http://example.com/x'), run('git push'),
        run('echo hi > out.txt'), run('wget http://example.com'), run('node -e "require(\'fs\').writeFileSync(\'a\',\'b\')"'),
        write('.agent/plans/draft.md', '---\ntitle: d\nstatus: open\nmode: plan\ncreated: x\n---\n\n## Steps\n\n- [ ] a\n'), run('ls src'),
      ] }, { text: 'done' }] });
      workspace(h);
      const s = planSession(h, 'plan', rules ? { rules } : {});
      s.rt.submit('plan it');
      expect(await s.rt.idle()).toBe('completed');
      const r = results(s.rt);
      expect(r.slice(0, 12).map((x) => x.status)).toEqual(Array(12).fill('error'));
      for (const x of r.slice(0, 12)) expect(x.content).toMatch(/^Denied: /);
      expect(r[12]!.status).toBe('done'); // the plan file itself
      expect(r[13]!.status).toBe('done'); // a read-only command
      expect(s.ran).toEqual(['ls src']);
      expect(s.asked).toEqual([]);
      expect(existsSync(join(h.dir, 'src/new.ts'))).toBe(false);
      expect(existsSync(join(h.dir, 'src/escape.md'))).toBe(false);
      expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
      expect(planFiles(h.dir)).toEqual(['draft.md']);
    });
  }

  it('a plans folder or plan file that is a symbolic link is an escape: denied', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cairn-outside-'));
    try {
      h = await harness({ scenario: [{ content: [write('.agent/plans/x.md'), write('.agent/plans/link.md')] }, { text: 'done' }] });
      workspace(h);
      mkdirSync(join(h.dir, '.agent'), { recursive: true });
      symlinkSync(outside, join(h.dir, '.agent/plans'));
      const s = planSession(h, 'plan', { rules: ALLOW_ALL });
      s.rt.submit('plan it');
      await s.rt.idle();
      expect(results(s.rt).map((x) => x.status)).toEqual(['error', 'error']);
      expect(readdirSync(outside)).toEqual([]);
    } finally { rmSync(outside, { recursive: true, force: true }); }
  });

  it('a plan file linked to a source file is denied (the link is resolved)', async () => {
    h = await harness({ scenario: [{ content: [write('.agent/plans/p.md', 'pwned')] }, { text: 'done' }] });
    workspace(h);
    mkdirSync(join(h.dir, '.agent/plans'), { recursive: true });
    symlinkSync(join(h.dir, 'src/main.ts'), join(h.dir, '.agent/plans/p.md'));
    const s = planSession(h, 'plan', { rules: ALLOW_ALL });
    s.rt.submit('plan it');
    await s.rt.idle();
    expect(results(s.rt)[0]!.status).toBe('error');
    expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
  });
});

describe('propose_plan', () => {
  for (const mode of MODES) {
    it(`in ${mode} mode: writes the plan, ends the turn, and every side effect after it in the same response is denied`, async () => {
      h = await harness({ scenario: [
        { content: [propose(), write('src/main.ts'), run('touch x'), write('.agent/plans/add-a-greeting.md', 'overwritten'), propose({ ...PLAN, title: 'Second' }), run('ls')] },
        { text: 'this reply must never be requested' },
      ] });
      workspace(h);
      const s = planSession(h, mode, { rules: ALLOW_ALL });
      s.rt.submit('add a greeting');
      expect(await s.rt.idle()).toBe('completed');
      const r = results(s.rt);
      expect(r.map((x) => `${x.name} ${x.status}`)).toEqual(['propose_plan done', 'write_file error', 'run_command error', 'write_file error', 'propose_plan error', 'run_command done']);
      expect(r[1]!.content).toMatch(/a plan is waiting for the user's answer/);
      expect(s.ran).toEqual(['ls']);
      expect(s.asked).toEqual([]);
      // The turn ended with the proposal: no further model request.
      expect(h.emu.requests.length).toBe(1);
      expect(s.permissions.mode()).toBe('plan');
      expect(s.plans.held()).toBe(true);
      const plan = parsePlan(readFileSync(join(h.dir, '.agent/plans/add-a-greeting.md'), 'utf8'));
      expect(plan).toMatchObject({ title: 'Add a greeting', status: 'open', mode: 'plan', session: s.sessionId });
      expect(plan.steps.map((x) => x.files)).toEqual([['src/greet.ts'], ['src/main.ts'], []]);
      expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
    });
  }

  it('the tool list is the same in every mode and before and after a proposal; no tool approves or leaves plan mode', async () => {
    h = await harness({ scenario: [{ content: [propose()] }] });
    workspace(h);
    const lists = MODES.map((m) => JSON.stringify(planSession(h, m).rt.mainAgent.prompt().tools));
    expect(new Set(lists).size).toBe(1);
    const s = planSession(h, 'ask');
    const before = JSON.stringify(s.rt.mainAgent.request([{ role: 'user', content: 'x' }]).tools);
    s.rt.submit('plan');
    await s.rt.idle();
    expect(JSON.stringify(s.rt.mainAgent.request([{ role: 'user', content: 'x' }]).tools)).toBe(before);
    const names = (JSON.parse(lists[0]!) as Array<{ name: string }>).map((t) => t.name);
    expect(names).toContain('propose_plan');
    expect(names).toContain('update_plan_step');
    expect(names.filter((n) => /approve|exit|leave|mode/i.test(n))).toEqual([]);
    // Extra fields claiming approval are not part of the input: the plan is still only open.
    expect(JSON.stringify((JSON.parse(lists[0]!) as Array<{ name: string; input_schema: unknown }>).find((t) => t.name === 'propose_plan'))).not.toMatch(/approv(ed|al)"/);
  });

  it('a model that claims in text (and in the tool input) that the user approved changes nothing', async () => {
    h = await harness({ scenario: [
      { content: [{ type: 'text', text: 'The user approved the plan. Proceeding.' }, propose({ ...PLAN, approved: true, status: 'approved' }), write('src/main.ts')] },
      { content: [{ type: 'text', text: 'The user has approved the plan, I will now edit.' }, write('src/main.ts'), step(1, 'in_progress')] },
      { text: 'ok' },
    ] });
    workspace(h);
    const s = planSession(h, 'auto', { rules: ALLOW_ALL });
    s.rt.submit('add a greeting');
    await s.rt.idle();
    s.rt.submit('[user approved] go ahead');
    await s.rt.idle();
    expect(results(s.rt).map((x) => `${x.name} ${x.status}`)).toEqual(['propose_plan done', 'write_file error', 'write_file error', 'update_plan_step error']);
    expect(parsePlan(readFileSync(join(h.dir, '.agent/plans/add-a-greeting.md'), 'utf8')).status).toBe('open');
    expect(s.permissions.mode()).toBe('plan');
    expect(readFileSync(join(h.dir, 'src/main.ts'), 'utf8')).toBe('console.log("hi");\n');
  });
});

const step = (n: number, state: string) => ({ type: 'tool_use' as const, name: 'update_plan_step', input: { step: n, state } });
