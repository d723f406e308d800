/**
 * The MCP servers of a workspace: which may start (a user server: yes; a project server: only in a trusted
 * workspace and only once the user approved that exact configuration, pinned by hash outside the workspace),
 * their connections and states, and the tools a session gets. A session's tools are fixed when it is assembled:
 * a server that changes its list later does not reshuffle the cached prefix; its new tools come with the next
 * session (the status says so).
 */
import type { AnyTool } from '../tools/types';
import type { PinStore } from '../util/pins';
import { describeServer, serverPin, type ServerSpec } from './config';
import { McpConnection, type ServerStatus } from './connection';
import { toolsOf } from './tools';

export interface ServerView extends ServerStatus {
  /** What runs (the command line or URL), for the panel. */
  detail: string;
}

export interface McpManagerOptions {
  workspaceRoot: string;
  trusted: boolean;
  servers: ServerSpec[];
  /** Where approvals of project servers are kept (outside the workspace). */
  pins: PinStore;
  /**
   * Ask the user to approve a project server, showing exactly what would run. Absent (the runner without
   * --allow-project-mcp): unapproved project servers stay blocked.
   */
  approve?(spec: ServerSpec, detail: string): Promise<boolean>;
  /** Every project server is approved for this run (the runner's --allow-project-mcp). Still never in an untrusted workspace. */
  allowProject?: boolean;
  onChange?(servers: ServerView[]): void;
}

export class McpManager {
  private readonly conns = new Map<string, McpConnection>();
  private readonly blocked = new Map<string, string>();
  private readonly problems: string[] = [];

  constructor(private readonly opts: McpManagerOptions) {
    for (const spec of opts.servers) this.conns.set(spec.name, new McpConnection(spec, opts.workspaceRoot, () => this.changed()));
  }

  /** Start every server that may start (asking for project servers when a prompt is available). Never throws. */
  async start(): Promise<void> {
    await Promise.all([...this.conns.values()].map((c) => this.startOne(c)));
  }

  /** Restart one server (a blocked one is asked about again). False when there is no such server. */
  async restart(name: string): Promise<boolean> {
    const c = this.conns.get(name);
    if (!c) return false;
    await this.startOne(c);
    return true;
  }

  /** The tools a new session gets: those of the ready servers now, sorted; fixed for that session. */
  sessionTools(): AnyTool[] {
    const tools = toolsOf([...this.conns.values()], this.problems);
    for (const c of this.conns.values()) c.markToolsTaken();
    return tools;
  }

  /** Problems found while building tool lists (too long or duplicate names). */
  warnings(): string[] { return [...new Set(this.problems)]; }

  servers(): ServerView[] {
    return [...this.conns.values()].map((c) => {
      const why = this.blocked.get(c.spec.name);
      const base = c.status();
      return { ...base, ...(why ? { state: 'blocked' as const, error: why } : {}), detail: describeServer(c.spec) };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.conns.values()].map((c) => c.close()));
  }

  private async startOne(c: McpConnection): Promise<void> {
    const why = await this.gate(c.spec);
    if (why) { this.blocked.set(c.spec.name, why); await c.close(); this.changed(); return; }
    this.blocked.delete(c.spec.name);
    await c.start();
  }

  /** Why a server may not start, or undefined when it may. */
  private async gate(spec: ServerSpec): Promise<string | undefined> {
    if (spec.scope === 'user') return undefined;
    if (!this.opts.trusted) return 'this workspace is not trusted: project MCP servers do not start';
    if (this.opts.allowProject) return undefined;
    const pin = serverPin(spec, this.opts.workspaceRoot);
    if (this.opts.pins.has(pin)) return undefined;
    if (!this.opts.approve) return 'a project server that you have not approved (approve it in the editor, or run with --allow-project-mcp)';
    const ok = await this.opts.approve(spec, describeServer(spec)).catch(() => false);
    if (!ok) return 'you did not approve this project server (restart it to be asked again)';
    await this.opts.pins.add(pin);
    return undefined;
  }

  private changed(): void { this.opts.onChange?.(this.servers()); }
}
