/**
 * Hook configuration: the user's (`cairn.hooks`, or `hooks` in the runner's user settings file) and the
 * project's (`hooks` in `.agent/settings.json`). One shape:
 *
 *   { "hooks": { "PreToolUse": [ { "matcher": "run_command|mcp__github__.*", "command": "./check.sh", "timeoutMs": 10000 } ],
 *                "Stop": [ { "command": "notify-send done" } ] } }
 *
 * `matcher` (PreToolUse and PostToolUse only) is a regular expression over the tool name, anchored at both
 * ends; none matches every tool. Every problem names the file and the field; a bad hook is left out.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PreCompact', 'Stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookSpec {
  event: HookEvent;
  command: string;
  matcher?: RegExp;
  matcherSource?: string;
  timeoutMs: number;
  scope: 'user' | 'project';
  source: string;
}

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

const hookSchema = z.strictObject({
  command: z.string().trim().min(1, 'must not be empty'),
  matcher: z.string().optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
});

export function parseHooks(doc: unknown, scope: HookSpec['scope'], source: string): { hooks: HookSpec[]; problems: string[] } {
  const hooks: HookSpec[] = [];
  const problems: string[] = [];
  if (doc === undefined || doc === null) return { hooks, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { hooks, problems: [`${source}: hooks must be an object mapping an event (${HOOK_EVENTS.join(', ')}) to a list of hooks`] };
  for (const [event, list] of Object.entries(doc as Record<string, unknown>)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) { problems.push(`${source}: hooks.${event}: unknown event (use ${HOOK_EVENTS.join(', ')}); skipped`); continue; }
    if (!Array.isArray(list)) { problems.push(`${source}: hooks.${event}: must be a list of { "command": ... }; skipped`); continue; }
    list.forEach((raw, i) => {
      const at = `${source}: hooks.${event}[${i}]`;
      const r = hookSchema.safeParse(raw);
      if (!r.success) { problems.push(`${at}: ${r.error.issues.slice(0, 3).map((x) => `${x.path.map(String).join('.') || '(hook)'} ${x.message}`).join('; ')}; skipped`); return; }
      let matcher: RegExp | undefined;
      if (r.data.matcher !== undefined && r.data.matcher !== '' && r.data.matcher !== '*') {
        if (event !== 'PreToolUse' && event !== 'PostToolUse') { problems.push(`${at}: matcher applies only to PreToolUse and PostToolUse; skipped`); return; }
        try { matcher = new RegExp(`^(?:${r.data.matcher})$`); } catch (e) { problems.push(`${at}: matcher is not a valid regular expression (${(e as Error).message}); skipped`); return; }
      }
      hooks.push({ event: event as HookEvent, command: r.data.command, ...(matcher ? { matcher, matcherSource: r.data.matcher } : {}), timeoutMs: r.data.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS, scope, source });
    });
  }
  return { hooks, problems };
}

export const PROJECT_HOOKS_FILE = join('.agent', 'settings.json');

/** The user's hooks, then the project's (`hooks` in .agent/settings.json). */
export function loadHooksConfig(opts: { workspaceRoot: string; userHooks?: unknown; userSource?: string }): { hooks: HookSpec[]; problems: string[] } {
  const user = parseHooks(opts.userHooks, 'user', opts.userSource ?? 'user settings (cairn.hooks)');
  let project = { hooks: [] as HookSpec[], problems: [] as string[] };
  let text: string | undefined;
  try { text = readFileSync(join(opts.workspaceRoot, PROJECT_HOOKS_FILE), 'utf8'); } catch { /* no project settings */ }
  if (text !== undefined) {
    try {
      const doc = JSON.parse(text) as Record<string, unknown>;
      project = parseHooks(doc && typeof doc === 'object' ? doc.hooks : undefined, 'project', PROJECT_HOOKS_FILE);
    } catch (e) { project.problems.push(`${PROJECT_HOOKS_FILE}: is not valid JSON (${(e as Error).message}); no project hook was loaded`); }
  }
  return { hooks: [...user.hooks, ...project.hooks], problems: [...user.problems, ...project.problems] };
}

/** The pin of a project hook: its event, matcher, exact command and workspace. */
export function hookPin(h: HookSpec, workspaceRoot: string): string {
  return createHash('sha256').update(JSON.stringify({ kind: 'hook', event: h.event, matcher: h.matcherSource ?? null, command: h.command, workspace: workspaceRoot })).digest('hex');
}
