/** The built-in tools. */
import type { AnyTool } from './types';
import { readFileTool } from './read-file';
import { listFilesTool } from './list-files';
import { globTool } from './glob';
import { createGrepTool } from './grep';
import { editFileTool } from './edit-file';
import { writeFileTool } from './write-file';
import { runCommandTool } from './run-command';
import { getDiagnosticsTool } from './get-diagnostics';
import { editorContextTool } from './editor-context';
import { createTodoTool, TodoStore } from './todo';
import { createProposePlanTool } from './propose-plan';
import { createUpdatePlanStepTool } from './update-plan-step';
import type { PlanState } from '../planner/state';

export interface BuiltinOptions {
  /** Path to ripgrep (VS Code ships one); without it grep uses its JavaScript search. */
  rgPath?: string;
  todoStore?: TodoStore;
  /** The `agent` tool (subagents), when the session offers it (tools/agent.ts; it needs the session's services). */
  agentTool?: AnyTool;
  /** The session's plan (propose_plan and update_plan_step work on it); without it those two tools are absent. */
  plans?: PlanState;
}

export function builtinTools(opts: BuiltinOptions = {}): AnyTool[] {
  return [
    readFileTool, listFilesTool, globTool, createGrepTool({ rgPath: opts.rgPath }), editFileTool, writeFileTool,
    runCommandTool, getDiagnosticsTool, editorContextTool, createTodoTool(opts.todoStore ?? new TodoStore()),
    ...(opts.agentTool ? [opts.agentTool] : []),
    ...(opts.plans ? [createProposePlanTool(opts.plans), createUpdatePlanStepTool(opts.plans)] : []),
  ];
}

export { createRegistry, type Registry, type ApiTool } from './registry';
export { createReadLedger } from './fsutil';
export { createNodeProcessPort } from './node-process';
export { TodoStore } from './todo';
export { SessionJobs, type JobInfo } from './jobs';
export { findRgOnPath } from './grep';
export { createAgentTool } from './agent';
