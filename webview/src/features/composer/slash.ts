/** Slash commands in the composer: the built-in /compact and /plan, and the MCP servers' prompts (/mcp__<server>__<prompt>). */
import type { McpPromptInfo } from '../../protocol';

export interface SlashCommand { name: string; detail?: string; prompt?: McpPromptInfo }

export const BUILTIN_COMMANDS: SlashCommand[] = [
  { name: 'compact', detail: 'Summarise the conversation now (optionally: what to keep)' },
  { name: 'plan', detail: 'Plan a task in depth, read-only; the plan comes back for review' },
];

export function promptCommand(p: McpPromptInfo): SlashCommand {
  const args = p.arguments.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ');
  return { name: `mcp__${p.server}__${p.name}`, detail: [p.description, args].filter(Boolean).join(' · ') || `A prompt of the MCP server ${p.server}`, prompt: p };
}

/** The command name being typed (`/na` -> "na"), or null when the text is not a bare slash command. */
export function slashQuery(text: string): string | null {
  const m = /^\/(\S*)$/.exec(text);
  return m ? (m[1] as string) : null;
}

/**
 * `/mcp__<server>__<prompt> a b c`: the prompt and its arguments in order (one word each; the last argument takes
 * the rest of the line). Undefined when the text names no MCP prompt; `unknown` when it names one that is not offered.
 */
export function parsePromptCommand(text: string, prompts: readonly McpPromptInfo[]): { prompt: McpPromptInfo; args: Record<string, string>; missing: string[] } | { unknown: string } | undefined {
  const m = /^\/(mcp__\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  const name = m[1] as string;
  const prompt = prompts.find((p) => `mcp__${p.server}__${p.name}` === name);
  if (!prompt) return { unknown: name };
  let rest = (m[2] ?? '').trim();
  const args: Record<string, string> = {};
  prompt.arguments.forEach((a, i) => {
    if (!rest) return;
    if (i === prompt.arguments.length - 1) { args[a.name] = rest; rest = ''; return; }
    const w = /^(\S+)\s*([\s\S]*)$/.exec(rest)!;
    args[a.name] = w[1] as string;
    rest = w[2] as string;
  });
  const missing = prompt.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
  return { prompt, args, missing };
}
