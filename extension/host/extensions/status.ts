/** The panel's view of the MCP servers and hooks (pure: the service gives the facts, this shapes them for the protocol). */
import type { HookSpec } from '../../core/hooks';
import type { ServerView } from '../../core/mcp';
import type { ExtensionsStatus, HookInfo, McpServerInfo } from '../../protocol/mcp';

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function hookKey(event: string, command: string): string { return `${event}\u0000${command}`; }

export function serverInfo(s: ServerView): McpServerInfo {
  return {
    name: s.name, scope: s.scope, transport: s.transport, state: s.state, toolCount: s.toolCount, tools: s.tools.slice(0, 1_000),
    summary: cut(s.summary, 2_000),
    ...(s.error ? { error: cut(s.error, 4_000) } : {}),
    ...(s.stderrTail ? { stderrTail: s.stderrTail.slice(-4_000) } : {}),
    ...(s.toolsChanged ? { toolsChanged: true } : {}),
  };
}

export function hookInfo(h: { hook: HookSpec; why?: string }, failure?: { problem: string; at: number }): HookInfo {
  return {
    event: h.hook.event, command: cut(h.hook.command, 4_000), scope: h.hook.scope,
    ...(h.hook.matcherSource ? { matcher: cut(h.hook.matcherSource, 1_000) } : {}),
    state: h.why ? 'blocked' : 'active',
    ...(h.why ? { why: cut(h.why, 1_000) } : {}),
    ...(failure && !h.why ? { lastProblem: cut(failure.problem, 2_000), lastProblemAt: failure.at } : {}),
  };
}

export function statusOf(servers: ServerView[], hooks: Array<{ hook: HookSpec; why?: string }>, failures: ReadonlyMap<string, { problem: string; at: number }>, problems: string[]): ExtensionsStatus {
  return {
    servers: servers.slice(0, 200).map(serverInfo),
    hooks: hooks.slice(0, 500).map((h) => hookInfo(h, failures.get(hookKey(h.hook.event, h.hook.command)))),
    problems: problems.slice(0, 100).map((p) => cut(p, 2_000)),
  };
}
