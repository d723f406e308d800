/**
 * The panel's MCP servers and hooks. The user's (`cairn.mcpServers`, `cairn.hooks` in user settings) always run;
 * the project's (.agent/mcp.json, `hooks` in .agent/settings.json) only in a trusted workspace and only after the
 * user approved that exact command in a modal dialog (pinned by hash in global state; a changed command asks
 * again). Servers start in the background: a session gets the tools of the servers ready when it is assembled.
 * A failed server or hook is named in a warning, never silently left out.
 */
import * as vscode from 'vscode';
import { loadMcpConfig, type McpManager, type ServerView } from '../../core/mcp';
import { Hooks, loadHooksConfig, toolHooks, type HookSpec } from '../../core/hooks';
import type { ToolHooks } from '../../core/agent/tools-exec';
import type { PinStore } from '../../core/util/pins';
import { readUserExtensions } from '../config';
import type { RuntimeContribution } from '../features';
import type { Logger } from '../log';

export class AgentExtensions implements vscode.Disposable {
  private manager: McpManager | undefined;
  private hooks: Hooks | undefined;
  private hooksPort: ToolHooks | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly ws: { root: string; trusted: () => boolean }, private readonly pins: PinStore, private readonly log: Logger) {}

  /** What every session gets: the MCP tools (after the built-ins) and the Pre/PostToolUse hooks. */
  readonly contribution: RuntimeContribution & { toolHooks(): ToolHooks | undefined } = {
    tools: () => this.manager?.sessionTools() ?? [],
    toolHooks: () => this.hooksPort,
  };

  /** Read the settings, ask about project servers and hooks, start the servers. Never throws. */
  async start(): Promise<void> {
    const user = readUserExtensions();
    const trusted = this.ws.trusted();
    const hookCfg = loadHooksConfig({ workspaceRoot: this.ws.root, userHooks: user.hooks, userSource: 'user settings (cairn.hooks)' });
    for (const p of hookCfg.problems) this.warn(`Cairn hooks: ${p}`);
    if (hookCfg.hooks.length) {
      this.hooks = new Hooks({
        workspaceRoot: this.ws.root, trusted, hooks: hookCfg.hooks, pins: this.pins,
        approve: (h) => this.approveHook(h),
        onReport: (r) => {
          if (r.ok) { this.log.info(`hook ${r.event} (${r.command}): ${r.decision ?? 'ok'}${r.reason ? `: ${r.reason}` : ''}`); return; }
          this.warn(`Cairn: the ${r.event} hook "${r.command}" failed: ${r.problem ?? 'unknown reason'} (shown once; every failure is in the Cairn output channel)`, true, `hook:${r.event}:${r.command}`);
        },
      });
      await this.hooks.prepare();
      for (const b of this.hooks.blocked()) this.warn(`Cairn: the ${b.event} hook "${b.command}" does not run: ${b.why}`);
      this.hooksPort = toolHooks(this.hooks);
    }
    const cfg = loadMcpConfig({ workspaceRoot: this.ws.root, userServers: user.mcpServers, userSource: 'user settings (cairn.mcpServers)' });
    for (const p of cfg.problems) this.warn(`Cairn MCP: ${p}`);
    if (!cfg.servers.length) return;
    const { McpManager } = await import('../../core/mcp/manager');
    this.manager = new McpManager({
      workspaceRoot: this.ws.root, trusted, servers: cfg.servers, pins: this.pins,
      approve: async (spec, detail) => {
        const pick = await vscode.window.showWarningMessage(
          `Start the MCP server "${spec.name}" of this workspace (${spec.source})? It runs with your permissions.`,
          { modal: true, detail: `${detail}${spec.transport === 'stdio' && Object.keys(spec.env).length ? `\n\nEnvironment variables set: ${Object.keys(spec.env).join(', ')}` : ''}` },
          'Allow',
        );
        return pick === 'Allow';
      },
    });
    await this.manager.start();
    for (const s of this.manager.servers()) this.reportServer(s);
  }

  /** Every server with its state, for the MCP Servers command. */
  servers(): ServerView[] { return this.manager?.servers() ?? []; }

  async restart(name: string): Promise<void> {
    if (!this.manager) return;
    this.warned.delete(`server:${name}`);
    await this.manager.restart(name);
    const s = this.manager.servers().find((x) => x.name === name);
    if (s) this.reportServer(s);
  }

  private reportServer(s: ServerView): void {
    if (s.state === 'ready' || s.state === 'starting') return;
    const tail = s.stderrTail ? ` (stderr: ${s.stderrTail.split('\n').slice(-2).join(' ')})` : '';
    this.warn(`Cairn: MCP server "${s.name}" ${s.state}: ${s.error ?? 'unknown reason'}${tail}`, true, `server:${s.name}`);
  }

  private async approveHook(h: HookSpec): Promise<boolean> {
    const pick = await vscode.window.showWarningMessage(
      `Run the ${h.event} hook of this workspace (${h.source})? It runs with your permissions.`,
      { modal: true, detail: `${h.command}${h.matcherSource ? `\n\nfor tools matching ${h.matcherSource}` : ''}` },
      'Allow',
    );
    return pick === 'Allow';
  }

  private warn(message: string, once = true, key = message): void {
    this.log.warn(message);
    if (once && this.warned.has(key)) return;
    this.warned.add(key);
    void vscode.window.showWarningMessage(message);
  }

  dispose(): void { void this.manager?.close(); }
}
