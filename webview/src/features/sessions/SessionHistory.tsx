import { useEffect, useMemo, useRef, useState } from 'react';
import type { SessionSummary } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, IconButton, ProgressRing } from '../../ui';

/** Past sessions of the workspace: search titles and what was said, resume, rename, delete (after a confirmation). */
export function SessionHistory({ onClose }: { onClose: () => void }) {
  const { listSessions, openSession } = useActions();
  const current = useChat((s) => s.sessionId);
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  const refresh = async () => setSessions((await listSessions()) ?? []);
  useEffect(() => {
    void refresh();
    searchRef.current?.focus();
  }, []);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (sessions ?? []).filter((s) => q === '' || s.title.toLowerCase().includes(q) || (s.excerpt ?? '').toLowerCase().includes(q));
  }, [sessions, query]);

  const resume = async (id: string) => {
    if (await openSession(id)) onClose();
  };

  return (
    <section className="session-history" data-testid="session-history" aria-label="Session history"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="session-history-head">
        <label className="visually-hidden" htmlFor="session-search">Search sessions</label>
        <input id="session-search" ref={searchRef} className="ui-input" type="search" placeholder="Search titles and messages"
          data-testid="session-search" value={query} onChange={(e) => setQuery(e.target.value)} />
        <IconButton icon="close" label="Close the session history" testId="session-history-close" onClick={onClose} />
      </div>
      {sessions === null ? <ProgressRing label="Loading sessions…" showLabel /> : shown.length === 0 ? (
        <p className="hint" data-testid="session-empty">{sessions.length === 0 ? 'No past sessions in this workspace yet.' : 'No session matches.'}</p>
      ) : (
        <ul className="session-items" aria-label="Sessions">
          {shown.map((s) => <SessionRow key={s.id} session={s} current={s.id === current} query={query} onResume={() => void resume(s.id)} onChanged={() => void refresh()} />)}
        </ul>
      )}
    </section>
  );
}

/** Where the query was found in the conversation (not the title): a line of context around it, or null. */
export function matchSnippet(session: SessionSummary, query: string): { before: string; match: string; after: string } | null {
  const q = query.trim().toLowerCase();
  if (!q || session.title.toLowerCase().includes(q) || !session.excerpt) return null;
  const at = session.excerpt.toLowerCase().indexOf(q);
  if (at < 0) return null;
  const flat = (t: string) => t.replace(/\s+/g, ' ');
  const start = Math.max(0, at - 40);
  const end = Math.min(session.excerpt.length, at + q.length + 60);
  return {
    before: (start > 0 ? '…' : '') + flat(session.excerpt.slice(start, at)),
    match: flat(session.excerpt.slice(at, at + q.length)),
    after: flat(session.excerpt.slice(at + q.length, end)) + (end < session.excerpt.length ? '…' : ''),
  };
}

function SessionRow({ session, current, query, onResume, onChanged }: { session: SessionSummary; current: boolean; query: string; onResume: () => void; onChanged: () => void }) {
  const { renameSession, deleteSession } = useActions();
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm-delete'>('view');
  const [title, setTitle] = useState(session.title);
  const when = new Date(session.updatedAt).toLocaleString();
  const snippet = matchSnippet(session, query);
  const rename = async () => {
    const t = title.trim();
    if (t && t !== session.title && await renameSession(session.id, t)) onChanged();
    setMode('view');
  };
  return (
    <li className="session-item" data-testid="session-item" data-session-id={session.id} data-current={current}>
      {mode === 'rename' ? (
        <form className="session-rename" onSubmit={(e) => { e.preventDefault(); void rename(); }}>
          <label className="visually-hidden" htmlFor={`rename-${session.id}`}>New title</label>
          <input id={`rename-${session.id}`} className="ui-input" data-testid="session-rename-input" value={title} maxLength={200} autoFocus
            onChange={(e) => setTitle(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setMode('view'); } }} />
          <Button variant="primary" testId="session-rename-save" onClick={() => void rename()}>Save</Button>
        </form>
      ) : (
        <button type="button" className="session-open" data-testid="session-open" onClick={onResume} aria-current={current ? 'true' : undefined}>
          <span className="session-title">{session.title || 'Untitled session'}</span>
          <span className="session-meta">{when} · {session.messageCount} message{session.messageCount === 1 ? '' : 's'}{current ? ' · open now' : ''}</span>
          {snippet && <span className="session-snippet" data-testid="session-snippet">{snippet.before}<mark>{snippet.match}</mark>{snippet.after}</span>}
        </button>
      )}
      {mode === 'confirm-delete' ? (
        <span className="session-confirm" role="alert">
          Delete “{session.title}”? This cannot be undone.
          <Button variant="primary" testId="session-delete-confirm" onClick={() => void deleteSession(session.id).then((ok) => { setMode('view'); if (ok) onChanged(); })}>Delete</Button>
          <Button variant="secondary" testId="session-delete-cancel" onClick={() => setMode('view')}>Cancel</Button>
        </span>
      ) : mode === 'view' && (
        <span className="session-actions">
          <IconButton icon="edit" label={`Rename ${session.title}`} testId="session-rename" onClick={() => setMode('rename')} />
          <IconButton icon="trash" label={`Delete ${session.title}`} testId="session-delete" onClick={() => setMode('confirm-delete')} />
        </span>
      )}
    </li>
  );
}
