import { mcpToolParts } from '../../protocol';

/**
 * The head of an MCP tool's card: the server's name as a tag, then the tool's own name (the model's name for it,
 * mcp__<server>__<tool>, is in the card's title and data-tool). Nothing for other tools.
 */
export function ToolOrigin({ name }: { name: string }) {
  const parts = mcpToolParts(name);
  if (!parts) return <span className="tool-name">{name}</span>;
  return (
    <>
      <span className="tool-server" data-testid="tool-server" title={`MCP server ${parts.server}`}>{parts.server}</span>
      <span className="tool-name">{parts.tool}</span>
    </>
  );
}
