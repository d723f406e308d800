/**
 * The headless runner's command line: options, help, version, and every check that can fail before a
 * session exists (so a bad flag, folder, key or base URL never leaves a session behind). Each failure says
 * what is wrong and what to do.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PermissionMode } from '../core/permissions/types';
import { checkBaseUrl } from '../core/providers/endpoint';
import type { ThinkingSetting } from '../core/providers/models';

export const MODES: PermissionMode[] = ['ask', 'accept-edits', 'plan', 'auto'];
const FORMATS = ['text', 'stream-json'] as const;
const THINKING: ThinkingSetting[] = ['default', 'adaptive', 'off'];

export interface CliOptions {
  prompt?: string;
  resume?: string;
  /** The workspace folder, resolved and checked to exist. */
  root: string;
  list: boolean;
  format: (typeof FORMATS)[number];
  mode: PermissionMode;
  maxTurns: number;
  maxCost: number;
  model?: string;
  maxOutputTokens?: string;
  thinking: ThinkingSetting;
  /** Compact the resumed session before anything else. */
  compact: boolean;
  noAutoCompact: boolean;
  noCarryNotes: boolean;
  /** Tokens: compaction plans for this window instead of the model's. */
  contextWindow?: number;
  /** Environment variables child processes must not inherit (besides ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN). */
  secretEnv: string[];
  /** Start the project's MCP servers (.agent/mcp.json) without asking: there is no dialog headless. */
  allowProjectMcp: boolean;
  /** Run the background schedulers (dream, and proactive ticks with `proactive`). */
  daemon?: { proactive: boolean; tickMinutes: number; dailyBudgetUsd: number };
  /** --plan FILE: execute this plan (naming it on the command line approves it). */
  planFile?: string;
  /** Run the project's hooks (.agent/settings.json "hooks") without asking. */
  allowProjectHooks: boolean;
  /** Coordinator mode: the agent orchestrates workers (separate processes in their own worktrees). */
  coordinator: boolean;
  /** With --coordinator: how many workers may work at once. */
  maxWorkers: number;
  /** Run as a coordinator's worker (the connection comes on stdin; the task over it). */
  worker: boolean;
}

export type Parsed =
  | { kind: 'help' }
  | { kind: 'version' }
  /** Bad usage: exit 2 after the message (and a pointer to --help). */
  | { kind: 'usage'; message: string }
  | { kind: 'run'; options: CliOptions };

export const HELP = `Cairn headless: the agent of the Cairn VS Code extension, run from a terminal. It works in a folder
(the workspace) with the same tools, permission rules, memory and .agent/ sessions as the extension.

Usage:
  cairn -p "TASK" [options]        run a task and print the answer
  cairn --resume ID [-p "TASK"]    continue a session (ids: cairn --list)
  cairn --list [--cwd DIR]         list the sessions of a workspace
  cairn --daemon [--cwd DIR]       run the background without a window: dream (memory consolidation) when its
                                   gates open, and with --proactive the proactive ticks; notices are printed
                                   as JSON lines; stops on Ctrl-C / SIGTERM
  cairn --help | --version

Options:
  -p, --prompt TEXT           the task (or the next message of a resumed session)
      --cwd DIR               the workspace folder (default: the current folder); must exist
      --resume ID             continue the session ID from DIR/.agent/sessions/
      --list                  list the sessions (id, last update, messages, title) and exit
      --output-format FORMAT  text (default: the answer on stdout, progress on stderr) or
                              stream-json (one JSON event per line on stdout)
      --permission-mode MODE  ask (default; headless, a call that would ask is refused), accept-edits,
                              plan (read-only research; the agent writes a plan to .agent/plans/ and the
                              runner exits printing its path) or auto (everything the rules do not deny runs)
      --plan FILE             execute the plan in FILE (a .md file in .agent/plans/; naming it approves it)
                              with --permission-mode ask, accept-edits or auto; -p adds instructions
      --max-turns N           the most model requests for this task (default 50)
      --max-cost USD          stop once the task has cost this many dollars (default 0: no cap)
      --model ID              the Claude model (default: $CAIRN_MODEL, else Cairn's default)
      --max-output-tokens N   the most output tokens one response may use
      --thinking MODE         default, adaptive or off (extended thinking)
      --compact               compact the resumed session now (with --resume; then -p, or stop)
      --no-auto-compact       never compact on its own when the context fills up
      --no-carry-notes        a new session does not start from the previous session's notes
      --context-window N      plan compaction for a context of N tokens (at least 10000) instead of the model's
      --secret-env NAMES      environment variables no command may see (comma-separated; NAME* for a prefix),
                              besides ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN (also: $CAIRN_SECRET_ENV_VARS)
      --allow-project-mcp     start the MCP servers of the workspace's .agent/mcp.json (there is no approval
                              dialog headless: without this flag they do not start; yours always do)
      --daemon                run the background schedulers (see above) instead of a task
      --proactive             with --daemon: proactive ticks (off unless given), a small model (--model to change)
      --tick-minutes N        with --proactive: minutes between ticks (default 10)
      --daily-budget USD      with --proactive: dollars per day, then it sleeps until the next day (default 0.5)
      --allow-project-hooks   run the hooks of the workspace's .agent/settings.json (without this flag they never
                              run headless; yours always do)
      --coordinator           coordinator mode: the agent only orchestrates workers (start, message, wait, stop)
                              and reads; each worker is a separate process in its own git worktree (a copy when
                              the folder is not a repository) and its changes come back as a diff in
                              .agent/sessions/<id>/workers/<worker>.diff (apply with git apply); with ask, workers
                              run in accept-edits (they only edit their own worktree); a call that would ask is refused
      --max-workers N         with --coordinator: how many workers may work at once (default 4, at most 16)
      --worker                internal: run as a coordinator's worker (it reads its connection on stdin)
  -h, --help                  print this help and exit
  -v, --version               print Cairn's version and exit

Environment:
  ANTHROPIC_API_KEY    your Anthropic API key (required to run a task; never written to disk)
  ANTHROPIC_BASE_URL   the Messages API's root URL (default https://api.anthropic.com), e.g.
                       http://127.0.0.1:4000 for a local server or proxy
  CAIRN_MODEL          the default model when --model is not given
  CAIRN_USER_SETTINGS  your own permission rules, MCP servers ("mcpServers") and hooks ("hooks")
                       (default ~/.agent/settings.json)
  CAIRN_SECRET_ENV_VARS  more variable names no command may see (like --secret-env)

Permissions: your rules and the workspace's (.agent/settings.json, .agent/settings.local.json) apply, as in
VS Code; deny wins over ask, ask over allow.

Examples:
  export ANTHROPIC_API_KEY=sk-ant-...
  cairn -p "Explain what src/index.ts does"
  cairn --cwd ~/project --permission-mode accept-edits -p "Fix the failing test in test/math.test.ts"
  cairn --output-format stream-json -p "List the TODOs" | jq -c 'select(.event == "tool/result")'
  cairn --list --cwd ~/project
  cairn --resume 3f2c... -p "Now add a test for it"
  cairn --resume 3f2c... --compact
  cairn --coordinator -p "Add input validation to src/api/ and tests for it in test/api/"

Exit codes: 0 completed, 1 the task ended with an error or a limit, 2 bad usage, 130 interrupted.
`;

/** Every option the runner takes (the help text must name each: a test checks it). */
export const OPTIONS = {
  prompt: { type: 'string', short: 'p' },
  cwd: { type: 'string' },
  resume: { type: 'string' },
  'output-format': { type: 'string', default: 'text' },
  'permission-mode': { type: 'string', default: 'ask' },
  'max-turns': { type: 'string', default: '50' },
  'max-cost': { type: 'string', default: '0' },
  model: { type: 'string' },
  'max-output-tokens': { type: 'string' },
  thinking: { type: 'string', default: 'default' },
  list: { type: 'boolean', default: false },
  compact: { type: 'boolean', default: false },
  'no-auto-compact': { type: 'boolean', default: false },
  'no-carry-notes': { type: 'boolean', default: false },
  'context-window': { type: 'string' },
  'secret-env': { type: 'string', multiple: true },
  'allow-project-mcp': { type: 'boolean', default: false },
  daemon: { type: 'boolean', default: false },
  proactive: { type: 'boolean', default: false },
  'tick-minutes': { type: 'string', default: '10' },
  'daily-budget': { type: 'string', default: '0.5' },
  plan: { type: 'string' },
  'allow-project-hooks': { type: 'boolean', default: false },
  coordinator: { type: 'boolean', default: false },
  'max-workers': { type: 'string', default: '4' },
  worker: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

export const USAGE_HINT = 'Run cairn --help for the options.';

/** Parses and checks the command line. Never exits: the caller prints and picks the exit code. */
export function parseCli(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Parsed {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: false,
    }).values;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // node's messages mention "positional arguments": a bare word is usually a task without -p.
    if (/positional/i.test(msg)) return { kind: 'usage', message: `unexpected argument ${quoteFirstPositional(msg)}: give the task with -p "..." (quote it)` };
    return { kind: 'usage', message: msg.replace(/\. To specify a positional argument.*$/s, '') };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const folder = checkFolder(values.cwd, cwd);
  if (!folder.ok) return { kind: 'usage', message: folder.message };
  const format = values['output-format'] as CliOptions['format'];
  if (!FORMATS.includes(format)) return { kind: 'usage', message: `--output-format must be text or stream-json, not "${format}"` };
  const mode = values['permission-mode'] as PermissionMode;
  if (!MODES.includes(mode)) return { kind: 'usage', message: `--permission-mode must be one of ${MODES.join(', ')}, not "${mode}"` };
  const maxTurns = Number(values['max-turns']);
  if (!Number.isInteger(maxTurns) || maxTurns < 1) return { kind: 'usage', message: `--max-turns must be a whole number of at least 1, not "${values['max-turns']}"` };
  const maxCost = Number(values['max-cost']);
  if (!Number.isFinite(maxCost) || maxCost < 0) return { kind: 'usage', message: `--max-cost must be a number of dollars (0 for no cap), not "${values['max-cost']}"` };
  const mot = values['max-output-tokens'];
  if (mot !== undefined && !(Number.isInteger(Number(mot)) && Number(mot) >= 1)) return { kind: 'usage', message: `--max-output-tokens must be a whole number of tokens, not "${mot}"` };
  const thinking = values.thinking as ThinkingSetting;
  if (!THINKING.includes(thinking)) return { kind: 'usage', message: `--thinking must be default, adaptive or off, not "${thinking}"` };
  const cw = values['context-window'];
  const contextWindow = cw === undefined ? undefined : Number(cw);
  if (contextWindow !== undefined && (!Number.isInteger(contextWindow) || contextWindow < 10_000)) return { kind: 'usage', message: `--context-window must be a whole number of tokens, at least 10000, not "${cw}"` };
  const secretEnv = (values['secret-env'] ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  const badName = secretEnv.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(n));
  if (badName) return { kind: 'usage', message: `--secret-env takes variable names (letters, digits, _; NAME* for a prefix), not "${badName}"` };
  if (values.compact && !values.resume) return { kind: 'usage', message: '--compact compacts a resumed session: give --resume ID (cairn --list shows them)' };
  const tick = Number(values['tick-minutes']);
  if (!Number.isFinite(tick) || tick < 1 || tick > 1440) return { kind: 'usage', message: `--tick-minutes must be a number of minutes from 1 to 1440, not "${values['tick-minutes']}"` };
  const budget = Number(values['daily-budget']);
  if (!Number.isFinite(budget) || budget < 0) return { kind: 'usage', message: `--daily-budget must be a number of dollars, not "${values['daily-budget']}"` };
  if (values.proactive && !values.daemon) return { kind: 'usage', message: '--proactive runs with --daemon (the proactive ticks of the background)' };
  if (values.daemon && (values.prompt !== undefined || values.resume !== undefined || values.list)) return { kind: 'usage', message: '--daemon runs the background only: leave out -p, --resume and --list' };
  if (values.plan !== undefined) {
    if (!values.plan.trim()) return { kind: 'usage', message: '--plan needs the plan file, like --plan .agent/plans/add-validation.md' };
    if (mode === 'plan') return { kind: 'usage', message: '--plan executes a plan, which plan mode cannot do: choose --permission-mode ask, accept-edits or auto' };
    if (values.resume) return { kind: 'usage', message: '--plan starts a new session: leave out --resume' };
  }
  const maxWorkers = Number(values['max-workers']);
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1 || maxWorkers > 16) return { kind: 'usage', message: `--max-workers must be a whole number from 1 to 16, not "${values['max-workers']}"` };
  if (values.coordinator && (values.daemon || values.worker || values.plan !== undefined)) return { kind: 'usage', message: '--coordinator runs a task with workers: leave out --daemon, --worker and --plan' };
  if (values.coordinator && mode === 'plan') return { kind: 'usage', message: '--coordinator with plan mode would start workers that can change nothing: choose --permission-mode ask, accept-edits or auto' };
  if (values.worker && (values.prompt !== undefined || values.resume !== undefined || values.list || values.daemon)) return { kind: 'usage', message: '--worker is started by a coordinator and gets its task from it: leave out -p, --resume, --list and --daemon' };
  if (!values.list && !values.daemon && !values.worker) {
    if (!values.prompt && !values.resume && values.plan === undefined) return { kind: 'usage', message: 'give a task with -p "...", or --resume a session (cairn --list shows them)' };
    if (values.prompt !== undefined && !values.prompt.trim()) return { kind: 'usage', message: 'the task given with -p is empty' };
    const base = checkBaseUrl(env.ANTHROPIC_BASE_URL);
    if (!base.ok) return { kind: 'usage', message: `ANTHROPIC_BASE_URL: ${base.message} Unset it to use the official endpoint.` };
  }
  return { kind: 'run', options: {
    ...(values.prompt !== undefined ? { prompt: values.prompt } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    root: folder.root, list: values.list, format, mode, maxTurns, maxCost, thinking,
    compact: values.compact, noAutoCompact: values['no-auto-compact'], noCarryNotes: values['no-carry-notes'], secretEnv, allowProjectMcp: values['allow-project-mcp'], allowProjectHooks: values['allow-project-hooks'],
    coordinator: values.coordinator, maxWorkers, worker: values.worker,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values.plan !== undefined ? { planFile: values.plan } : {}),
    ...(mot !== undefined ? { maxOutputTokens: mot } : {}),
    ...(values.daemon ? { daemon: { proactive: values.proactive, tickMinutes: tick, dailyBudgetUsd: budget } } : {}),
  } };
}

function checkFolder(given: string | undefined, cwd: string): { ok: true; root: string } | { ok: false; message: string } {
  const path = resolve(cwd, given ?? '.');
  const what = given === undefined ? `the current folder (${path})` : `--cwd "${given}"`;
  if (!existsSync(path)) return { ok: false, message: `${what} does not exist${given !== undefined && path !== given ? ` (resolved to ${path})` : ''}: give the path of an existing folder, the workspace Cairn should work in` };
  try {
    if (!statSync(path).isDirectory()) return { ok: false, message: `${what} is a file, not a folder: give the workspace folder (for a file, its folder)` };
    return { ok: true, root: realpathSync(path) };
  } catch (err) {
    return { ok: false, message: `${what} cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)}): check its permissions` };
  }
}

function quoteFirstPositional(msg: string): string {
  const m = /'([^']*)'/.exec(msg);
  return m ? `"${m[1]}"` : '';
}

/** Cairn's version, from the package.json next to the bundle (dist/../) or the source (extension/../..). */
export function cliVersion(from = __dirname): string {
  for (let dir = from, i = 0; i < 4; i++, dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cairn' && pkg.version) return pkg.version;
    } catch { /* not here: look one folder up */ }
  }
  return 'unknown';
}

export const MISSING_KEY = 'ANTHROPIC_API_KEY is not set. Export your Anthropic API key first (export ANTHROPIC_API_KEY=sk-ant-...; Cairn never writes it to disk), or set ANTHROPIC_BASE_URL to a local server that needs none and any non-empty key.';
