/**
 * run_command: run a shell command in the workspace through ports.process. A single plain command runs as an argv
 * array without a shell (no interpolation of file names); anything else runs through the shell (the permission
 * engine has judged every part). Timeout, kill on abort, output capped in the middle with the full output saved
 * under the session folder, background runs whose output goes to a log file.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import type { Tool, ToolContext, ToolResult } from './types';
import { errText, resolveForTool } from './fsutil';
import { parseShell } from '../permissions/shell';
import { toRel } from '../permissions/containment';
import { redactForModel } from '../util/redact';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;
export const OUTPUT_CAP = 30_000;

const input = z.object({
  command: z.string().optional().describe('The command line to run (POSIX shell syntax).'),
  cwd: z.string().optional().describe('Working folder, relative to the workspace root. Default: the root.'),
  timeout_ms: z.number().int().min(1000).max(MAX_TIMEOUT_MS).optional().describe(`Timeout in milliseconds. Default ${DEFAULT_TIMEOUT_MS}.`),
  background: z.boolean().optional().describe('Start it in the background (servers, watchers) and return at once; the output goes to a log file you can read.'),
  stop_job: z.string().optional().describe('Stop a background job by its id (instead of running a command).'),
});

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function capOutput(out: string, savedAs: string | undefined, cap = OUTPUT_CAP): string {
  if (out.length <= cap) return out;
  const half = Math.floor(cap / 2);
  const head = out.slice(0, out.lastIndexOf('\n', half) > half / 2 ? out.lastIndexOf('\n', half) : half);
  const tailStart = out.indexOf('\n', out.length - half);
  const tail = out.slice(tailStart !== -1 && tailStart < out.length - half / 2 ? tailStart + 1 : out.length - half);
  const omitted = out.length - head.length - tail.length;
  return `${head}\n\n[... ${omitted} characters omitted${savedAs ? `; the full output is in ${savedAs} (read it with read_file, using offset/limit)` : ''} ...]\n\n${tail}`;
}

function request(args: { command: string }) {
  const parsed = parseShell(args.command);
  const argv = parsed.simple ? parsed.segments[0]?.words : undefined;
  return argv && argv.length ? { argv } : { command: args.command };
}

async function runBackground(args: { command: string }, ctx: ToolContext, cwd: string, timeoutMs: number): Promise<ToolResult> {
  const jobs = ctx.jobs;
  if (!jobs) return { isError: true, content: 'Background jobs are not available here; run the command without background.' };
  const dir = path.join(ctx.sessionDir, 'jobs');
  await fsp.mkdir(dir, { recursive: true });
  const log = path.join(dir, `${ctx.toolUseId.replace(/[^\w.-]/g, '_')}.log`);
  const stream = fs.createWriteStream(log, { fd: fs.openSync(log, 'wx') });
  stream.on('error', () => undefined);
  const ctl = new AbortController();
  const done = ctx.ports.process!.run({ ...request(args), cwd, timeoutMs, visible: false, signal: ctl.signal, onOutput: (c) => stream.write(c) })
    .then((r) => { stream.end(`\n[exited: ${r.exitCode ?? r.signal}${r.timedOut ? ', timed out' : ''}${r.aborted ? ', stopped' : ''}]\n`); return r.exitCode; })
    .catch((e: unknown) => { stream.end(`\n[failed: ${errText(e)}]\n`); return null; });
  const id = jobs.start({ command: args.command, log, ctl, done });
  return { content: `Started in the background as ${id}. Its output is written to ${toRel(ctx.workspaceRoot, log)}; read that file to check on it. Stop it with run_command { "stop_job": "${id}" }.`, display: { job: id, log: toRel(ctx.workspaceRoot, log) } };
}

export const runCommandTool: Tool<typeof input> = {
  name: 'run_command',
  description:
    `Run a command in the workspace (POSIX shell syntax) and return its exit code and combined stdout/stderr. Default timeout ${DEFAULT_TIMEOUT_MS / 1000} s, at most ${MAX_TIMEOUT_MS / 1000} s. ` +
    `Output over ${OUTPUT_CAP} characters is cut in the middle and saved in full to a file you can read. Use background for servers and watchers. ` +
    'Prefer read_file, grep, glob and edit_file over cat, grep, find and sed. Every command is checked before it runs; simple commands without pipes, redirections or substitutions are approved more easily.',
  input,
  kind: 'command',
  label: 'Run',
  describe: (i) => (i.command === undefined && i.stop_job !== undefined ? `stop ${i.stop_job}` : `${i.command ?? ''}${i.background ? ' (background)' : ''}`),
  path: (i) => i.cwd ?? '.',
  readOnly: false,
  concurrencySafe: false,
  async execute(args, ctx): Promise<ToolResult> {
    if (args.stop_job !== undefined && args.command === undefined) {
      const j = ctx.jobs?.get(args.stop_job);
      if (!j || !ctx.jobs) return { isError: true, content: `No background job ${args.stop_job}. Jobs: ${ctx.jobs?.list().map((b) => b.id).join(', ') || 'none'}.` };
      await ctx.jobs.stop(j.id);
      return { content: `Stopped ${j.id}. Its output is in ${toRel(ctx.workspaceRoot, j.log)}.` };
    }
    if (!args.command?.trim()) return { isError: true, content: 'No command given.' };
    const command = args.command;
    if (!ctx.ports.process) return { isError: true, content: 'Commands cannot run in this environment (no process runner).' };
    let cwd: string;
    try {
      cwd = resolveForTool(ctx, args.cwd ?? '.').real;
      if (!(await fsp.stat(cwd)).isDirectory()) return { isError: true, content: `${args.cwd} is not a folder.` };
    } catch (e) { return { isError: true, content: errText(e) }; }
    const timeoutMs = args.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    if (args.background) return runBackground({ command }, ctx, cwd, MAX_TIMEOUT_MS * 144);
    let lastProgress = 0;
    const r = await ctx.ports.process.run({
      ...request({ command }), cwd, timeoutMs, visible: false, signal: ctx.signal,
      onOutput: (c) => { const now = Date.now(); if (ctx.progress && now - lastProgress > 250) { lastProgress = now; ctx.progress(c.slice(-200)); } },
    });
    const clean = redactForModel(r.output.replace(ANSI, ''));
    let saved: string | undefined;
    if (clean.length > OUTPUT_CAP) {
      try {
        const dir = path.join(ctx.sessionDir, 'tool-results');
        await fsp.mkdir(dir, { recursive: true });
        const file = path.join(dir, `${ctx.toolUseId.replace(/[^\w.-]/g, '_')}.txt`);
        await fsp.writeFile(file, clean, { flag: 'w' });
        saved = toRel(ctx.workspaceRoot, file);
      } catch { /* the capped output is still returned */ }
    }
    const status = r.aborted ? 'Stopped: the user interrupted the command.' : r.timedOut ? `Killed after the ${timeoutMs / 1000} s timeout. For long-running processes use background: true.` : r.exitCode === null ? `Terminated by signal ${r.signal}.` : `Exit code ${r.exitCode}.`;
    const body = clean.trim() ? capOutput(clean, saved) : '(no output)';
    return {
      content: `${status}\n${body}`,
      isError: r.exitCode !== 0 || r.timedOut || r.aborted,
      display: { exitCode: r.exitCode, timedOut: r.timedOut, aborted: r.aborted, savedOutput: saved },
    };
  },
};
