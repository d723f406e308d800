/**
 * The permission layer of the background agents (dream, proactive ticks). It wraps the workspace's engine and can
 * only narrow it: a tool not named in the policy is denied; a tool judged by the engine may only read; a command
 * runs only when it is on the allowlist of tests, builds and linters; nothing ever "asks" (nobody is there to
 * answer), so an ask becomes a deny. Rules and modes cannot widen it: an allow rule for write_file does not let
 * a proactive tick write. The tool list the agent sends never changes (the cache); denials happen here.
 */
import { createPermissionEngine } from '../permissions/engine';
import type { Decision, PermissionCheck, PermissionEngine, PermissionMode, PermissionRule, ResolvedPath } from '../permissions/types';

/** How a tool the policy names is judged: by the engine (read-only only), by itself (it confines its own writes), or as a command. */
export type GuardRule = 'engine-read' | 'self' | 'command';

export interface GuardPolicy {
  /** Who is asking, for the messages ("dream", "proactive tick"). */
  agent: string;
  tools: Readonly<Record<string, GuardRule>>;
}

const deny = (reason: string): Decision => ({ behavior: 'deny', reason });

/** Characters that make a command line more than one plain program call (chaining, redirection, expansion, quoting). */
const SHELL_META = /[;&|<>`$(){}[\]*?~!#'"\\\n\r]/;
/** Arguments that turn a check into a change (eslint --fix, prettier --write, vitest -u, npm test -- --update...). */
const MUTATING_ARG = /^(--?fix\b|--write\b|-w$|-u$|--update|--updateSnapshot|--ci=false|--force\b|--unsafe)/i;
const SAFE_ARG = /^[\w./:=@%+,-]+$/;

/** The commands a background agent may run: tests, builds, type checks and linters, each as a plain call. */
const ALLOWED: readonly RegExp[] = [
  /^npm (test|t)$/, /^npm run (test|build|lint|typecheck|check|compile)(:[\w-]+)?$/,
  /^pnpm (test|run (test|build|lint|typecheck|check)(:[\w-]+)?)$/, /^yarn (test|build|lint|typecheck)$/,
  /^npx (vitest run|jest|tsc --noEmit|tsc -p [\w./-]+ --noEmit|eslint)$/,
  /^cargo (test|check|build|clippy)$/, /^go (test|vet|build) \.\/\.\.\.$/, /^(python -m )?pytest$/, /^make (test|check|lint)$/,
];

/** Why a command is not one a background agent may run, or undefined when it may. */
export function commandProblem(command: string): string | undefined {
  const cmd = command.trim().replace(/\s+/g, ' ');
  if (!cmd) return 'no command given';
  if (SHELL_META.test(cmd)) return 'only a single plain command may run in the background (no chaining, redirection, quoting or expansion)';
  const words = cmd.split(' ');
  // The longest allow-listed head, then only harmless arguments (paths, test names, plain flags).
  for (let n = Math.min(words.length, 5); n >= 1; n--) {
    const head = words.slice(0, n).join(' ');
    if (!ALLOWED.some((re) => re.test(head))) continue;
    const rest = words.slice(n).filter((w) => w !== '--');
    const bad = rest.find((w) => !SAFE_ARG.test(w) || MUTATING_ARG.test(w));
    return bad ? `the argument "${bad}" could change files` : undefined;
  }
  return `"${words.slice(0, 3).join(' ')}" is not an allow-listed test, build or lint command`;
}

/**
 * The engine a background guard wraps: the workspace's rules in ask mode. Not plan mode: plan mode denies every
 * command that is not read-only, tests and builds included, so a proactive tick could never run the allow-listed
 * `npm test`. Ask mode is no wider here: the guard admits only read-only calls of the tools it names (an engine
 * "ask" becomes a deny) and allow-listed commands, and the engine's denials (the user's deny rules, an untrusted
 * workspace, a folder outside) still win.
 */
export function createBackgroundEngine(o: { workspaceRoot: string; trusted: boolean; rules: PermissionRule[]; additionalDirectories?: string[] }): PermissionEngine {
  return createPermissionEngine({ workspaceRoot: o.workspaceRoot, trusted: o.trusted, mode: 'ask', rules: o.rules, ...(o.additionalDirectories ? { additionalDirectories: o.additionalDirectories } : {}) });
}

export function createGuard(base: PermissionEngine, policy: GuardPolicy): PermissionEngine {
  return {
    check(call: PermissionCheck): Decision {
      const rule = policy.tools[call.tool];
      if (!rule) return deny(`the ${policy.agent} may not use ${call.tool} (background agents only read, and never change the workspace)`);
      if (rule === 'self') return { behavior: 'allow', reason: `${call.tool} confines itself to its own files` };
      if (rule === 'engine-read') {
        if (!call.readOnly) return deny(`the ${policy.agent} never writes or edits files`);
        const d = base.check(call);
        return d.behavior === 'ask' ? deny(`${d.reason}; the ${policy.agent} cannot ask the user, so it is not run`) : d;
      }
      const input = (call.input ?? {}) as Record<string, unknown>;
      if (typeof input.command !== 'string') return deny('no command given');
      if (input.background === true) return deny(`the ${policy.agent} does not start background jobs`);
      const problem = commandProblem(input.command);
      if (problem) return deny(`${problem}; the ${policy.agent} runs only tests, builds and linters`);
      const d = base.check(call);
      // The engine's deny (a user's deny rule, an untrusted workspace, a folder outside) still wins.
      return d.behavior === 'deny' ? d : { behavior: 'allow', reason: `allow-listed ${policy.agent} command` };
    },
    addRule(_rule: PermissionRule) { /* background agents never remember an answer */ },
    mode: (): PermissionMode => 'plan',
    resolve: (p: string, b?: string): ResolvedPath => base.resolve(p, b),
    roots: () => base.roots(),
  };
}
