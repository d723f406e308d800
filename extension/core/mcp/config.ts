/**
 * MCP server configuration: the project's `.agent/mcp.json` (committed, so nothing in it runs before the user
 * trusts the workspace and approves that exact server) and the user's own servers (VS Code setting
 * `cairn.mcpServers`, or the runner's user file). Both use the same shape:
 *
 *   { "servers": { "<name>": { "command": "node", "args": ["srv.js"], "env": { "K": "v" }, "cwd": "tools" } } }
 *   { "servers": { "<name>": { "url": "https://host/mcp", "headers": { "Authorization": "Bearer ..." } } } }
 *
 * (`mcpServers` is accepted for `servers`.) Every problem is reported with the file and the field; a server
 * with a problem is left out, the others still load.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sortKeys } from '../tools/registry';
import { redactSecretValues } from '../util/secrets';

export type ServerScope = 'project' | 'user';

interface Common { name: string; scope: ServerScope; source: string; timeoutMs?: number }
export interface StdioServerSpec extends Common { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
export interface HttpServerSpec extends Common { transport: 'http'; url: string; headers: Record<string, string> }
export type ServerSpec = StdioServerSpec | HttpServerSpec;

/** Server names: letters, digits, `-` and single `_` (a `__` would make `mcp__<server>__<tool>` ambiguous). */
export const SERVER_NAME = /^(?!.*__)[A-Za-z0-9_-]{1,32}$/;

const strMap = z.record(z.string(), z.string());
const stdioSchema = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).optional(),
  env: strMap.optional(),
  cwd: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(1000).max(600_000).optional(),
});
const httpSchema = z.strictObject({
  type: z.enum(['http', 'streamable-http']).optional(),
  url: z.string().refine((u) => { try { const p = new URL(u).protocol; return p === 'http:' || p === 'https:'; } catch { return false; } }, 'must be an http:// or https:// URL'),
  headers: strMap.optional(),
  timeoutMs: z.number().int().min(1000).max(600_000).optional(),
});

export interface LoadedServers { servers: ServerSpec[]; problems: string[] }

/** Parse one document of servers (`{ servers: {...} }`, or the bare map for settings). */
export function parseServers(doc: unknown, scope: ServerScope, source: string): LoadedServers {
  const problems: string[] = [];
  const servers: ServerSpec[] = [];
  if (doc === undefined || doc === null) return { servers, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { servers, problems: [`${source}: must be a JSON object with a "servers" object`] };
  const o = doc as Record<string, unknown>;
  const map = 'servers' in o ? o.servers : 'mcpServers' in o ? o.mcpServers : o;
  const field = 'servers' in o ? 'servers' : 'mcpServers' in o ? 'mcpServers' : '';
  if (!map || typeof map !== 'object' || Array.isArray(map)) return { servers, problems: [`${source}: "${field || 'servers'}" must be an object mapping a server name to its settings`] };
  for (const [name, raw] of Object.entries(map as Record<string, unknown>)) {
    const at = `${source}: ${field ? `${field}.` : ''}${name}`;
    if (!SERVER_NAME.test(name)) { problems.push(`${at}: the server name must be 1-32 letters, digits, "-" or "_" (no "__"); it was skipped`); continue; }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) { problems.push(`${at}: must be an object with "command" (a local server) or "url" (an HTTP server); it was skipped`); continue; }
    const r = raw as Record<string, unknown>;
    const isHttp = 'url' in r;
    if (isHttp && 'command' in r) { problems.push(`${at}: give either "command" or "url", not both; it was skipped`); continue; }
    if (!isHttp && !('command' in r)) { problems.push(`${at}: needs "command" (a local server) or "url" (an HTTP server); it was skipped`); continue; }
    const parsed = (isHttp ? httpSchema : stdioSchema).safeParse(r);
    if (!parsed.success) {
      const why = parsed.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.map(String).join('.') : '(server)'} ${i.message}`).join('; ');
      problems.push(`${at}: ${why}; it was skipped`);
      continue;
    }
    const d = parsed.data as Record<string, unknown>;
    const timeout = typeof d.timeoutMs === 'number' ? { timeoutMs: d.timeoutMs } : {};
    if (isHttp) servers.push({ name, scope, source, transport: 'http', url: d.url as string, headers: (d.headers as Record<string, string>) ?? {}, ...timeout });
    else servers.push({ name, scope, source, transport: 'stdio', command: d.command as string, args: (d.args as string[]) ?? [], env: (d.env as Record<string, string>) ?? {}, ...(d.cwd ? { cwd: d.cwd as string } : {}), ...timeout });
  }
  return { servers, problems };
}

export const PROJECT_MCP_FILE = join('.agent', 'mcp.json');

/** The user's servers and the project's (`.agent/mcp.json`); a user server wins over a project one of the same name. */
export function loadMcpConfig(opts: { workspaceRoot: string; userServers?: unknown; userSource?: string }): LoadedServers {
  const user = parseServers(opts.userServers, 'user', opts.userSource ?? 'user settings (cairn.mcpServers)');
  const file = join(opts.workspaceRoot, PROJECT_MCP_FILE);
  let project: LoadedServers = { servers: [], problems: [] };
  let text: string | undefined;
  try { text = readFileSync(file, 'utf8'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') project.problems.push(`${PROJECT_MCP_FILE}: could not be read (${(e as Error).message})`); }
  if (text !== undefined) {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch (e) { project.problems.push(`${PROJECT_MCP_FILE}: is not valid JSON (${(e as Error).message}); no project MCP server was loaded`); }
    if (doc !== undefined) project = parseServers(doc, 'project', PROJECT_MCP_FILE);
  }
  const names = new Set(user.servers.map((s) => s.name));
  const shadowed = project.servers.filter((s) => names.has(s.name));
  return {
    servers: [...user.servers, ...project.servers.filter((s) => !names.has(s.name))],
    problems: [...user.problems, ...project.problems, ...shadowed.map((s) => `${PROJECT_MCP_FILE}: servers.${s.name} is also in your user settings; your own server is used`)],
  };
}

/**
 * The pin of a server the user approves: a sha256 of exactly what would run (command, args, env, cwd; or url and
 * headers) and of the workspace it runs for. Any change to the configuration yields a new pin: it asks again.
 */
export function serverPin(spec: ServerSpec, workspaceRoot: string): string {
  const what = spec.transport === 'stdio'
    ? { transport: 'stdio', command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd ?? null }
    : { transport: 'http', url: spec.url, headers: spec.headers };
  return createHash('sha256').update(JSON.stringify(sortKeys({ kind: 'mcp', name: spec.name, workspace: workspaceRoot, ...what }))).digest('hex');
}

/** What the user is asked to approve, whole (the env and headers values included: they are what will be sent). */
export function describeServer(spec: ServerSpec): string {
  if (spec.transport === 'http') {
    const h = Object.entries(spec.headers).map(([k, v]) => `\n  header ${k}: ${v}`).join('');
    return `${spec.url}${h}`;
  }
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a));
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${quote(v)} `).join('');
  return `${env}${[spec.command, ...spec.args].map(quote).join(' ')}${spec.cwd ? `\n  in ${spec.cwd}` : ''}`;
}

/** What runs, for a status line: the command and its arguments, or the URL without its query (never env values or headers). */
export function summarizeServer(spec: ServerSpec): string {
  if (spec.transport === 'http') {
    try { const u = new URL(spec.url); return `${u.origin}${u.pathname}`; } catch { return spec.url; }
  }
  return redactSecretValues([spec.command, ...spec.args].join(' '));
}
