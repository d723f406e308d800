/**
 * A subagent's permissions: the intersection of its parent's and its type's, never more than either. Every call
 * is judged by the parent's engine (same mode, rules, protected paths and trust) AND by the type's scope and deny
 * rules; the stricter answer wins (deny > ask > allow). So a plan-mode or read-only parent cannot escalate through
 * a subagent, a type's deny rules are never dropped, and an edit denied to a subagent cannot be done through a
 * command instead (the command line is judged by the same grammar as plan mode).
 */
import { createPermissionEngine } from '../permissions/engine';
import { judgeLine } from '../permissions/command-line';
import type { Decision, PermissionCheck, PermissionEngine } from '../permissions/types';
import type { AgentType } from './types';

const RANK = { allow: 0, ask: 1, deny: 2 } as const;

/** The stricter of two decisions (the first when equal). */
export function stricter(a: Decision, b: Decision): Decision {
  return RANK[b.behavior] > RANK[a.behavior] ? b : a;
}

/** What the type's scope alone says about a call (undefined: nothing against it). */
export function scopeDecision(type: Pick<AgentType, 'name' | 'scope'>, call: PermissionCheck): Decision | undefined {
  if (type.scope === 'none') return undefined;
  const who = `the ${type.name} subagent`;
  const deny = (why: string): Decision => ({ behavior: 'deny', reason: `${who} ${why}` });
  switch (call.kind) {
    case 'edit': return deny('edits nothing (its type is ' + type.scope + ')');
    case 'memory': return call.readOnly ? undefined : deny('cannot write memory');
    case 'external': return deny('cannot use external tools (they may change things)');
    case 'command': {
      const input = call.input as Record<string, unknown> | null;
      if (!input || typeof input !== 'object') return deny('got a malformed command');
      if (input.command === undefined && typeof input.stop_job === 'string') return undefined;
      if (typeof input.command !== 'string' || !input.command.trim()) return deny('got no command');
      if (input.background === true) return deny('does not start background jobs');
      const { segs, risks } = judgeLine(input.command);
      if (risks.length) return deny(`runs no command with ${risks[0]} (it could change files)`);
      if (!segs.length) return deny('could not read the command');
      if (type.scope === 'read-only') {
        const s = segs.find((x) => x.c.kind !== 'read-only');
        return s ? deny(`runs only read-only commands (${s.c.why ?? `${s.seg.words[0] ?? 'this'} is not read-only`})`) : undefined;
      }
      // verify: reading commands and routine dev commands (tests, builds, linters); never one that writes files
      // or the repository itself (cp, mv, touch, git commit/checkout...).
      const s = segs.find((x) => x.c.kind === 'other' || (x.c.kind === 'dev' && (x.c.git !== undefined || x.c.paths?.some((p) => p.use === 'write'))));
      return s ? deny(`runs only read-only, test and build commands (${s.c.kind === 'other' && s.c.why ? s.c.why : `${s.seg.words.slice(0, 2).join(' ')} changes files`})`) : undefined;
    }
    default: return undefined;
  }
}

/** The engine a subagent of `type` is judged by, under `parent`. */
export function scopedPermissions(parent: PermissionEngine, type: Pick<AgentType, 'name' | 'scope' | 'deny'>): PermissionEngine {
  // The type's own rules are judged by an engine of their own in the loosest mode: it can only add denials.
  const typeEngine = type.deny.length ? createPermissionEngine({
    workspaceRoot: parent.roots()[0]!, additionalDirectories: parent.roots().slice(1), trusted: true, mode: 'auto',
    rules: type.deny.map((pattern) => ({ effect: 'deny' as const, pattern, source: 'project' as const })),
  }) : undefined;
  return {
    check(call) {
      let d = parent.check(call);
      if (d.behavior === 'deny') return d;
      const s = scopeDecision(type, call);
      if (s) d = stricter(d, s);
      if (typeEngine && d.behavior !== 'deny') {
        const t = typeEngine.check(call);
        if (t.behavior === 'deny') d = { behavior: 'deny', reason: `${t.reason} (a rule of the ${type.name} type)` };
      }
      return d;
    },
    addRule: (rule) => parent.addRule(rule),
    mode: () => parent.mode(),
    ...(parent.suggestRule ? { suggestRule: (call: PermissionCheck) => parent.suggestRule!(call) } : {}),
    resolve: (p, base) => parent.resolve(p, base),
    roots: () => parent.roots(),
  };
}
