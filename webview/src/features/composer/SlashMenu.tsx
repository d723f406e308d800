import type { SlashCommand } from './slash';

/** The slash-command list (a listbox the textarea drives through aria-activedescendant, like the @ list). */
export function SlashMenu({ id, commands, active, onPick }: { id: string; commands: SlashCommand[]; active: number; onPick: (c: SlashCommand) => void }) {
  if (commands.length === 0) return <div className="mention-menu mention-empty" id={id} role="listbox" aria-label="Commands">No matching command</div>;
  return (
    <ul className="mention-menu" id={id} role="listbox" aria-label="Commands" data-testid="slash-menu">
      {commands.map((c, i) => (
        <li key={c.name} id={`${id}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'mention-item mention-active' : 'mention-item'}
          data-testid="slash-item" data-name={c.name} onMouseDown={(e) => { e.preventDefault(); onPick(c); }}>
          <span className="mention-kind">{c.prompt ? 'MCP' : 'command'}</span>
          <span className="mention-label">/{c.name}</span>
          {c.detail && <span className="mention-detail">{c.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
