/**
 * One MCP server: connects with the SDK's Client over stdio (a child process with the scrubbed environment, like
 * run_command's: never the API key) or streamable HTTP, lists its tools, calls them, keeps its state (starting,
 * ready, failed with the tail of its stderr, stopped) and restarts on request. A server that exits or drops the
 * connection in the middle of a call fails that call with an error written for the model; nothing else stops.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { isAbsolute, resolve } from 'node:path';
import { ALWAYS_SECRET_ENV, redactSecretValues, scrubEnv } from '../util/secrets';
import type { ServerSpec } from './config';

/** 'blocked': not started (an untrusted workspace, or a project server the user has not approved). */
export type ServerState = 'blocked' | 'starting' | 'ready' | 'failed' | 'stopped';

export interface McpToolInfo { name: string; description: string; inputSchema: Record<string, unknown> }

export interface ServerStatus {
  name: string;
  scope: ServerSpec['scope'];
  transport: ServerSpec['transport'];
  state: ServerState;
  toolCount: number;
  /** Why it failed or stopped. */
  error?: string;
  /** The last lines the server wrote to stderr (redacted). */
  stderrTail?: string;
}

export interface CallOutcome { content: string; isError: boolean }

export interface McpResourceInfo { uri: string; name: string; description?: string; mimeType?: string }
export interface McpPromptInfo { name: string; description?: string; arguments: Array<{ name: string; description?: string; required: boolean }> }

/** The most resources and prompts listed per server. */
const MAX_LISTED = 200;
/** The most text one resource or prompt gives (the rest is cut, and the cut is said). */
export const MAX_ATTACHED_CHARS = 100_000;

const STDERR_TAIL = 4_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** A bigger answer is cut here (the tool-result budget then decides what the model sees of it). */
export const MAX_RESULT_CHARS = 400_000;

export class McpConnection {
  private client: Client | undefined;
  private stderr = '';
  private generation = 0;
  private _state: ServerState = 'stopped';
  private error: string | undefined;
  private _tools: McpToolInfo[] = [];

  constructor(readonly spec: ServerSpec, private readonly workspaceRoot: string, private readonly onChange: () => void = () => {}) {}

  get state(): ServerState { return this._state; }
  get tools(): readonly McpToolInfo[] { return this._tools; }

  status(): ServerStatus {
    const tail = this.stderr.trim();
    return {
      name: this.spec.name, scope: this.spec.scope, transport: this.spec.transport, state: this._state, toolCount: this._tools.length,
      ...(this.error ? { error: this.error } : {}),
      ...(tail ? { stderrTail: redactSecretValues(tail) } : {}),
    };
  }

  /** Connect and list the tools. Never throws: a failure is the state 'failed' with its reason. */
  async start(): Promise<void> {
    await this.close();
    const gen = ++this.generation;
    this.stderr = '';
    this.error = undefined;
    this.set('starting');
    const client = new Client({ name: 'cairn', version: '1' }, { capabilities: {} });
    const transport = this.transport();
    client.onclose = () => {
      if (gen !== this.generation || this._state === 'stopped') return;
      this.error = this._state === 'starting' ? this.error : `the server ${this.spec.transport === 'stdio' ? 'exited' : 'closed the connection'}`;
      this.set('failed');
    };
    client.onerror = (err) => { if (gen === this.generation) this.error = redactSecretValues(err.message); };
    const timeout = this.spec.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    try {
      await client.connect(transport, { timeout });
      const listed = await client.listTools(undefined, { timeout });
      if (gen !== this.generation) { await client.close().catch(() => {}); return; }
      this._tools = listed.tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> }));
      this.client = client;
      // A changed list is read for the next session; this session keeps the tools it started with (the cache).
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        if (gen !== this.generation) return;
        try {
          const again = await client.listTools(undefined, { timeout });
          if (gen !== this.generation) return;
          this._tools = again.tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> }));
        } catch { /* the old list stays */ }
        this.onChange();
      });
      this.set('ready');
    } catch (err) {
      if (gen !== this.generation) return;
      this.error = redactSecretValues(`could not start: ${err instanceof Error ? err.message : String(err)}`);
      this.set('failed');
      await client.close().catch(() => {});
    }
  }

  /** Call a tool. Errors (server gone, timeout, protocol) come back as an error outcome for the model. */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallOutcome> {
    const client = this.client;
    const name = this.spec.name;
    if (!client || this._state !== 'ready') {
      return { content: `The MCP server "${name}" is not running (${this._state}${this.error ? `: ${this.error}` : ''}), so ${tool} was not called. Its tools are unavailable until the user restarts it; carry on without them or tell the user.`, isError: true };
    }
    try {
      const res = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: this.spec.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
      return { content: renderContent(res), isError: res.isError === true };
    } catch (err) {
      if (signal.aborted) return { content: 'Cancelled.', isError: true };
      const msg = err instanceof Error ? err.message : String(err);
      const gone = this._state !== 'ready' || /closed|exited|EPIPE|ECONNRESET|terminated/i.test(msg);
      return {
        content: gone
          ? `The MCP server "${name}" stopped while ${tool} was running (${this.error ?? msg}). The call did not complete and may have been partly applied. Its tools are unavailable until the user restarts it; carry on without them or tell the user.`
          : `The MCP server "${name}" returned an error for ${tool}: ${msg}`,
        isError: true,
      };
    }
  }

  /** The server's resources (none when it has no resources capability or is not ready). Throws on a protocol error. */
  async listResources(): Promise<McpResourceInfo[]> {
    const c = this.readyClient();
    if (!c?.getServerCapabilities()?.resources) return [];
    const out: McpResourceInfo[] = [];
    let cursor: string | undefined;
    do {
      const r = await c.listResources(cursor ? { cursor } : undefined, { timeout: this.spec.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
      for (const x of r.resources) out.push({ uri: x.uri, name: x.name, ...(x.description ? { description: x.description } : {}), ...(x.mimeType ? { mimeType: x.mimeType } : {}) });
      cursor = r.nextCursor;
    } while (cursor && out.length < MAX_LISTED);
    return out.slice(0, MAX_LISTED);
  }

  /** One resource's text (binary parts described, not included), capped. */
  async readResource(uri: string): Promise<string> {
    const c = this.readyClient();
    if (!c) throw new Error(`the MCP server "${this.spec.name}" is not running (${this._state})`);
    const r = await c.readResource({ uri }, { timeout: this.spec.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
    const text = r.contents.map((x) => ('text' in x && typeof x.text === 'string' ? x.text : `[binary content ${x.mimeType ?? ''} of ${x.uri}; not included]`)).join('\n');
    return cap(redactSecretValues(text));
  }

  /** The server's prompts (none without the prompts capability or when not ready). */
  async listPrompts(): Promise<McpPromptInfo[]> {
    const c = this.readyClient();
    if (!c?.getServerCapabilities()?.prompts) return [];
    const r = await c.listPrompts(undefined, { timeout: this.spec.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
    return r.prompts.slice(0, MAX_LISTED).map((p) => ({
      name: p.name, ...(p.description ? { description: p.description } : {}),
      arguments: (p.arguments ?? []).map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: a.required === true })),
    }));
  }

  /** A prompt's messages as one text (each message's text; other content described), capped. */
  async getPrompt(name: string, args: Record<string, string>): Promise<string> {
    const c = this.readyClient();
    if (!c) throw new Error(`the MCP server "${this.spec.name}" is not running (${this._state})`);
    const r = await c.getPrompt({ name, arguments: args }, { timeout: this.spec.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
    const parts = r.messages.map((m) => {
      const content = m.content as Record<string, unknown>;
      if (content.type === 'text' && typeof content.text === 'string') return content.text;
      if (content.type === 'resource' && content.resource && typeof (content.resource as Record<string, unknown>).text === 'string') return String((content.resource as Record<string, unknown>).text);
      return `[${String(content.type)} content; not included]`;
    });
    return cap(redactSecretValues(parts.join('\n\n')));
  }

  private readyClient(): Client | undefined { return this._state === 'ready' ? this.client : undefined; }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.generation++;
    if (this._state !== 'stopped') this.set('stopped');
    if (c) await c.close().catch(() => {});
  }

  private set(s: ServerState): void { this._state = s; this.onChange(); }

  private transport(): Transport {
    const spec = this.spec;
    if (spec.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
    }
    // The same environment run_command gets (secrets removed), plus the server's own variables (never the key).
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(scrubEnv(process.env))) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(spec.env)) if (!ALWAYS_SECRET_ENV.includes(k.toUpperCase())) env[k] = v;
    const cwd = spec.cwd ? (isAbsolute(spec.cwd) ? spec.cwd : resolve(this.workspaceRoot, spec.cwd)) : this.workspaceRoot;
    const t = new StdioClientTransport({ command: spec.command, args: spec.args, env: scrubEnv(env) as Record<string, string>, cwd, stderr: 'pipe' });
    t.stderr?.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_TAIL); });
    return t;
  }
}

/** An MCP tool result as text for the model: text as is, other content described. */
export function renderContent(res: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = Array.isArray(res.content) ? (res.content as Array<Record<string, unknown>>) : [];
  for (const c of content) {
    if (c.type === 'text' && typeof c.text === 'string') parts.push(c.text);
    else if (c.type === 'image' || c.type === 'audio') parts.push(`[${c.type} (${String(c.mimeType ?? 'unknown type')}) returned by the server; not shown]`);
    else if (c.type === 'resource' && c.resource && typeof c.resource === 'object') {
      const r = c.resource as Record<string, unknown>;
      parts.push(typeof r.text === 'string' ? `[resource ${String(r.uri)}]\n${r.text}` : `[binary resource ${String(r.uri)}; not shown]`);
    } else if (c.type === 'resource_link') parts.push(`[resource link ${String(c.uri)}${c.name ? ` (${String(c.name)})` : ''}]`);
  }
  if (!parts.length && res.structuredContent !== undefined) parts.push(JSON.stringify(res.structuredContent));
  if (!parts.length && 'toolResult' in res) parts.push(JSON.stringify(res.toolResult));
  const text = parts.join('\n') || '(the tool returned no content)';
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n[cut: the server returned ${text.length} characters]` : text;
}

function cap(text: string): string {
  return text.length > MAX_ATTACHED_CHARS ? `${text.slice(0, MAX_ATTACHED_CHARS)}\n[cut: ${text.length} characters in all]` : text;
}
