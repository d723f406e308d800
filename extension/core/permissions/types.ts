/** The permission engine's vocabulary. See DESIGN.md §8. */

export type PermissionMode = 'ask' | 'accept-edits' | 'plan' | 'auto';

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
  input: unknown;
  readOnly: boolean;
}

export interface PermissionEngine {
  check(call: PermissionCheck): Decision;
  /** Remember an "always allow" answer. */
  addRule(rule: PermissionRule): void;
  mode(): PermissionMode;
  /** The narrowest rule that would allow this call again (e.g. "run_command(npm test)"), for "always allow". */
  suggestRule?(call: PermissionCheck): string | undefined;
}
