/**
 * Permission benchmark (issue 11): how much of an everyday read-only corpus (test/unit/permissions/everyday.ts,
 * >= 200 commands in a realistic workspace with a .git and a .env) is still auto-allowed, in the worst of the four
 * modes; and how long parsing and judging one command takes (engine.check on a run_command call: bash grammar,
 * per-option allowlist, path, secret and repository checks), p95 over the everyday corpus and the run_command
 * attack cases. Run: node --import tsx test/bench/permission-bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBashGrammar } from '../../extension/core/permissions/bash-grammar';
import { createPermissionEngine } from '../../extension/core/permissions/engine';
import { parseShell } from '../../extension/core/permissions/shell';
import { ATTACKS, MODES } from '../unit/permissions/attacks';
import { EVERYDAY, makeEverydayWorkspace } from '../unit/permissions/everyday';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

async function main(): Promise<void> {
  await loadBashGrammar();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-perm-bench-')));
  try {
    makeEverydayWorkspace(root);
    const call = (command: string) => ({ tool: 'run_command', kind: 'command' as const, input: { command }, readOnly: false });
    let worst = 1;
    for (const mode of MODES) {
      const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, mode });
      const asked = EVERYDAY.filter((c) => engine.check(call(c)).behavior !== 'allow');
      const share = 1 - asked.length / EVERYDAY.length;
      worst = Math.min(worst, share);
      console.log(`# ${mode}: ${EVERYDAY.length - asked.length}/${EVERYDAY.length} allowed${asked.length ? `; asks: ${asked.join(' | ')}` : ''}`);
    }
    console.log(`permission_readonly_allowed: ${worst.toFixed(4)} (target >= 0.95)`);

    const commands = [...EVERYDAY, ...ATTACKS.filter((a) => a.tool === 'run_command' && typeof (a.input as { command?: unknown }).command === 'string').map((a) => (a.input as { command: string }).command)];
    const engine = createPermissionEngine({ workspaceRoot: root, trusted: true, mode: 'ask' });
    for (let i = 0; i < 3; i++) for (const c of commands) engine.check(call(c)); // warm up
    const judge: number[] = [];
    const parse: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const c of commands) {
        const t0 = process.hrtime.bigint();
        engine.check(call(c));
        const t1 = process.hrtime.bigint();
        parseShell(c);
        const t2 = process.hrtime.bigint();
        judge.push(Number(t1 - t0) / 1000);
        parse.push(Number(t2 - t1) / 1000);
      }
    }
    console.log(`# ${commands.length} commands x 20 rounds; parse + judge p50 ${pct(judge, 0.5).toFixed(1)} us, p99 ${pct(judge, 0.99).toFixed(1)} us; parse alone p50 ${pct(parse, 0.5).toFixed(1)} us`);
    console.log(`parse_p95_us: ${pct(judge, 0.95).toFixed(1)} (target < 500)`);
    console.log(`parse_only_p95_us: ${pct(parse, 0.95).toFixed(1)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
