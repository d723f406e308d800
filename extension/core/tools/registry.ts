/**
 * The tool registry. Built-in tools sorted by name, then external (MCP) tools sorted by name: the `tools` array
 * sent to the API must be byte-identical from turn to turn for the prompt cache.
 */
import { z } from 'zod';
import type { AnyTool } from './types';

export interface ApiTool { name: string; description: string; input_schema: Record<string, unknown> }

export interface Registry {
  /** Every tool, in API order. */
  list(): readonly AnyTool[];
  get(name: string): AnyTool | undefined;
  toApiTools(): ApiTool[];
}

/** Deep copy with object keys sorted (arrays keep their order): a canonical form. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function inputSchemaOf(tool: AnyTool): Record<string, unknown> {
  if (tool.inputSchema) return sortKeys(tool.inputSchema) as Record<string, unknown>;
  const js = z.toJSONSchema(tool.input, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  delete js.$schema;
  return sortKeys(js) as Record<string, unknown>;
}

export function createRegistry(builtins: AnyTool[], external: AnyTool[] = []): Registry {
  const byName = (a: AnyTool, b: AnyTool) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const tools = [...[...builtins].sort(byName), ...[...external].sort(byName)];
  const map = new Map<string, AnyTool>();
  for (const t of tools) {
    if (map.has(t.name)) throw new Error(`two tools are named ${t.name}`);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(t.name)) throw new Error(`invalid tool name ${t.name}`);
    map.set(t.name, t);
  }
  let api: ApiTool[] | undefined;
  return {
    list: () => tools,
    get: (name) => map.get(name),
    toApiTools: () => (api ??= tools.map((t) => ({ name: t.name, description: t.description, input_schema: inputSchemaOf(t) }))).map((t) => ({ ...t })),
  };
}
