/**
 * `cairn --worker`: one worker of a coordinator. It reads its connection (the coordinator's URL, the run's token,
 * its id, and the API credentials) as one JSON line on stdin, never from its command line or environment, connects,
 * and runs the same headless session as `cairn -p` in its folder (its worktree) for the task and every follow-up
 * message, reporting progress and each result. It ends when told to stop or when the coordinator goes away.
 */
import { join, relative } from 'node:path';
import { homedir } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { CliOptions } from './args';
import { assembleSession } from '../core/session/assemble';
import { SessionRuntime } from '../core/session/runtime';
import { createAnthropicProvider } from '../core/providers/anthropic';
import { checkBaseUrl } from '../core/providers/endpoint';
import { DEFAULT_MODEL, modelInfo } from '../core/providers/models';
import { createNodeProcessPort, findRgOnPath } from '../core/tools';
import { DEFAULT_COMPACTION } from '../core/compaction/settings';
import { safeDescribe } from '../core/agent/tools-exec';
import { lastText } from '../core/agents/report';
import { connectWorker } from '../core/coordinator/client';
import { WorkerBoot } from '../core/coordinator/wire';

async function readBoot(): Promise<WorkerBoot> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 8192) break;
  }
  let parsed: unknown;
  try { parsed = JSON.parse(text.split('\n')[0]!); } catch { throw new Error('--worker reads its connection as one JSON line on stdin; it is started by a coordinator (cairn --coordinator), not by hand'); }
  const r = WorkerBoot.safeParse(parsed);
  if (!r.success) throw new Error('--worker got a connection line it cannot use; it is started by a coordinator (cairn --coordinator), not by hand');
  return r.data;
}

export async function runWorker(args: CliOptions, warn: (w: string) => void): Promise<number> {
  const boot = await readBoot();
  const apiKey = boot.apiKey ?? process.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) { warn('the coordinator gave this worker no API key'); return 1; }
  const baseURL = boot.baseURL ?? process.env.ANTHROPIC_BASE_URL?.trim();
  if (baseURL) {
    const ok = checkBaseUrl(baseURL);
    if (!ok.ok) { warn(`base URL: ${ok.message}`); return 2; }
  }
  const conn = await connectWorker(boot);
  const root = args.root;
  const model = args.model ?? process.env.CAIRN_MODEL ?? DEFAULT_MODEL;
  const maxOutput = Number(args.maxOutputTokens ?? Math.min(8192, modelInfo(model).maxOutput));
  const provider = createAnthropicProvider({ apiKey, ...(baseURL ? { baseURL } : {}) });
  const rgPath = findRgOnPath();
  const { options, sessionId } = assembleSession({
    agentDir: join(root, '.agent'), workspaceRoot: root, trusted: true, mode: args.mode,
    userSettingsPath: process.env.CAIRN_USER_SETTINGS?.trim() || join(homedir(), '.agent', 'settings.json'),
    provider: () => provider,
    model: () => ({ id: model, maxTokens: maxOutput, thinking: args.thinking }),
    limits: () => ({ maxTurns: args.maxTurns, maxCostUsd: args.maxCost }),
    compaction: () => ({ ...DEFAULT_COMPACTION, carryNotes: false }),
    ...(rgPath ? { rgPath } : {}),
    contributions: [],
    ports: { process: createNodeProcessPort() },
    onWarning: warn,
    sessionId: randomUUID(),
  });
  const rt = SessionRuntime.create(options, sessionId);
  const tools = options.tools;
  let toolCount = 0;
  let currentTool: string | undefined;
  const inputs = new Map<string, unknown>();
  const status = () => {
    const snap = rt.snapshot();
    conn.send({ type: 'status', toolCount, usage: snap.usage, ...(currentTool ? { currentTool } : {}), ...(snap.costUsd !== undefined ? { costUsd: snap.costUsd } : {}) });
  };
  rt.onAgentEvent((e) => {
    if (e.t === 'msg' && e.role === 'assistant') { for (const b of e.content) if (b.type === 'tool_use') inputs.set(b.id, b.input); status(); }
    else if (e.t === 'tool_state' && e.state === 'running') {
      const t = tools?.get(e.name);
      currentTool = `${t?.label ?? e.name} ${t ? safeDescribe(t, inputs.get(e.toolUseId) ?? {}) ?? '' : ''}`.trim().slice(0, 120);
      status();
    } else if (e.t === 'tool_result') { toolCount++; currentTool = undefined; status(); }
  });

  const queue: string[] = [];
  let stopping = false;
  let loop: Promise<void> | undefined;
  const report = () => {
    const snap = rt.snapshot();
    const text = lastText(rt.entries);
    return { toolCount, usage: snap.usage, ...(snap.costUsd !== undefined ? { costUsd: snap.costUsd } : {}), ...(text !== undefined ? { report: text.slice(0, 100_000) } : {}), transcript: relative(root, rt.transcriptPath).split('\\').join('/') };
  };
  const work = async () => {
    while (queue.length && !stopping) {
      rt.submit(queue.shift()!);
      const stop = await rt.idle();
      currentTool = undefined;
      const err = rt.snapshot().lastError;
      conn.send({ type: 'done', stop: stop ?? 'aborted', ...report(), ...(err && stop !== 'completed' ? { error: err.message.slice(0, 2000) } : {}) });
    }
    loop = undefined;
  };
  const finished = new Promise<void>((resolve) => {
    conn.onMessage((m) => {
      if (m.type === 'stop') {
        // A worker at work reports what it did so far ('aborted'); an idle one keeps its last result.
        stopping = true;
        rt.abort();
        void (loop ?? Promise.resolve()).then(() => { conn.close(); resolve(); });
        return;
      }
      if (stopping) return;
      queue.push(m.type === 'task' ? m.prompt : m.text);
      loop ??= work();
    });
    void conn.closed.then(() => { stopping = true; rt.abort(); resolve(); });
  });
  conn.send({ type: 'hello', workerId: boot.workerId, pid: process.pid });
  await finished;
  await rt.idle();
  rt.close();
  return 0;
}
