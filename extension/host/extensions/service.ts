/**
 * The panel's MCP servers and hooks. The user's (`cairn.mcpServers`, `cairn.hooks` in user settings) always run;
 * the project's (.agent/mcp.json, `hooks` in .agent/settings.json) only in a trusted workspace and only after the
 * user approved that exact command in a modal dialog (pinned by hash in global state; a changed command asks
 * again). Servers start in the background: a session gets the tools of the servers ready when it is assembled.
 * `reload()` reads the configuration again (the settings or the files changed): unchanged servers keep running,
 * changed ones restart, hooks are prepared again; the open session keeps its tool list and its hooks follow the
 * new configuration. A failed server or hook is named in a warning and in the panel, never silently left out.
 */
import * as vscode from 'vscode';
import { loadMcpConfig, type McpManager, type ServerView } from '../../core/mcp';
import { Hooks, loadHooksConfig, sessionHooks, type HookReport, type HookSpec, type SessionHooks } from '../../core/hooks';
import type { ToolHooks } from '../../core/agent/tools-exec';
import type { PinStore } from '../../core/util/pins';
import type { ExtensionsStatus } from '../../protocol/mcp';
import { readUserExtensions } from '../config';
import type { RuntimeContribution } from '../features';
import type { Logger } from '../log';
import { hookKey, statusOf } from './status';
import { readResources } from './resources';

export class AgentExtensions implements vscode.Disposable {
  private manager: McpManager | undefined;
  private managerTrusted = false;
  private hooks: Hooks | undefined;
  private problems: string[] = [];
  private readonly failures = new Map<string, { problem: string; at: number }>();
  private readonly warned = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly failureListeners = new Set<(r: HookReport) => void>();
  private queue: Promise<void> = Promise.resolve();
  private hooksReady: Promise<void>;
  private markHooksReady: () => void = () => {};
  private disposed = false;

  constructor(private readonly ws: { root: string; trusted: () => boolean }, private readonly pins: PinStore, private readonly log: Logger) {
    this.hooksReady = new Promise((resolve) => { this.markHooksReady = resolve; });
  }

  /** Tool hooks that follow the current configuration (a reload applies to the open session too). */
  private readonly toolPort: ToolHooks = {
    pre: async (tool, input, signal) => (this.hooks?.has('PreToolUse') ? this.hooks.preToolUse(tool, input, signal) : undefined),
    post: async (tool, input, result, signal) => {
      if (this.hooks?.has('PostToolUse')) await this.hooks.run('PostToolUse', { tool, input, result: result.content, isError: result.isError }, signal, tool);
    },
  };

  /** Session hooks: wait until the configuration was read once (the first session opens before that). */
  private readonly sessionPort: SessionHooks = {
    sessionStart: async (session, resumed) => { await this.hooksReady; if (this.hooks) await sessionHooks(this.hooks).sessionStart(session, resumed); },
    promptSubmit: async (session, prompt, signal) => { await this.hooksReady; return this.hooks ? sessionHooks(this.hooks).promptSubmit(session, prompt, signal) : { context: [] }; },
    preCompact: async (session, trigger) => { await this.hooksReady; if (this.hooks) await sessionHooks(this.hooks).preCompact(session, trigger); },
    stop: async (session, stop) => { await this.hooksReady; if (this.hooks) await sessionHooks(this.hooks).stop(session, stop); },
  };

  /** What every session gets: the MCP tools (after the built-ins) and the hooks. */
  readonly contribution: RuntimeContribution & { toolHooks(): ToolHooks | undefined; sessionHooks(): SessionHooks | undefined } = {
    tools: () => this.manager?.sessionTools() ?? [],
    toolHooks: () => this.toolPort,
    sessionHooks: () => this.sessionPort,
    resolveAttachments: (list) => readResources(this.manager, list),
  };

  /** The MCP servers' manager (undefined until a server is configured). */
  get mcp(): McpManager | undefined { return this.manager; }

  /** Read the settings, ask about project servers and hooks, start the servers. Never throws. */
  start(): Promise<void> { return this.reload(); }

  /** Read the configuration again (one reload at a time, in order). Never throws. */
  reload(): Promise<void> {
    // Whatever happens, the session hooks stop waiting for the first load (a prompt must never hang on it).
    this.queue = this.queue.then(() => this.load()).catch((err) => this.log.error('MCP servers / hooks could not be loaded', err)).finally(() => this.markHooksReady());
    return this.queue;
  }

  /** Hear about every change of the status (server states, tools, hook failures, reloads). */
  onDidChange(listener: () => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Hear about every hook run that failed or timed out. */
  onHookFailure(listener: (r: HookReport) => void): vscode.Disposable {
    this.failureListeners.add(listener);
    return { dispose: () => this.failureListeners.delete(listener) };
  }

  /** Every server with its state, for the MCP Servers command. */
  servers(): ServerView[] { return this.manager?.servers() ?? []; }

  /** The servers, the hooks and the configuration's problems, for the panel. */
  status(): ExtensionsStatus {
    return statusOf(this.servers(), this.hooks?.list() ?? [], this.failures, this.problems);
  }

  async restart(name: string): Promise<boolean> {
    if (!this.manager) return false;
    this.warned.delete(`server:${name}`);
    const ok = await this.manager.restart(name);
    const s = this.manager.servers().find((x) => x.name === name);
    if (s) this.reportServer(s);
    return ok;
  }

  private async load(): Promise<void> {
    if (this.disposed) return;
    const user = readUserExtensions();
    const trusted = this.ws.trusted();
    const problems: string[] = [];
    const hookCfg = loadHooksConfig({ workspaceRoot: this.ws.root, userHooks: user.hooks, userSource: 'user settings (cairn.hooks)' });
    for (const p of hookCfg.problems) { problems.push(p); this.warn(`Cairn hooks: ${p}`); }
    if (hookCfg.hooks.length) {
      const hooks = new Hooks({
        workspaceRoot: this.ws.root, trusted, hooks: hookCfg.hooks, pins: this.pins,
        approve: (h) => this.approveHook(h),
        onReport: (r) => this.hookReport(r),
      });
      await hooks.prepare();
      for (const b of hooks.blocked()) this.warn(`Cairn: the ${b.event} hook "${b.command}" does not run: ${b.why}`);
      this.hooks = hooks;
    } else {
      this.hooks = undefined;
    }
    this.failures.clear();
    this.markHooksReady();
    const cfg = loadMcpConfig({ workspaceRoot: this.ws.root, userServers: user.mcpServers, userSource: 'user settings (cairn.mcpServers)' });
    for (const p of cfg.problems) { problems.push(p); this.warn(`Cairn MCP: ${p}`); }
    this.problems = problems;
    this.fire();
    if (this.manager && this.managerTrusted !== trusted) { await this.manager.close(); this.manager = undefined; }
    if (this.manager) {
      await this.manager.reconfigure(cfg.servers);
    } else if (cfg.servers.length) {
      const { McpManager } = await import('../../core/mcp/manager');
      this.managerTrusted = trusted;
      this.manager = new McpManager({
        workspaceRoot: this.ws.root, trusted, servers: cfg.servers, pins: this.pins,
        onChange: () => this.fire(),
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
    }
    for (const s of this.servers()) this.reportServer(s);
    this.fire();
  }

  private hookReport(r: HookReport): void {
    if (r.ok) { this.log.info(`hook ${r.event} (${r.command}): ${r.decision ?? 'ok'}${r.reason ? `: ${r.reason}` : ''}`); return; }
    const problem = r.problem ?? 'unknown reason';
    this.failures.set(hookKey(r.event, r.command), { problem, at: Date.now() });
    this.warn(`Cairn: the ${r.event} hook "${r.command}" failed: ${problem} (shown once; every failure is in the Cairn output channel and the panel)`, `hook:${r.event}:${r.command}`);
    for (const l of this.failureListeners) { try { l(r); } catch { /* a listener must not break the hook */ } }
    this.fire();
  }

  private reportServer(s: ServerView): void {
    if (s.state === 'ready' || s.state === 'starting') return;
    const tail = s.stderrTail ? ` (stderr: ${s.stderrTail.split('\n').slice(-2).join(' ')})` : '';
    this.warn(`Cairn: MCP server "${s.name}" ${s.state}: ${s.error ?? 'unknown reason'}${tail}`, `server:${s.name}`);
  }

  private async approveHook(h: HookSpec): Promise<boolean> {
    const pick = await vscode.window.showWarningMessage(
      `Run the ${h.event} hook of this workspace (${h.source})? It runs with your permissions.`,
      { modal: true, detail: `${h.command}${h.matcherSource ? `\n\nfor tools matching ${h.matcherSource}` : ''}` },
      'Allow',
    );
    return pick === 'Allow';
  }

  private fire(): void {
    for (const l of this.listeners) { try { l(); } catch (err) { this.log.error('MCP status listener failed', err); } }
  }

  private warn(message: string, key = message): void {
    this.log.warn(message);
    if (this.warned.has(key)) return;
    this.warned.add(key);
    void vscode.window.showWarningMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.failureListeners.clear();
    void this.manager?.close();
  }
}
