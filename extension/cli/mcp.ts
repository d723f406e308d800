/**
 * The runner's MCP servers: the user's (`mcpServers` in the runner's user settings file) always start; the
 * project's (.agent/mcp.json) only with --allow-project-mcp (there is no approval dialog headless). Problems and
 * servers that are blocked or failed are written to stderr; nothing is silently left out. The MCP client is
 * loaded only when a server is configured (a run without servers starts as fast as before).
 */
import { readFileSync } from 'node:fs';
import { loadMcpConfig } from '../core/mcp/config';
import type { SessionContribution } from '../core/session/assemble';
import { memoryPins } from '../core/util/pins';

export interface RunnerMcp { contribution: SessionContribution; warnings(): string[]; close(): Promise<void> }

export async function startRunnerMcp(opts: { root: string; userSettingsPath: string; allowProject: boolean; warn(message: string): void }): Promise<RunnerMcp> {
  let userServers: unknown;
  try {
    const doc = JSON.parse(readFileSync(opts.userSettingsPath, 'utf8')) as Record<string, unknown>;
    userServers = doc && typeof doc === 'object' ? doc.mcpServers : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') opts.warn(`${opts.userSettingsPath}: could not be read for MCP servers (${(e as Error).message})`);
  }
  const config = loadMcpConfig({ workspaceRoot: opts.root, userServers, userSource: `${opts.userSettingsPath} (mcpServers)` });
  for (const p of config.problems) opts.warn(`mcp: ${p}`);
  if (!config.servers.length) return { contribution: {}, warnings: () => [], close: async () => {} };
  const { McpManager } = await import('../core/mcp/manager');
  const manager = new McpManager({ workspaceRoot: opts.root, trusted: true, servers: config.servers, pins: memoryPins(), allowProject: opts.allowProject });
  await manager.start();
  for (const s of manager.servers()) {
    if (s.state === 'ready') continue;
    opts.warn(`mcp: server ${s.name} ${s.state}: ${s.error ?? 'unknown reason'}${s.stderrTail ? `\n${s.stderrTail.split('\n').slice(-5).join('\n')}` : ''}`);
  }
  return { contribution: { tools: () => manager.sessionTools() }, warnings: () => manager.warnings(), close: () => manager.close() };
}
