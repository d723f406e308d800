/**
 * Cairn headless: the same core and the same `.agent/` folder as the extension, without VS Code.
 *
 *   node dist/cli.js -p "task" [options]     (node dist/cli.js --help lists them: cli/args.ts)
 *
 * Reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the environment. Exit codes: 0 completed,
 * 1 the task ended with an error or a limit, 2 bad usage, 130 interrupted.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { cliVersion, HELP, MISSING_KEY, parseCli, USAGE_HINT } from './cli/args';
import { writeSessionList } from './cli/list';
import type { AgentEvent } from './core/agent/events';
import { SessionRuntime } from './core/session/runtime';
import { assembleSession } from './core/session/assemble';
import { createAnthropicProvider } from './core/providers/anthropic';
import { DEFAULT_MODEL, modelInfo } from './core/providers/models';
import { createNodeProcessPort, findRgOnPath } from './core/tools';
import { createMemory, memoryContribution } from './core/memory';
import { DEFAULT_COMPACTION } from './core/compaction/settings';
import { setSecretEnvVars } from './core/util/secrets';
import { startRunnerMcp } from './cli/mcp';
import { runDaemon } from './cli/daemon';
import { prepareRunnerHooks } from './cli/hooks';
import { hookContext, toolHooks } from './core/hooks';
import { runWorker } from './cli/worker';
import { WorkerPool, workerMode, type WorkerStatus } from './core/coordinator';

async function main(): Promise<number> {
  const parsed = parseCli(process.argv.slice(2));
  if (parsed.kind === 'help') { process.stdout.write(HELP); return 0; }
  if (parsed.kind === 'version') { process.stdout.write(`cairn ${cliVersion()}\n`); return 0; }
  if (parsed.kind === 'usage') { process.stderr.write(`cairn: ${parsed.message}\n${USAGE_HINT}\n`); return 2; }
  const args = parsed.options;
  const { root, format, mode, maxTurns, maxCost, thinking, contextWindow } = args;
  const agentDir = join(root, '.agent');
  if (args.list) { writeSessionList(agentDir, root); return 0; }
  setSecretEnvVars(args.secretEnv);
  if (args.worker) return runWorker(args, (w) => process.stderr.write(`cairn worker: ${w}\n`));
  const compaction = { ...DEFAULT_COMPACTION, auto: !args.noAutoCompact, carryNotes: !args.noCarryNotes, ...(contextWindow ? { contextWindow } : {}) };

  const apiKey = process.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) {
    process.stderr.write(`cairn: ${MISSING_KEY}\n`);
    return 1;
  }
  const model = args.model ?? process.env.CAIRN_MODEL ?? DEFAULT_MODEL;
  const maxOutput = Number(args.maxOutputTokens ?? Math.min(8192, modelInfo(model).maxOutput));
  const provider = createAnthropicProvider({ apiKey, baseURL: process.env.ANTHROPIC_BASE_URL?.trim() || undefined });
  if (args.daemon) {
    const rg = findRgOnPath();
    const stopped = new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
    return runDaemon({
      root, provider, model: { id: model, maxTokens: maxOutput, thinking }, ...(args.model ? { tickModel: args.model } : {}),
      ...args.daemon, ...(rg ? { rgPath: rg } : {}),
      userSettingsPath: process.env.CAIRN_USER_SETTINGS?.trim() || join(homedir(), '.agent', 'settings.json'),
      out: (l) => process.stdout.write(`${JSON.stringify(l)}\n`), warn: (w) => process.stderr.write(`cairn: ${w}\n`), stopped,
    });
  }
  const memory = createMemory({ agentDir, workspaceRoot: root });
  memory.onProblems((ps) => { for (const p of ps) process.stderr.write(`cairn: memory: ${p}\n`); });
  const rgPath = findRgOnPath();
  const userSettingsPath = process.env.CAIRN_USER_SETTINGS?.trim() || join(homedir(), '.agent', 'settings.json');
  const warn = (w: string) => process.stderr.write(`cairn: ${w}\n`);
  const mcp = await startRunnerMcp({ root, userSettingsPath, allowProject: args.allowProjectMcp, warn });
  const hooks = await prepareRunnerHooks({ root, userSettingsPath, allowProject: args.allowProjectHooks, warn });
  const th = toolHooks(hooks);
  const sessionId = args.resume ?? randomUUID();
  // --coordinator: workers are this same runner (`--worker`), each in its own worktree; results go to the session.
  let pool: WorkerPool | undefined;
  const coordinator = args.coordinator ? () => (pool ??= new WorkerPool({
    workspaceRoot: root, resultsDir: join(agentDir, 'sessions', sessionId, 'workers'),
    command: { execPath: process.execPath, script: process.argv[1]!, execArgv: process.execArgv },
    mode: () => workerMode(mode), model: () => model, maxWorkers: () => args.maxWorkers,
    credentials: () => ({ apiKey, ...(process.env.ANTHROPIC_BASE_URL?.trim() ? { baseURL: process.env.ANTHROPIC_BASE_URL.trim() } : {}) }),
  })) : undefined;
  // The same assembly as the panel's: same tools, same prompt, same permission engine.
  const { options, plans } = assembleSession({
    agentDir, workspaceRoot: root, trusted: true, mode, sessionId,
    userSettingsPath,
    provider: () => provider,
    model: () => ({ id: model, maxTokens: maxOutput, thinking }),
    limits: () => ({ maxTurns, maxCostUsd: maxCost }),
    compaction: () => compaction,
    ...(rgPath ? { rgPath } : {}),
    contributions: [memoryContribution(memory), mcp.contribution],
    // Headless: nobody can approve, so 'ask' decisions are refused (use --permission-mode or allow rules).
    ports: { process: createNodeProcessPort() },
    durable: process.env.CAIRN_DURABLE === '1',
    onWarning: warn,
    ...(th ? { toolHooks: th } : {}),
    preCompact: async (session, trigger) => { try { await hooks.run('PreCompact', { session, trigger }); } catch { /* reported by the hooks' runner */ } },
    ...(coordinator ? { coordinator } : {}),
  });
  for (const w of mcp.warnings()) warn(`mcp: ${w}`);
  const rt = args.resume ? SessionRuntime.resume(options, args.resume) : SessionRuntime.create(options, sessionId);
  // --plan FILE: the user named the plan, which approves it; the mode is the one given (never plan).
  let planContext: string | undefined;
  if (args.planFile) {
    try {
      const adopted = plans.adopt(args.planFile, mode === 'plan' ? 'ask' : mode);
      planContext = adopted.context;
      process.stderr.write(`cairn: executing the plan ${adopted.rel} (${adopted.plan.steps.length} steps) in ${mode} mode\n`);
    } catch (e) {
      process.stderr.write(`cairn: ${(e as Error).message}\n`);
      rt.close();
      memory.dispose();
      await mcp.close();
      return 2;
    }
  }
  await hooks.run('SessionStart', { session: rt.id, resumed: Boolean(args.resume) });
  for (const p of rt.problems) process.stderr.write(`cairn: ${p}\n`);

  const tools = options.tools;
  const calls = new Map<string, string>();
  const out = (e: AgentEvent) => {
    if (format === 'stream-json') { process.stdout.write(`${JSON.stringify(streamLine(rt.id, e))}\n`); return; }
    if (e.t === 'text_delta' && e.kind === 'text') process.stdout.write(e.text);
    else if (e.t === 'msg' && e.role === 'assistant') {
      process.stdout.write('\n');
      for (const b of e.content) if (b.type === 'tool_use') { const t = tools?.get(b.name); calls.set(b.id, `${t?.label ?? b.name}${describeCall(t, b.input)}`); }
    } else if (e.t === 'partial') process.stdout.write('\n');
    else if (e.t === 'tool_result') process.stderr.write(`[${e.status}] ${calls.get(e.toolUseId) ?? e.toolUseId}: ${e.content.split('\n')[0]!.slice(0, 160)}\n`);
    else if (e.t === 'retry') process.stderr.write(`cairn: ${e.error.message} Retrying (${e.attempt}/${e.maxAttempts ?? '?'}) in ${Math.round(e.delayMs / 100) / 10} s.\n`);
  };
  rt.onAgentEvent(out);
  if (format === 'stream-json') process.stdout.write(`${JSON.stringify({ type: 'session', session: rt.id, transcript: rt.transcriptPath })}\n`);

  let interrupted = false;
  process.on('SIGINT', () => { interrupted = true; rt.abort(); });
  if (args.compact) {
    await hooks.run('PreCompact', { session: rt.id, trigger: 'manual' });
    const compacted = await rt.compact();
    if (!compacted) process.stderr.write(`cairn: the session was not compacted${rt.snapshot().compaction?.message ? `: ${rt.snapshot().compaction?.message}` : ''}.\n`);
  }
  if (args.prompt || planContext) {
    const text = args.prompt ?? 'Execute the approved plan.';
    const gate = await hooks.userPromptSubmit({ session: rt.id, prompt: text });
    if (gate.blocked) {
      process.stderr.write(`cairn: the prompt was not sent: ${gate.blocked}\n`);
      rt.close();
      memory.dispose();
      await mcp.close();
      return 1;
    }
    const context = [...gate.context.map(hookContext), ...(planContext ? [planContext] : [])];
    rt.submit(text, context.length ? { context } : {});
  }
  else if (args.compact && !rt.canContinue) {
    rt.close();
    memory.dispose();
    await mcp.close();
    if (format === 'stream-json') process.stdout.write(`${JSON.stringify({ type: 'result', session: rt.id, stop: 'completed', usage: rt.snapshot().usage, costUsd: rt.snapshot().costUsd ?? null, error: null })}\n`);
    return 0;
  } else if (!rt.continue()) {
    process.stderr.write('cairn: the session is at rest (its last step is complete); give -p to continue it.\n');
    rt.close();
    memory.dispose();
    await mcp.close();
    return 0;
  }
  const stop = await rt.idle();
  await hooks.run('Stop', { session: rt.id, stop });
  const snap = rt.snapshot();
  if (pool) {
    // Workers still at work when the coordinator ends are stopped; each result is kept as a diff.
    for (const w of pool.list()) if (w.state === 'starting' || w.state === 'running') await pool.stop(w.workerId);
    for (const w of pool.list()) reportWorker(w, format);
    await pool.dispose();
  }
  rt.close();
  memory.dispose();
  await mcp.close();
  if (format === 'text') {
    const u = snap.usage;
    process.stderr.write(`cairn: ${stop} · session ${rt.id} · in ${u.inputTokens} / cache read ${u.cacheReadTokens} / cache write ${u.cacheWriteTokens} / out ${u.outputTokens} tokens${snap.costUsd ? ` · $${snap.costUsd.toFixed(4)}` : ''}\n`);
    if (snap.lastError) process.stderr.write(`cairn: ${snap.lastError.message}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ type: 'result', session: rt.id, stop, usage: snap.usage, costUsd: snap.costUsd ?? null, error: snap.lastError })}\n`);
  }
  if (interrupted) return 130;
  // Plan mode: the task ends with a proposed plan; its path is the result (stdout), for a person to read and approve.
  if (mode === 'plan' && !args.planFile) {
    const proposed = plans.current();
    if (stop === 'completed' && proposed && plans.held()) {
      if (format === 'text') process.stdout.write(`\n${proposed.rel}\n`);
      else process.stdout.write(`${JSON.stringify({ type: 'plan', session: rt.id, path: proposed.rel, title: proposed.plan.title, steps: proposed.plan.steps.length })}\n`);
      process.stderr.write(`cairn: plan written to ${proposed.rel}; read and edit it, then run it with --plan ${proposed.rel}\n`);
      return 0;
    }
    if (stop === 'completed') { process.stderr.write('cairn: plan mode ended without a plan (the agent did not call propose_plan); ask again, e.g. -p "Plan: ..."\n'); return 1; }
  }
  return stop === 'completed' ? 0 : 1;
}

/** A worker's outcome after a coordinator run: its diff's path (to review and `git apply`), or why it has none. */
function reportWorker(w: WorkerStatus, format: 'text' | 'stream-json'): void {
  if (format === 'stream-json') {
    process.stdout.write(`${JSON.stringify({ type: 'worker', workerId: w.workerId, description: w.description, state: w.state, files: w.files ?? [], diff: w.diffPath ?? null, error: w.error ?? null, ...(w.state === 'crashed' ? { worktree: w.worktree } : {}) })}\n`);
    return;
  }
  const files = w.files?.length ?? 0;
  process.stderr.write(`cairn: worker ${w.workerId} (${w.description}): ${w.state}${w.error ? ` (${w.error})` : ''}; ${files} file${files === 1 ? '' : 's'} changed${files && w.diffPath ? `, diff: ${w.diffPath} (review it, then git apply ${w.diffPath})` : ''}${w.state === 'crashed' ? `; its folder is kept: ${w.worktree}` : ''}\n`);
}

/** One stream-json line per domain event: its type, the session, and the event's own fields. */
function streamLine(session: string, e: AgentEvent): Record<string, unknown> {
  const { t, ...rest } = e;
  return { type: t, session, ...rest };
}

function describeCall(tool: { describe(i: unknown): string } | undefined, input: unknown): string {
  try { const d = tool?.describe(input); return d ? ` ${d.slice(0, 120)}` : ''; } catch { return ''; }
}

// A closed stdout (e.g. piped into `head`) ends the run quietly instead of crashing on EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); });

main().then((code) => {
  process.exitCode = code;
  // A worker ends as soon as its coordinator lets it go (open sockets of its HTTP client must not keep it alive).
  if (process.argv.includes('--worker')) process.exit(code);
}, (err) => {
  process.stderr.write(`cairn: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
