/**
 * Subagent types: what a subagent may use and how it is told to work. A type is data. Built-ins (builtins.ts)
 * and the user's own (`.agent/agents/<name>.md`, load.ts) share this shape; the `agent` tool
 * (core/tools/agent.ts) starts one with a fresh context, scoped to the parent (scope.ts).
 */

/**
 * How far a type is kept from changing things, on top of its parent's permissions:
 * - read-only: no edits, no memory writes, only read-only commands (like plan mode);
 * - verify: no edits, no memory writes; commands may run tests and builds, never one that changes files
 *   another way (git apply, patch, a redirection, ...);
 * - none: the parent's permissions as they are.
 */
export type TypeScope = 'read-only' | 'verify' | 'none';

export interface AgentType {
  name: string;
  /** One line for the `agent` tool's description: when to use it. */
  description: string;
  /** Tool names it may use ('parent': every tool the parent has). Always intersected with the parent's. */
  tools: 'parent' | readonly string[];
  scope: TypeScope;
  /** Permission rules the type adds (e.g. `run_command(git push:*)`); they can only narrow. */
  deny: readonly string[];
  /** A model id; absent: the parent's model. */
  model?: string;
  /** The type's instructions (the end of its system prompt). */
  instructions: string;
  source: 'builtin' | 'user';
  /** Where a user type was read from (relative to the workspace). */
  file?: string;
}

/** A type name: a short lowercase word (also a file name). */
export const TYPE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/** Tools a subagent never gets, whatever its type: they belong to the parent's session (its task list, plan). */
export const PARENT_ONLY_TOOLS: ReadonlySet<string> = new Set(['todo', 'propose_plan', 'update_plan_step', 'exit_plan_mode']);
