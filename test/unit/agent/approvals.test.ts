// Approvals through the loop: the prompt shows exactly what will run; "always allow" remembers only a
// narrow rule (never the whole tool, never a risky command) and hands workspace/user scopes to the host.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import type { ApprovalAnswer, ApprovalRequest, ProcessPort } from '../../../extension/core/ports';
import { builtinTools, createRegistry } from '../../../extension/core/tools';
import { harness, type Harness } from './harness';

let h: Harness;
afterEach(async () => { await h?.close(); });

const cmd = (command: string) => ({ content: [{ type: 'tool_use' as const, name: 'run_command', input: { command } }] });

function setup(hh: Harness, answers: ApprovalAnswer[]) {
  writeFileSync(join(hh.dir, 'package.json'), '{"name":"x","scripts":{"test":"echo ok"}}');
  const asked: ApprovalRequest[] = [];
  const ran: string[] = [];
  const remembered: Array<[string, string]> = [];
  const process: ProcessPort = { run: async (req) => { ran.push(req.command ?? req.argv?.join(' ') ?? ''); return { exitCode: 0, signal: null, output: 'ok', timedOut: false, aborted: false }; } };
  const engine = createPermissionEngine({ workspaceRoot: hh.dir, trusted: true, mode: 'ask' });
  const rt = hh.runtime({
    tools: createRegistry(builtinTools()),
    permissions: engine,
    ports: { workspaceTrusted: true, process, approval: { ask: async (req) => { asked.push(req); return answers.shift() ?? { decision: 'reject' }; } } },
    rememberRule: (scope, pattern) => { remembered.push([scope, pattern]); },
  });
  return { rt, asked, ran, remembered, engine };
}

describe('approvals', () => {
  it('shows the command with invisible characters made visible, and warns', async () => {
    h = await harness({ scenario: [cmd('npm test\u200b -- --watch=false'), { text: 'done' }] });
    const { rt, asked } = setup(h, [{ decision: 'reject', reason: 'no' }]);
    rt.submit('run the tests');
    await rt.idle();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.summary).not.toContain('\u200b');
    expect(asked[0]!.summary).toMatch(/U\+200B/i);
    expect(asked[0]!.detail).toMatch(/invisible/);
  });

  it('"always allow" for the session remembers a narrow rule: the same command runs next time without asking', async () => {
    h = await harness({ scenario: [cmd('npm test'), { text: 'one' }, cmd('npm test -- --runInBand'), { text: 'two' }, cmd('rm -rf build'), { text: 'three' }] });
    const { rt, asked, ran, remembered } = setup(h, [{ decision: 'approve', scope: 'session' }, { decision: 'reject' }]);
    rt.submit('test');
    await rt.idle();
    rt.submit('test again');
    await rt.idle();
    rt.submit('clean up');
    await rt.idle();
    expect(asked.map((a) => JSON.parse(a.summary).command)).toEqual(['npm test', 'rm -rf build']);
    expect(ran).toEqual(['npm test', 'npm test -- --runInBand']);
    expect(remembered).toEqual([]);
  });

  it('"always allow" for the workspace or everywhere is handed to the host to persist', async () => {
    h = await harness({ scenario: [cmd('npm test'), { text: 'one' }] });
    const { rt, remembered } = setup(h, [{ decision: 'approve', scope: 'workspace' }]);
    rt.submit('test');
    await rt.idle();
    expect(remembered).toEqual([['workspace', 'run_command(npm test:*)']]);
  });

  it('never remembers a rule for a risky command (a shell, a pipe): approving it once is all', async () => {
    h = await harness({ scenario: [cmd('bash -c "make all"'), { text: 'one' }, cmd('bash -c "make all"'), { text: 'two' }] });
    const { rt, asked, remembered, engine } = setup(h, [{ decision: 'approve', scope: 'user' }, { decision: 'reject' }]);
    rt.submit('build');
    await rt.idle();
    rt.submit('build again');
    await rt.idle();
    expect(asked).toHaveLength(2);
    expect(remembered).toEqual([]);
    expect(engine.rules().filter((r) => r.effect === 'allow')).toEqual([]);
  });
});
