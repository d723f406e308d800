import type { MentionCandidate } from '../../protocol';

const KIND_LABEL: Record<MentionCandidate['kind'], string> = {
  file: 'file', folder: 'folder', problems: 'problems', selection: 'selection', editors: 'open editors', 'mcp-resource': 'MCP',
};

/** The @-completion list (a listbox the textarea drives through aria-activedescendant). */
export function MentionMenu({ id, candidates, active, onPick }: { id: string; candidates: MentionCandidate[]; active: number; onPick: (c: MentionCandidate) => void }) {
  if (candidates.length === 0) return <div className="mention-menu mention-empty" id={id} role="listbox" aria-label="Mentions">No matches</div>;
  return (
    <ul className="mention-menu" id={id} role="listbox" aria-label="Mentions" data-testid="mention-menu">
      {candidates.map((c, i) => (
        <li
          key={`${c.kind}:${c.server ?? ''}:${c.uri ?? c.path ?? c.label}`}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'mention-item mention-active' : 'mention-item'}
          data-testid="mention-item"
          data-kind={c.kind}
          // mousedown, not click: keep the focus in the textarea.
          onMouseDown={(e) => { e.preventDefault(); onPick(c); }}
        >
          <span className="mention-kind">{KIND_LABEL[c.kind]}</span>
          <span className="mention-label">{c.label}</span>
          {c.detail && <span className="mention-detail">{c.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
