/** The kind each real tool declares (Tool.kind), for engine tests that name tools: read from the tools themselves. */
import { builtinTools } from '../../../extension/core/tools';
import { createMemory } from '../../../extension/core/memory';
import type { PermissionCheck } from '../../../extension/core/permissions/types';
import type { ToolKind } from '../../../extension/core/tools/types';

const memory = createMemory({ agentDir: '/nonexistent/.agent', workspaceRoot: '/nonexistent' });
const all = [...builtinTools(), ...memory.tools()];
memory.dispose();
const KINDS = new Map<string, { kind: ToolKind; readOnly: boolean }>(all.map((t) => [t.name, { kind: t.kind, readOnly: t.readOnly }]));

/** The declared kind of a tool; tools that do not exist are 'external' (what an unknown MCP tool would be). */
export function kindOf(tool: string): ToolKind {
  return KINDS.get(tool)?.kind ?? 'external';
}

/** A permission check for a named tool, with its declared kind (and read-only flag unless given). */
export function call(tool: string, input: unknown, readOnly?: boolean): PermissionCheck {
  return { tool, kind: kindOf(tool), input, readOnly: readOnly ?? KINDS.get(tool)?.readOnly ?? false };
}
