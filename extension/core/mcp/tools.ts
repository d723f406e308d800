/**
 * The tools of an MCP server as Cairn tools: named `mcp__<server>__<tool>`, kind 'external' (the permission
 * engine asks for them unless a rule allows: no mode approves them by itself), never read-only or concurrent
 * (a server's own "read-only" hint is its claim, not a fact), output untrusted. The description and the schema
 * are the server's, sent as given (after the built-in tools, so the cached prefix stays stable).
 */
import { z } from 'zod';
import type { AnyTool } from '../tools/types';
import type { McpConnection, McpToolInfo } from './connection';

/** Longest description sent for one MCP tool. */
export const MAX_DESCRIPTION = 2_000;

export function mcpToolName(server: string, tool: string): string {
  return `mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * One MCP tool. `current` names the server's connection at call time (after the configuration was reloaded the
 * session's tools call the server's new connection); by default the connection the tool was listed from.
 */
export function mcpTool(conn: McpConnection, info: McpToolInfo, current: () => McpConnection | undefined = () => conn): AnyTool {
  const server = conn.spec.name;
  const desc = info.description.trim() || `The ${info.name} tool of the MCP server ${server}.`;
  const schema = info.inputSchema && typeof info.inputSchema === 'object' && info.inputSchema.type === 'object' ? info.inputSchema : { type: 'object', properties: {} };
  return {
    name: mcpToolName(server, info.name),
    description: desc.length > MAX_DESCRIPTION ? `${desc.slice(0, MAX_DESCRIPTION)}…` : desc,
    input: z.record(z.string(), z.unknown()),
    inputSchema: schema,
    origin: server,
    kind: 'external',
    readOnly: false,
    concurrencySafe: false,
    label: `${server}: ${info.name}`,
    describe: (input: Record<string, unknown>) => {
      const s = JSON.stringify(input ?? {});
      return s.length > 200 ? `${s.slice(0, 200)}…` : s;
    },
    async execute(input: Record<string, unknown>, ctx) {
      const live = current();
      if (!live) return { content: `The MCP server "${server}" is no longer configured, so ${info.name} was not called. Carry on without it or tell the user.`, isError: true };
      const out = await live.call(info.name, input ?? {}, ctx.signal);
      return { content: out.content, isError: out.isError, display: { mcpServer: server, mcpTool: info.name } };
    },
  };
}

/** The tools of ready servers, with names that fit the API (too long or duplicated names are left out and reported). */
export function toolsOf(conns: readonly McpConnection[], problems: string[] = [], current?: (server: string) => McpConnection | undefined): AnyTool[] {
  const out: AnyTool[] = [];
  const seen = new Set<string>();
  for (const c of conns) {
    if (c.state !== 'ready') continue;
    for (const info of c.tools) {
      const name = mcpToolName(c.spec.name, info.name);
      if (name.length > 64) { problems.push(`MCP server ${c.spec.name}: tool ${info.name} was left out (the name ${name} is longer than 64 characters)`); continue; }
      if (seen.has(name)) { problems.push(`MCP server ${c.spec.name}: tool ${info.name} was left out (another tool is also named ${name})`); continue; }
      seen.add(name);
      out.push(mcpTool(c, info, current ? () => current(c.spec.name) : undefined));
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
