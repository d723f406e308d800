import { useStore } from 'zustand';
import { IconButton } from '../../ui';
import { attention, type McpStore } from './mcpStore';

/** The header's toggle of the MCP panel; it says when a server or hook needs attention (failed, blocked). */
export function McpButton({ store, open, onToggle }: { store: McpStore; open: boolean; onToggle: () => void }) {
  const count = useStore(store.store, (s) => attention(s));
  const what = count ? ` (${count} need${count === 1 ? 's' : ''} attention)` : '';
  return (
    <span className="mcp-button" data-attention={count > 0 ? 'true' : undefined}>
      <IconButton icon="plug" testId="mcp-button" label={open ? `Close MCP servers and hooks${what}` : `Show MCP servers and hooks${what}`}
        title={`MCP servers and hooks${what}`} pressed={open} onClick={onToggle} className={count ? 'icon-button-attention' : undefined} />
    </span>
  );
}
