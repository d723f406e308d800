// Session hooks (SessionStart, UserPromptSubmit, PreCompact, Stop) as a front end runs them: a UserPromptSubmit
// hook may block the prompt or add context (and nothing else: other answers are reported); a failing one is
// reported and does not block; the runner honours block and context against the emulator.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Hooks, hookContext, loadHooksConfig, sessionHooks, type HookReport } from '../../../extension/core/hooks';
import { memoryPins } from '../../../extension/core/util/pins';
import { startEmulator, type Emulator } from '../../emulator';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const node = (code: string) => `${JSON.stringify(process.execPath)} -e ${JSON.stringify(code)}`;
const answer = (o: unknown) => node(`process.stdin.resume();process.stdin.on('end',()=>console.log(${JSON.stringify(JSON.stringify(o))}))`);
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cairn-hooks-session-')); mkdirSync(join(dir, '.agent')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function hooksFor(doc: unknown) {
  const reports: HookReport[] = [];
  const cfg = loadHooksConfig({ workspaceRoot: dir, userHooks: doc });
  expect(cfg.problems).toEqual([]);
  const hooks = new Hooks({ workspaceRoot: dir, trusted: true, hooks: cfg.hooks, pins: memoryPins(), onReport: (r) => reports.push(r) });
  await hooks.prepare();
  return { port: sessionHooks(hooks), reports, hooks };
}

describe('session hooks', () => {
  it('UserPromptSubmit: "block" stops the prompt with the hook\'s reason; the hook got the prompt on stdin', async () => {
    const seen = join(dir, 'seen.json');
    const { port, reports } = await hooksFor({ UserPromptSubmit: [{ command: node(`let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{require('fs').writeFileSync(${JSON.stringify(seen)},s);console.log(JSON.stringify({decision:'block',reason:'no prompts about prod'}))})`) }] });
    const r = await port.promptSubmit('s1', 'deploy to prod');
    expect(r.blocked).toMatch(/blocked it: no prompts about prod$/);
    expect(r.context).toEqual([]);
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toMatchObject({ event: 'UserPromptSubmit', session: 's1', prompt: 'deploy to prod', workspace: dir });
    expect(reports.map((x) => x.decision)).toEqual(['block']);
  });

  it('UserPromptSubmit: "context" from each hook is added (redacted); a failing hook is reported and does not block', async () => {
    process.env.CAIRN_TEST_SECRET = 'sk-ant-hook-context-secret-0123456789';
    process.env.CAIRN_SECRET_ENV_VARS = 'CAIRN_TEST_SECRET';
    try {
      const { port, reports } = await hooksFor({ UserPromptSubmit: [
        { command: answer({ context: 'The ticket is ABC-12.' }) },
        { command: 'exit 3' },
        { command: answer({ context: 'key sk-ant-hook-context-secret-0123456789' }) },
      ] });
      const r = await port.promptSubmit('s1', 'fix it');
      expect(r.blocked).toBeUndefined();
      expect(r.context).toEqual(['The ticket is ABC-12.', 'key [redacted secret]']);
      expect(reports.filter((x) => !x.ok).map((x) => x.problem)).toEqual(['exited with code 3']);
      expect(hookContext('x')).toBe('<hook-context event="UserPromptSubmit">\nx\n</hook-context>');
    } finally {
      delete process.env.CAIRN_TEST_SECRET;
      delete process.env.CAIRN_SECRET_ENV_VARS;
    }
  });

  it('answers that do not fit the event are reported, not obeyed', async () => {
    const { port, reports } = await hooksFor({
      UserPromptSubmit: [{ command: answer({ decision: 'deny' }) }],
      Stop: [{ command: answer({ decision: 'block' }) }],
      SessionStart: [{ command: answer({ context: 'sneaky' }) }],
    });
    expect(await port.promptSubmit('s1', 'go')).toEqual({ context: [] });
    await port.stop('s1', 'completed');
    await port.sessionStart('s1', false);
    expect(reports.map((r) => [r.event, r.ok, r.problem])).toEqual([
      ['UserPromptSubmit', false, '"decision": "deny" applies only to PreToolUse hooks (a UserPromptSubmit hook answers "block")'],
      ['Stop', false, '"decision": "block" applies only to UserPromptSubmit hooks'],
      ['SessionStart', false, '"context" applies only to UserPromptSubmit hooks'],
    ]);
  });

  it('SessionStart, PreCompact and Stop get their payloads; a hanging one is cut at its timeout', async () => {
    const log = join(dir, 'log.jsonl');
    const record = node(`let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(${JSON.stringify(log)},s+'\\n'))`);
    const { port, reports } = await hooksFor({ SessionStart: [{ command: record }], PreCompact: [{ command: record }], Stop: [{ command: record }, { command: node('setInterval(()=>{},1000)'), timeoutMs: 300 }] });
    await port.sessionStart('s1', true);
    await port.preCompact('s1', 'manual');
    await port.stop('s1', 'max_turns');
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { event: 'SessionStart', workspace: dir, session: 's1', resumed: true },
      { event: 'PreCompact', workspace: dir, session: 's1', trigger: 'manual' },
      { event: 'Stop', workspace: dir, session: 's1', stop: 'max_turns' },
    ]);
    expect(reports).toEqual([expect.objectContaining({ event: 'Stop', ok: false, problem: 'timed out after 300 ms and was stopped' })]);
  });
});

describe('the runner and UserPromptSubmit', () => {
  let emu: Emulator;
  beforeEach(async () => { emu = await startEmulator({}); });
  afterEach(async () => { await emu.close(); });

  function cli(args: string[], settings: unknown): Promise<{ code: number | null; stderr: string }> {
    const file = join(dir, 'user.json');
    writeFileSync(file, JSON.stringify(settings));
    const env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: emu.url, CAIRN_USER_SETTINGS: file };
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli.ts'), '--cwd', dir, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  }

  it('a block stops the run before any request; context reaches the model marked as the hook\'s', async () => {
    const blocked = await cli(['-p', 'hello'], { hooks: { UserPromptSubmit: [{ command: answer({ decision: 'block', reason: 'not today' }) }] } });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('the prompt was not sent: the UserPromptSubmit hook');
    expect(blocked.stderr).toContain('not today');
    expect(emu.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
    emu.enqueue({ text: 'ok' });
    const ok = await cli(['-p', 'hello'], { hooks: { UserPromptSubmit: [{ command: answer({ context: 'Branch: feature/x' }) }] } });
    expect(ok.code).toBe(0);
    const body = JSON.stringify(emu.requests.filter((r) => r.path === '/v1/messages')[0]!.body);
    expect(body).toContain('<hook-context event=\\"UserPromptSubmit\\">\\nBranch: feature/x\\n</hook-context>');
  }, 60_000);
});
