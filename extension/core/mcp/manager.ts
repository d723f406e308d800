/**
 * The MCP servers of a workspace: which may start (a user server: yes; a project server: only in a trusted
 * workspace and only once the user approved that exact configuration, pinned by hash outside the workspace),
 * their connections and states, and the tools a session gets. A session's tools are fixed when it is assembled:
 * a server that changes its list later does not reshuffle the cached prefix; its new tools come with the next
 * session (the status says so).
 */
import type { AnyTool } from '../tools/types';
import type { PinStore } from '../util/pins';
import { describeServer, serverPin, summarizeServer, type ServerSpec } from './config';
import { McpConnection, type McpPromptInfo, type McpResourceInfo, type ServerStatus } from './connection';
import { mcpToolName, toolsOf } from './tools';

export interface ServerView extends ServerStatus {
  /** What runs (the command line or URL, with env values and headers), as the approval shows it. */
  detail: string;
  /** The command line or URL without env values or headers, for the panel. */
  summary: string;
  /** The names of its tools as the model sees them (mcp__<server>__<tool>), sorted; empty unless ready. */
  tools: string[];
  /**
   * Its tools differ from those the open session got (it changed its list, started or restarted later, or its
   * configuration changed): the new tools apply to the next session.
   */
  toolsChanged?: boolean;
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
  /** The tool names each server gave the open session (undefined until a session took its tools). */
  private taken: Map<string, string[]> | undefined;

  constructor(private readonly opts: McpManagerOptions) {
    for (const spec of opts.servers) this.conns.set(spec.name, this.connect(spec));
  }

  /**
   * A new configuration (the settings or .agent/mcp.json changed): servers whose configuration is unchanged keep
   * running; changed and new ones start (asking again for a changed project server), removed ones stop. The open
   * session keeps its tool list; its calls reach the server's current connection.
   */
  async reconfigure(servers: ServerSpec[]): Promise<void> {
    const next = new Map(servers.map((s) => [s.name, s]));
    const stopping: McpConnection[] = [];
    const starting: McpConnection[] = [];
    for (const [name, c] of this.conns) {
      const spec = next.get(name);
      if (spec && sameSpec(spec, c.spec, this.opts.workspaceRoot)) continue;
      this.conns.delete(name);
      this.blocked.delete(name);
      stopping.push(c);
    }
    for (const spec of servers) {
      if (this.conns.has(spec.name)) continue;
      const c = this.connect(spec);
      this.conns.set(spec.name, c);
      starting.push(c);
    }
    this.changed();
    await Promise.all(stopping.map((c) => c.close()));
    await Promise.all(starting.map((c) => this.startOne(c)));
    this.changed();
  }

  /** The connection of a server now (undefined when it is no longer configured). */
  connection(name: string): McpConnection | undefined { return this.conns.get(name); }

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
    const tools = toolsOf([...this.conns.values()], this.problems, (name) => this.conns.get(name));
    this.taken = new Map();
    for (const t of tools) {
      const server = t.origin ?? '';
      this.taken.set(server, [...(this.taken.get(server) ?? []), t.name]);
    }
    this.changed();
    return tools;
  }

  /** Problems found while building tool lists (too long or duplicate names). */
  warnings(): string[] { return [...new Set(this.problems)]; }

  servers(): ServerView[] {
    return [...this.conns.values()].map((c) => {
      const why = this.blocked.get(c.spec.name);
      const base = c.status();
      const tools = c.state === 'ready' ? c.tools.map((t) => mcpToolName(c.spec.name, t.name)).sort() : [];
      const had = this.taken?.get(c.spec.name) ?? [];
      const changed = this.taken !== undefined && c.state === 'ready' && (tools.length !== had.length || tools.some((t, i) => t !== had[i]));
      return { ...base, ...(why ? { state: 'blocked' as const, error: why } : {}), detail: describeServer(c.spec), summary: summarizeServer(c.spec), tools, ...(changed ? { toolsChanged: true } : {}) };
    });
  }

  /** The resources of every ready server (a server that fails to list them is left out and its error returned). */
  async resources(): Promise<{ resources: Array<McpResourceInfo & { server: string }>; problems: string[] }> {
    const problems: string[] = [];
    const lists = await Promise.all([...this.conns.values()].map(async (c) => {
      try { return (await c.listResources()).map((r) => ({ ...r, server: c.spec.name })); } catch (e) { problems.push(`${c.spec.name}: ${(e as Error).message}`); return []; }
    }));
    return { resources: lists.flat(), problems };
  }

  /** The prompts of every ready server. */
  async prompts(): Promise<{ prompts: Array<McpPromptInfo & { server: string }>; problems: string[] }> {
    const problems: string[] = [];
    const lists = await Promise.all([...this.conns.values()].map(async (c) => {
      try { return (await c.listPrompts()).map((p) => ({ ...p, server: c.spec.name })); } catch (e) { problems.push(`${c.spec.name}: ${(e as Error).message}`); return []; }
    }));
    return { prompts: lists.flat(), problems };
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

  private connect(spec: ServerSpec): McpConnection {
    return new McpConnection(spec, this.opts.workspaceRoot, () => this.changed());
  }

  private changed(): void { this.opts.onChange?.(this.servers()); }
}

function sameSpec(a: ServerSpec, b: ServerSpec, root: string): boolean {
  return a.scope === b.scope && a.timeoutMs === b.timeoutMs && serverPin(a, root) === serverPin(b, root);
}
