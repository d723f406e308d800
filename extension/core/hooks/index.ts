/**
 * Hooks: commands the user configures to run at points of a session (config.ts), run with a JSON payload, a
 * timeout and the scrubbed environment (runner.ts). `toolHooks` plugs PreToolUse / PostToolUse into the tool
 * executor.
 */
import type { ToolHooks } from '../agent/tools-exec';
import type { Hooks } from './runner';

export { HOOK_EVENTS, loadHooksConfig, parseHooks, hookPin, type HookEvent, type HookSpec } from './config';
export { Hooks, MAX_CONTEXT, type HookReport, type HooksOptions } from './runner';
export { hookContext, sessionHooks, type SessionHooks } from './session';

export function toolHooks(hooks: Hooks): ToolHooks | undefined {
  if (!hooks.has('PreToolUse') && !hooks.has('PostToolUse')) return undefined;
  return {
    pre: (tool, input, signal) => hooks.preToolUse(tool, input, signal),
    post: async (tool, input, result, signal) => { await hooks.run('PostToolUse', { tool, input, result: result.content, isError: result.isError }, signal, tool); },
  };
}
