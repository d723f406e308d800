/**
 * The coordinator's tools: the four orchestration tools and the tools that only look. Nothing that edits, runs a
 * command, writes memory or starts a subagent: the coordinator changes nothing itself, its workers do (in their own
 * worktrees). Contributed tools (memory, MCP) are kept only when they are read-only and not external.
 */
import { readFileTool } from '../tools/read-file';
import { listFilesTool } from '../tools/list-files';
import { globTool } from '../tools/glob';
import { createGrepTool } from '../tools/grep';
import { getDiagnosticsTool } from '../tools/get-diagnostics';
import { editorContextTool } from '../tools/editor-context';
import { createStartWorkerTool } from '../tools/start-worker';
import { createMessageWorkerTool } from '../tools/message-worker';
import { createWaitWorkersTool } from '../tools/wait-workers';
import { createStopWorkerTool } from '../tools/stop-worker';
import type { AnyTool } from '../tools/types';
import type { WorkerPool } from './pool';

export const ORCHESTRATION_TOOLS: ReadonlySet<string> = new Set(['message_worker', 'start_worker', 'stop_worker', 'wait_workers']);

export function coordinatorBuiltins(pool: () => WorkerPool, rgPath?: string): AnyTool[] {
  return [
    readFileTool, listFilesTool, globTool, createGrepTool({ rgPath }), getDiagnosticsTool, editorContextTool,
    createStartWorkerTool(pool), createMessageWorkerTool(pool), createWaitWorkersTool(pool), createStopWorkerTool(pool),
  ];
}

/** The contributed tools a coordinator may keep: read-only, and not from another server. */
export function coordinatorExtras(tools: AnyTool[]): AnyTool[] {
  return tools.filter((t) => t.readOnly && t.kind !== 'external' && t.kind !== 'command' && t.kind !== 'edit');
}
