/**
 * MCP resources and prompts for the composer: resources of the ready servers as `@` candidates, read into context
 * when the message is sent (framed as the server's data, redacted, capped); prompts offered as slash commands and
 * expanded by their server.
 */
import type { McpManager } from '../../core/mcp';
import { MAX_MENTION_CANDIDATES, type MentionCandidate } from '../../protocol/panel';
import type { Attachment } from '../../protocol/model';
import type { McpPromptInfo } from '../../protocol/mcp';

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function resourceCandidates(manager: McpManager | undefined, query: string): Promise<MentionCandidate[]> {
  if (!manager) return [];
  const { resources } = await manager.resources();
  const q = query.trim().toLowerCase();
  return resources
    .filter((r) => !q || r.name.toLowerCase().includes(q) || r.uri.toLowerCase().includes(q) || r.server.toLowerCase().includes(q))
    .slice(0, MAX_MENTION_CANDIDATES)
    .map((r) => ({ kind: 'mcp-resource' as const, server: r.server, uri: cut(r.uri, 4_096), label: cut(r.name || r.uri, 200), detail: cut(`${r.server} · ${r.uri}${r.description ? ` · ${r.description}` : ''}`, 400) }));
}

/** Read attached resources from their servers; a server that is gone or fails is a problem, the rest still attach. */
export async function readResources(manager: McpManager | undefined, list: Attachment[]): Promise<{ context: string[]; problems: string[] }> {
  const context: string[] = [];
  const problems: string[] = [];
  for (const a of list) {
    const conn = a.server ? manager?.connection(a.server) : undefined;
    if (!a.server || !a.uri) { problems.push(`${a.label}: an MCP resource needs its server and URI`); continue; }
    if (!conn) { problems.push(`${a.label}: the MCP server "${a.server}" is not configured`); continue; }
    try {
      const text = await conn.readResource(a.uri);
      context.push(`<mcp-resource server="${attr(a.server)}" uri="${attr(a.uri)}">\n${text}\n</mcp-resource>`);
    } catch (e) {
      problems.push(`${a.label}: the MCP server "${a.server}" could not read it (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { context, problems };
}

export async function promptList(manager: McpManager | undefined): Promise<McpPromptInfo[]> {
  if (!manager) return [];
  const { prompts } = await manager.prompts();
  return prompts.slice(0, 500).map((p) => ({
    server: p.server, name: cut(p.name, 200), ...(p.description ? { description: cut(p.description, 2_000) } : {}),
    arguments: p.arguments.slice(0, 50).map((x) => ({ name: cut(x.name, 200), ...(x.description ? { description: cut(x.description, 1_000) } : {}), required: x.required })),
  }));
}

export async function expandPrompt(manager: McpManager | undefined, server: string, name: string, args: Record<string, string>): Promise<string> {
  const conn = manager?.connection(server);
  if (!conn) throw new Error(`The MCP server "${server}" is not configured.`);
  const text = await conn.getPrompt(name, args);
  if (!text.trim()) throw new Error(`The prompt ${name} of the MCP server "${server}" gave no text.`);
  return text.slice(0, 200_000);
}
