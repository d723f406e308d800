/**
 * MCP for a session: the configuration (config.ts), one connection per server (connection.ts), their tools as
 * Cairn tools (tools.ts) and the manager that decides which servers may start (manager.ts). A front end builds
 * the manager, starts it, and passes `mcpContribution(manager)` to assembleSession.
 */
import type { SessionContribution } from '../session/assemble';
import type { McpManager } from './manager';

export { loadMcpConfig, parseServers, serverPin, describeServer, PROJECT_MCP_FILE, type ServerSpec } from './config';
export { McpManager, type ServerView, type McpManagerOptions } from './manager';
export type { ServerState } from './connection';
export { mcpToolName } from './tools';

/** The session's MCP tools: those of the servers ready when the session is assembled (fixed for that session). */
export function mcpContribution(manager: McpManager): SessionContribution {
  return { tools: () => manager.sessionTools() };
}
