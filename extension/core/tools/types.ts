/**
 * The tool contract. One tool = one file exporting a `Tool`: name, a description written for the model,
 * a zod input schema (sent to the API as JSON Schema), read-only / concurrency-safe flags, and execute().
 * Whether a call may run is decided by the permission engine (core/permissions), never by the tool.
 */
import type { z } from 'zod';
import type { Ports } from '../ports';

export interface ToolContext {
  /** Absolute path of the workspace root (after resolving symlinks). */
  workspaceRoot: string;
  /** Absolute path of this session's folder for large outputs: `.agent/sessions/<id>/`. */
  sessionDir: string;
  sessionId: string;
  /** The id of the tool_use block being executed. */
  toolUseId: string;
  signal: AbortSignal;
  ports: Ports;
  /** What this session has read (mtime, size, hash per path): the edit tools check it. */
  reads: ReadLedger;
  /** Progress for long work, shown on the tool card. */
  progress?(message: string): void;
  /** Extra canonical roots the user allowed besides the workspace (the tools refuse paths outside these). */
  allowedRoots?: string[];
  /**
   * Called by a tool right before it first changes or creates a file in this turn, so the turn can be undone
   * (the agent loop wires it to core/checkpoints). Must resolve before the write happens.
   */
  checkpoint?(absPath: string): Promise<void>;
  /** The current permission mode, when a tool needs it (edit_file routes edits through diff review in 'ask'). */
  mode?: 'ask' | 'accept-edits' | 'plan' | 'auto';
  /** What the loop knows about this session's other tool calls (memory's write discipline uses it). */
  session?: SessionFacts;
}

export interface SessionFacts {
  /** How an earlier tool call of this session ended; undefined for an id the session never ran. */
  outcome(toolUseId: string): 'done' | 'error' | 'interrupted' | undefined;
  /** The tool name of that call. */
  toolName(toolUseId: string): string | undefined;
  /** Ids of this session's calls that succeeded, most recent last. */
  succeeded(): string[];
  /** True once the current task has read untrusted content (command output, files outside the workspace, web pages). */
  readUntrusted(): boolean;
}

export interface ReadRecord { mtimeMs: number; size: number; sha256: string }

export interface ReadLedger {
  get(absPath: string): ReadRecord | undefined;
  set(absPath: string, rec: ReadRecord): void;
}

export interface ToolResult {
  /** What the model sees. Written for the model: say what happened and what to do next. */
  content: string;
  isError?: boolean;
  /** For the UI and the transcript only (never sent to the model): e.g. a diff, a file list, a path. */
  display?: Record<string, unknown>;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** True when the tool never changes anything (files, processes, memory). */
  readOnly: boolean;
  /** True when it may run at the same time as other concurrency-safe calls. */
  concurrencySafe: boolean;
  execute(input: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
  /** True when this call's output is untrusted content (it taints the task for memory writes). */
  untrustedOutput?(input: z.infer<S>, ctx: ToolContext): boolean;
}

/** A tool of any input type, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
