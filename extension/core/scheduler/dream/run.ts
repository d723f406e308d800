/**
 * A dream: memory consolidation while the user is idle. Gates and lock first; then a snapshot of every memory
 * file; then one agent (built by createAgent, like every other) runs the phases orient -> gather -> consolidate ->
 * prune and re-index with a narrow tool set: reading the workspace and past transcripts, and writing only memory
 * through dream_write / dream_delete. Any failure, abort or an index left over its limits rolls memory back to the
 * snapshot; a killed process is rolled back by recoverDreams at the next start. Success leaves a record (diff,
 * changes with reasons, proposals) that the memory view shows and that can be undone for 30 days.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createAgent, type AgentDefinition } from '../../agent/agent';
import type { AgentEvent } from '../../agent/events';
import { MemoryLog } from '../../agent/log';
import type { ModelSettings, TaskLimits } from '../../agent/loop';
import { DEFAULT_RETRY, type RetryPolicy } from '../../agent/retry';
import { checkIndex, parseIndex } from '../../memory/format';
import type { Memory } from '../../memory';
import type { PermissionEngine } from '../../permissions/types';
import type { Ports } from '../../ports';
import type { Provider, ProviderError } from '../../providers/types';
import { ToolFacts } from '../../agent/tools-exec';
import { createReadLedger } from '../../tools/fsutil';
import { globTool } from '../../tools/glob';
import { createGrepTool } from '../../tools/grep';
import { listFilesTool } from '../../tools/list-files';
import { readFileTool } from '../../tools/read-file';
import { createRegistry } from '../../tools/registry';
import { createGuard, type GuardRule } from '../guard';
import { checkDreamGates, readDreamState, takeDreamLock, writeDreamState, type DreamSettings } from './gates';
import { DREAM_STATIC_SYSTEM, dreamBrief } from './prompt';
import {
  diffFiles, pruneDreams, readChanges, readMemoryFiles, writeFilesSnapshot, writeManifest,
  type DreamChange, type DreamManifest, type DreamProposal, type FileDiff,
} from './snapshot';
import { createDreamDeleteTool } from './tools/dream-delete';
import { createDreamWriteTool } from './tools/dream-write';
import { recoverDreams, rollBack } from './undo';

/** The tools a dream may call and how the guard judges each. */
const DREAM_TOOLS: Record<string, GuardRule> = {
  read_file: 'engine-read', list_files: 'engine-read', glob: 'engine-read', grep: 'engine-read',
  memory_view: 'engine-read', memory_read: 'engine-read', transcript_search: 'engine-read', transcript_read: 'engine-read',
  dream_write: 'self', dream_delete: 'self',
};

export interface DreamOptions {
  agentDir: string;
  workspaceRoot: string;
  memory: Memory;
  provider(): Provider | ProviderError;
  /** Default: the chat model settings of the host. */
  model(): ModelSettings;
  settings: DreamSettings;
  /** The workspace's permission engine (the dream's guard only narrows it). */
  permissions: PermissionEngine;
  ports?: Ports;
  retry?: RetryPolicy;
  limits?: TaskLimits;
  userIdle(): boolean;
  /** "Dream now": skip the time, session and idle gates. */
  force?: boolean;
  now?(): number;
  newId?(): string;
  signal?: AbortSignal;
  onEvent?(e: AgentEvent): void;
  /** Called once the snapshot is written (tests use it to stop a process mid-dream). */
  onStarted?(id: string): void;
}

export type DreamResult =
  | { status: 'skipped'; reason: string; recovered: string[] }
  | { status: 'done'; id: string; changes: DreamChange[]; proposals: DreamProposal[]; diff: FileDiff[]; costUsd: number; recovered: string[] }
  | { status: 'rolled_back'; id: string; reason: string; costUsd: number; recovered: string[] };

export const DREAM_LIMITS: TaskLimits = { maxTurns: 40, maxCostUsd: 1 };

export async function runDream(o: DreamOptions): Promise<DreamResult> {
  const now = o.now ?? Date.now;
  const recovered = await recoverDreams(o.agentDir, now());
  const gates = checkDreamGates({ agentDir: o.agentDir, settings: o.settings, now: now(), userIdle: o.userIdle(), force: o.force });
  if (!gates.open) return { status: 'skipped', reason: gates.reason, recovered };
  const release = takeDreamLock(o.agentDir);
  if (!release) return { status: 'skipped', reason: 'another window or the daemon is dreaming now (.agent/state/dream.lock)', recovered };
  const id = `${new Date(now()).toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const manifest: DreamManifest = { id, startedAt: now(), status: 'running', proposals: [] };
  let cost = 0;
  const held: string[] = [];
  // A rolled-back dream leaves nothing behind, not even the new memories it held for review.
  const discardHeld = async () => { for (const h of held) { try { await o.memory.store.discard(h); } catch { /* stays for the user to discard */ } } };
  try {
    const before = readMemoryFiles(o.agentDir);
    // The snapshot is durable before the manifest says "running", and both before the first change.
    writeFilesSnapshot(o.agentDir, id, 'before', before);
    writeManifest(o.agentDir, manifest);
    o.onStarted?.(id);
    const ctx = { store: o.memory.store, agentDir: o.agentDir, dreamId: id, now, proposals: manifest.proposals, held };
    const memTools = o.memory.tools().filter((t) => DREAM_TOOLS[t.name]);
    const registry = createRegistry([readFileTool, listFilesTool, globTool, createGrepTool({}), ...memTools, createDreamWriteTool(ctx), createDreamDeleteTool(ctx)]);
    const definition: AgentDefinition = {
      name: 'dream', label: 'dream', staticSystem: DREAM_STATIC_SYSTEM, tools: Object.keys(DREAM_TOOLS),
      model: o.model, limits: () => o.limits ?? DREAM_LIMITS, maxParallelTools: 4,
    };
    const agent = createAgent(definition, {
      provider: o.provider, tools: registry, permissions: createGuard(o.permissions, { agent: 'dream', tools: DREAM_TOOLS }),
      ports: o.ports ?? { workspaceTrusted: true }, retry: o.retry ?? DEFAULT_RETRY, workspaceRoot: o.workspaceRoot,
      sessionDir: join(o.agentDir, 'state', 'dream', id, 'work'), sessionId: `dream-${id}`, reads: createReadLedger(), facts: new ToolFacts(),
      newId: o.newId ?? (() => randomUUID()), now,
    });
    const log = new MemoryLog([{ t: 'msg', ts: now(), role: 'user', content: [{ type: 'text', text: dreamBrief(o.memory.store, before, gates.sessions, readDreamState(o.agentDir).lastDreamAt, now()) }] }]);
    const signal = o.signal ?? new AbortController().signal;
    const it = agent.run(log, signal);
    let outcome;
    for (;;) {
      const r = await it.next();
      if (r.done) { outcome = r.value; break; }
      if (r.value.t === 'msg' && typeof r.value.costUsd === 'number') cost += r.value.costUsd;
      o.onEvent?.(r.value);
    }
    let problem: string | undefined;
    if (outcome.stop !== 'completed') problem = `the dream stopped (${outcome.stop}${outcome.error ? `: ${outcome.error.message}` : ''})`;
    const index = o.memory.store.readIndex();
    const check = checkIndex(index);
    if (!problem && !check.ok) problem = `the index is over its limits after the dream (${check.error})`;
    if (!problem) {
      const topics = new Set(Object.keys(readMemoryFiles(o.agentDir)).filter((p) => p.startsWith('memory/')).map((p) => p.slice(7, -3)));
      const dangling = parseIndex(index).entries.filter((e) => !topics.has(e.slug)).map((e) => e.slug);
      if (dangling.length) problem = `the index points at missing topics: ${dangling.join(', ')}`;
    }
    if (problem) {
      await rollBack(o.agentDir, manifest, `${problem}; memory was restored to how it was before`, now());
      await discardHeld();
      return { status: 'rolled_back', id, reason: problem, costUsd: cost, recovered };
    }
    const after = readMemoryFiles(o.agentDir);
    writeFilesSnapshot(o.agentDir, id, 'after', after);
    writeManifest(o.agentDir, { ...manifest, status: 'done', endedAt: now(), costUsd: cost });
    writeDreamState(o.agentDir, { lastDreamAt: now(), lastDreamId: id });
    pruneDreams(o.agentDir, now());
    return { status: 'done', id, changes: readChanges(o.agentDir, id), proposals: manifest.proposals, diff: diffFiles(before, after), costUsd: cost, recovered };
  } catch (err) {
    const reason = `the dream failed: ${(err as Error).message}`;
    try { await rollBack(o.agentDir, manifest, `${reason}; memory was restored to how it was before`, now()); } catch { /* recovered at the next start */ }
    await discardHeld();
    return { status: 'rolled_back', id, reason, costUsd: cost, recovered };
  } finally {
    release();
  }
}
