/** How the MCP Servers command shows a server: name, state and tool count, and why it failed or is blocked. */
import type { ServerView } from '../../core/mcp';

export function serverItem(s: ServerView): { label: string; description: string; detail: string; name: string } {
  const tools = s.state === 'ready' ? ` · ${s.toolCount} tool${s.toolCount === 1 ? '' : 's'}` : '';
  const why = s.error ? `${s.error}` : '';
  const tail = s.state === 'failed' && s.stderrTail ? `${why ? ' — ' : ''}stderr: ${s.stderrTail.split('\n').slice(-3).join(' ⏎ ')}` : '';
  const changed = s.toolsChanged ? ' (its tool list changed: the new list applies to the next session)' : '';
  return { label: s.name, description: `${s.state}${tools} · ${s.scope}`, detail: `${why}${tail}${changed}` || s.detail, name: s.name };
}
