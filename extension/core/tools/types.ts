/**
 * The tool contract. One tool = one file exporting a `Tool`: its identity and metadata (name, a description
 * written for the model, a zod input schema sent to the API as JSON Schema, its kind, read-only and
 * concurrency-safe flags, how a call is described to the user) and execute(). Whether a call may run is decided
 * by the permission engine (core/permissions) from that metadata, never by the tool.
 */
import type { z } from 'zod';
import type { Ports } from '../ports';
import type { ResolvedPath } from '../permissions/types';

/**
 * What a tool does, for the permission engine and the front ends:
 * read (files and folders of the workspace), edit (writes files), command (runs processes), memory (the .agent
 * memory, with its own write discipline), state (session state only: the task list, editor facts), agent
 * (starts other agents), external (tools of other servers).
 */
export type ToolKind = 'read' | 'edit' | 'command' | 'memory' | 'state' | 'agent' | 'external';

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
  /** The call's path (`Tool.path`), resolved once before the permission check; tools use it instead of resolving again. */
  target?: ResolvedPath;
  /**
   * Present when the permission engine said "ask" and this tool presents its change as a diff review
   * (`approval: 'diff'`): the tool must call it with the proposed text before writing, and write only what it
   * resolves with (undefined: the user rejected it). Absent: the call is already allowed.
   */
  review?(absPath: string, before: string, after: string): Promise<{ text: string } | undefined>;
  /** This session's background jobs. */
  jobs?: JobRegistry;
  /**
   * Called by a tool right before it first changes or creates a file in this turn, so the turn can be undone
   * (the agent loop wires it to core/checkpoints). Must resolve before the write happens.
   */
  checkpoint?(absPath: string): Promise<void>;
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
  /** The turn ends after this call's response (propose_plan: the next step is the user's). */
  endsTurn?: boolean;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** The input's JSON Schema as sent to the API, when it does not come from `input` (tools of MCP servers). */
  inputSchema?: Record<string, unknown>;
  /** Where an external tool comes from (the MCP server's name): shown on its card. */
  origin?: string;
  kind: ToolKind;
  /** True when the tool never changes anything (files, processes, memory). */
  readOnly: boolean;
  /** True when it may run at the same time as other concurrency-safe calls. */
  concurrencySafe: boolean;
  /** The card's label in the panel: a short verb or noun ("Read", "Edit", "Run"). */
  label: string;
  /** What this call does, in one line, for approvals, tool cards and the headless runner ("src/a.ts", "npm test"). */
  describe(input: z.infer<S>): string;
  /** The workspace path the call reads or writes (read and edit kinds; a command's working folder). */
  path?(input: z.infer<S>): string | undefined;
  /** How an "ask" is put to the user: a plain approval (default), or a per-hunk review of the change ('diff'). */
  approval?: 'prompt' | 'diff';
  execute(input: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
  /**
   * True when this call's output is content nobody vouched for (it taints the task: memory writes are held for
   * review). Default: by kind — read and command output is untrusted (a file may hold planted instructions).
   */
  untrustedOutput?(input: z.infer<S>, ctx: ToolContext): boolean;
}

/** A session's background jobs (servers, watchers started by run_command). */
export interface JobRegistry {
  start(job: { command: string; log: string; ctl: AbortController; done: Promise<number | null> }): string;
  get(id: string): { id: string; command: string; log: string; running: boolean; exit?: number | null } | undefined;
  stop(id: string): Promise<boolean>;
  list(): Array<{ id: string; command: string; log: string; running: boolean; exit?: number | null }>;
  stopAll(): Promise<void>;
}

/** A tool of any input type, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
