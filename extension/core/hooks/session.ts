/**
 * The session events of hooks, for a front end (the panel, the runner): SessionStart when a session is created
 * or reopened, UserPromptSubmit before a prompt is sent (it may block it or add context), PreCompact before a
 * compaction, Stop when a task ends. Each resolves when its hooks finished; none throws.
 */
import type { Hooks } from './runner';

export interface SessionHooks {
  sessionStart(session: string, resumed: boolean): Promise<void>;
  /** `blocked`: why the prompt must not be sent; `context`: text for the model, one piece per hook. */
  promptSubmit(session: string, prompt: string, signal?: AbortSignal): Promise<{ blocked?: string; context: string[] }>;
  preCompact(session: string, trigger: 'manual' | 'auto'): Promise<void>;
  stop(session: string, stop: string): Promise<void>;
}

/** How a hook's context reaches the model: framed as the hook's words, not the user's. */
export function hookContext(text: string): string {
  return `<hook-context event="UserPromptSubmit">\n${text}\n</hook-context>`;
}

export function sessionHooks(hooks: Hooks): SessionHooks {
  const quiet = async (p: Promise<unknown>) => { try { await p; } catch { /* reported through onReport */ } };
  return {
    sessionStart: (session, resumed) => quiet(hooks.run('SessionStart', { session, resumed })),
    promptSubmit: async (session, prompt, signal) => {
      if (!hooks.has('UserPromptSubmit')) return { context: [] };
      try { return await hooks.userPromptSubmit({ session, prompt }, signal); } catch { return { context: [] }; }
    },
    preCompact: (session, trigger) => quiet(hooks.run('PreCompact', { session, trigger })),
    stop: (session, stop) => quiet(hooks.run('Stop', { session, stop })),
  };
}
