/** The permission engine's vocabulary. See DESIGN.md §8. */

/** The one declaration lives in the protocol (the panel's mode picker shares it). */
export type { PermissionMode } from '../../protocol/model';
import type { PermissionMode } from '../../protocol/model';
import type { ToolKind } from '../tools/types';

export type RuleEffect = 'allow' | 'ask' | 'deny';

/** A rule like `run_command(npm test:*)`, `read_file(**\/.env*)`, `edit_file(src/**)`, or a bare tool name. */
export interface PermissionRule {
  effect: RuleEffect;
  /** The rule as written, e.g. "run_command(npm test:*)". */
  pattern: string;
  source: 'user' | 'project' | 'local' | 'session' | 'default';
}

export type Decision =
  | { behavior: 'allow'; reason: string }
  | { behavior: 'ask'; reason: string }
  | { behavior: 'deny'; reason: string };

export interface PermissionCheck {
  tool: string;
  /** The tool's own declaration of what it does (Tool.kind). */
  kind: ToolKind;
  input: unknown;
  readOnly: boolean;
  /** The call's path, already resolved by `resolve` (resolved once per call, shared with the tool). */
  target?: ResolvedPath;
}

/** A path as a call gave it, resolved against the workspace (symlinks followed). */
export interface ResolvedPath {
  /** As the call gave it. */
  given: string;
  abs: string;
  /** Canonical (symlinks resolved). */
  real: string;
  /** Relative to the workspace root (or the real path when outside). */
  rel: string;
  /** Inside the workspace or a folder the user added. */
  inside: boolean;
}

export interface PermissionEngine {
  check(call: PermissionCheck): Decision;
  /** Remember an "always allow" answer. */
  addRule(rule: PermissionRule): void;
  mode(): PermissionMode;
  /** The narrowest rule that would allow this call again (e.g. "run_command(npm test)"), for "always allow". */
  suggestRule?(call: PermissionCheck): string | undefined;
  /** Resolve a call's path the way the engine judges it (throws a PathError for a malformed path). */
  resolve(p: string, base?: string): ResolvedPath;
  /** The workspace root and the folders the user added, canonical. */
  roots(): string[];
}
