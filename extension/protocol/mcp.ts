/**
 * The panel's MCP servers and hooks: each server's state (with its stderr tail when it failed, its tools, whether
 * its tools changed since the session started), each hook (running, or blocked and why, and its last failure),
 * the configuration's problems, and the restart request. Merged into the maps in requests.ts / events.ts.
 */
import * as z from 'zod';
import { MAX_MENTION_CANDIDATES, MentionCandidate } from './panel';

export const McpServerState = z.enum(['blocked', 'starting', 'ready', 'failed', 'stopped']);
export type McpServerState = z.infer<typeof McpServerState>;

export const McpServerInfo = z.strictObject({
  name: z.string().max(64),
  scope: z.enum(['user', 'project']),
  transport: z.enum(['stdio', 'http']),
  state: McpServerState,
  toolCount: z.number().int().nonnegative(),
  /** Its tools as the model sees them (mcp__<server>__<tool>), sorted. */
  tools: z.array(z.string().max(200)).max(1_000),
  /** Why it failed, stopped or is blocked. */
  error: z.string().max(4_000).optional(),
  /** The last lines it wrote to stderr (redacted). */
  stderrTail: z.string().max(4_000).optional(),
  /** Its tools differ from the open session's: the new ones wait for the next session. */
  toolsChanged: z.boolean().optional(),
  /** What runs: the command line or the URL (environment values and headers left out). */
  summary: z.string().max(2_000),
});
export type McpServerInfo = z.infer<typeof McpServerInfo>;

export const HookEventName = z.enum(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PreCompact', 'Stop']);

export const HookInfo = z.strictObject({
  event: HookEventName,
  command: z.string().max(4_000),
  scope: z.enum(['user', 'project']),
  matcher: z.string().max(1_000).optional(),
  /** active: it runs; blocked: it never runs (why says why). */
  state: z.enum(['active', 'blocked']),
  why: z.string().max(1_000).optional(),
  /** Its last run that failed or timed out (redacted), and when. */
  lastProblem: z.string().max(2_000).optional(),
  lastProblemAt: z.number().optional(),
});
export type HookInfo = z.infer<typeof HookInfo>;

export const ExtensionsStatus = z.strictObject({
  servers: z.array(McpServerInfo).max(200),
  hooks: z.array(HookInfo).max(500),
  /** Mistakes in the configuration (file and field named); what they concern was left out. */
  problems: z.array(z.string().max(2_000)).max(100),
});
export type ExtensionsStatus = z.infer<typeof ExtensionsStatus>;

export const McpPromptInfo = z.strictObject({
  server: z.string().max(64),
  name: z.string().max(200),
  description: z.string().max(2_000).optional(),
  arguments: z.array(z.strictObject({ name: z.string().max(200), description: z.string().max(1_000).optional(), required: z.boolean() })).max(50),
});
export type McpPromptInfo = z.infer<typeof McpPromptInfo>;

export const mcpRequestSchemas = {
  /** The MCP servers and hooks as they are now (the panel then follows mcp/changed). */
  'mcp/status': { params: z.strictObject({}), result: ExtensionsStatus },
  /** Restart one server (a blocked project server is asked about again). */
  'mcp/restart': { params: z.strictObject({ name: z.string().min(1).max(64) }), result: z.strictObject({ ok: z.boolean(), state: McpServerState.optional() }) },
  /** Resources of the ready servers matching `@query` (name or URI), as mention candidates of kind mcp-resource. */
  'mcp/resources': { params: z.strictObject({ query: z.string().max(200) }), result: z.strictObject({ candidates: z.array(MentionCandidate).max(MAX_MENTION_CANDIDATES) }) },
  /** The prompts of the ready servers (the composer offers them as /mcp__<server>__<prompt>). */
  'mcp/prompts': { params: z.strictObject({}), result: z.strictObject({ prompts: z.array(McpPromptInfo).max(500) }) },
  /** Expand one prompt with its arguments into the text to send. */
  'mcp/getPrompt': {
    params: z.strictObject({ server: z.string().min(1).max(64), name: z.string().min(1).max(200), args: z.record(z.string().max(200), z.string().max(20_000)) }),
    result: z.strictObject({ text: z.string().max(200_000) }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const mcpEventSchemas = {
  /** A server changed state or tools, a hook failed, or the configuration was reloaded: the whole (small) status. */
  'mcp/changed': ExtensionsStatus,
} as const satisfies Record<string, z.ZodType>;

/**
 * The server and tool of an MCP tool's name (`mcp__<server>__<tool>`; a server name never holds `__`, so the
 * split is exact). Undefined for any other tool.
 */
export function mcpToolParts(name: string): { server: string; tool: string } | undefined {
  const m = /^mcp__((?:(?!__)[A-Za-z0-9_-])+)__(.+)$/.exec(name);
  return m ? { server: m[1] as string, tool: m[2] as string } : undefined;
}
