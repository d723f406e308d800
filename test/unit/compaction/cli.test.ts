// The headless runner compacts like the panel: each compaction is a stream-json line whose type names it, a run that
// compacts ends with exit 0, and --compact compacts a resumed session before it goes on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { cliBundle, runCli } from '../helpers/cli';

const SUMMARY_MARK = 'The conversation is about to be compacted';
let tmp: string;
let cli: string;
let emu: Emulator;

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-compact-')));
  cli = await cliBundle(tmp);
  emu = await startEmulator({ port: 0, rules: [
    { match: { lastUserText: SUMMARY_MARK }, reply: { text: '<summary>The user asked two questions; both were answered.</summary>' } },
    { match: { lastUserText: 'question one' }, reply: { text: 'Answer one.', extra_input_tokens: 30_000 } },
    { match: { lastUserText: 'question two' }, reply: { text: 'Answer two.' } },
    { match: { lastUserText: 'question three' }, reply: { text: 'Answer three.' } },
  ] as never });
}, 60_000);
afterAll(async () => { await emu?.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

const env = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: emu.url });
const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });

describe('the headless runner and compaction', () => {
  it('prints each compaction as a stream-json event named by its type, and a run that compacts exits 0', async () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const first = await runCli(cli, ['-p', 'question one', '--cwd', ws, '--output-format', 'stream-json', '--context-window', '40000'], env());
    expect(first.code, first.stderr).toBe(0);
    const session = json(first.lines).find((e) => e.type === 'session')!.session as string;
    const second = await runCli(cli, ['--resume', session, '-p', 'question two', '--cwd', ws, '--output-format', 'stream-json', '--context-window', '40000'], env());
    expect(second.code, second.stderr).toBe(0);
    const events = json(second.lines);
    const compaction = events.find((e) => e.type === 'compaction');
    expect(compaction).toMatchObject({ type: 'compaction', op: 'compact_boundary', strategy: 'autocompact', session });
    expect(compaction!.before as number).toBeGreaterThan(compaction!.after as number);
    expect(events.at(-1)).toMatchObject({ type: 'result', stop: 'completed' });
  });

  it('an automatic compaction runs the PreCompact hooks (trigger "auto") before it summarises', async () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const log = path.join(tmp, `precompact-${path.basename(ws)}.jsonl`);
    // The hook appends its stdin payload (one JSON line) to the log.
    const hook = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(`let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(${JSON.stringify(log)}, s.trim()+'\\n'))`)}`;
    const settings = path.join(tmp, `user-settings-${path.basename(ws)}.json`);
    fs.writeFileSync(settings, JSON.stringify({ hooks: { PreCompact: [{ command: hook }] } }));
    const withHooks = { ...env(), CAIRN_USER_SETTINGS: settings };
    const first = await runCli(cli, ['-p', 'question one', '--cwd', ws, '--output-format', 'stream-json', '--context-window', '40000'], withHooks);
    expect(first.code, first.stderr).toBe(0);
    expect(fs.existsSync(log), 'no compaction yet, no PreCompact').toBe(false);
    const session = json(first.lines).find((e) => e.type === 'session')!.session as string;
    const second = await runCli(cli, ['--resume', session, '-p', 'question two', '--cwd', ws, '--output-format', 'stream-json', '--context-window', '40000'], withHooks);
    expect(second.code, second.stderr).toBe(0);
    expect(json(second.lines).some((e) => e.type === 'compaction' && e.strategy === 'autocompact')).toBe(true);
    const payloads = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(payloads).toEqual([expect.objectContaining({ event: 'PreCompact', session, trigger: 'auto' })]);
  });

  it('--compact compacts the resumed session (with --no-auto-compact nothing compacts by itself)', async () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const first = await runCli(cli, ['-p', 'question one', '--cwd', ws, '--output-format', 'stream-json', '--no-auto-compact', '--context-window', '40000'], env());
    const session = json(first.lines).find((e) => e.type === 'session')!.session as string;
    const plain = await runCli(cli, ['--resume', session, '-p', 'question two', '--cwd', ws, '--output-format', 'stream-json', '--no-auto-compact', '--context-window', '40000'], env());
    expect(json(plain.lines).some((e) => e.type === 'compaction')).toBe(false);
    const manual = await runCli(cli, ['--resume', session, '--compact', '-p', 'question three', '--cwd', ws, '--output-format', 'stream-json', '--no-auto-compact'], env());
    expect(manual.code, manual.stderr).toBe(0);
    expect(json(manual.lines).find((e) => e.type === 'compaction')).toMatchObject({ strategy: 'manual', trigger: 'user' });
  });
});
