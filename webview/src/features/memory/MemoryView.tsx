/**
 * The memory view: the index MEMORY.md, each topic (open, edit, delete), writes held for review (approve or
 * discard), and the log of what was written, when, and by whom.
 */
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Bridge } from '../../bridge';
import type { MemoryLogEntry } from '../../protocol';
import { Button, IconButton, TextArea } from '../../ui';
import type { BackgroundStore } from '../background/backgroundStore';
import { DreamSection } from '../background/DreamSection';
import { createMemoryStore, type MemoryStore } from './memoryStore';

const OP_LABEL: Record<MemoryLogEntry['op'], string> = {
  write: 'saved', update: 'updated', delete: 'deleted', held: 'held for review', approve: 'approved', discard: 'discarded', refused: 'refused',
};

const time = (ts: number) => new Date(ts).toLocaleString();

export interface MemoryViewProps {
  /** The bridge to the host (the view makes its own store), or a store made by the caller. */
  bridge?: Bridge;
  store?: MemoryStore;
  /** The background's store: with it the view shows the last dream (its diff, undo, proposals) and "Dream now". */
  background?: BackgroundStore;
}

export function MemoryView({ bridge, store: given, background }: MemoryViewProps) {
  const mem = useMemo(() => given ?? createMemoryStore(bridge!), [given, bridge]);
  useEffect(() => {
    void mem.actions.load();
    return () => { if (!given) mem.dispose(); };
  }, [mem, given]);
  const s = useStore(mem.store);
  const a = mem.actions;

  if (s.status === 'idle' || s.status === 'loading') return <section data-testid="memory-view" className="memory-view"><p>Loading memory…</p></section>;
  if (s.status === 'error') {
    return (
      <section data-testid="memory-view" className="memory-view" role="alert">
        <p>Could not load the memory: {s.error}</p>
        <Button testId="memory-reload" onClick={() => void a.load()}>Reload</Button>
      </section>
    );
  }

  return (
    <section data-testid="memory-view" className="memory-view" aria-label="Memory">
      {s.error && (
        <div className="notice notice-error" role="alert" data-testid="memory-error">
          <span>{s.error}</span>
          <IconButton icon="close" label="Dismiss" onClick={a.dismissError} />
        </div>
      )}

      {background && <DreamSection bg={background} />}

      <h3>Index <small data-testid="memory-index-size">({s.index?.lines ?? 0}/{s.index?.maxLines ?? 200} lines, {s.index?.bytes ?? 0}/{s.index?.maxBytes ?? 25600} bytes)</small></h3>
      {s.index?.error && <p className="notice notice-warning" role="status" data-testid="memory-index-error">{s.index.error}</p>}
      {s.index?.text.trim() ? <pre className="memory-index" data-testid="memory-index">{s.index.text}</pre> : <p data-testid="memory-empty">No memories yet.</p>}

      {s.pending.length > 0 && (
        <>
          <h3>Waiting for your review</h3>
          <ul className="memory-pending">
            {s.pending.map((p) => (
              <li key={p.id} data-testid="memory-pending" data-id={p.id}>
                <div><strong>{p.name}</strong> ({p.type}, {p.slug}) — {p.description}</div>
                <div className="memory-why">Held because {p.why}. Written by {p.actor}{p.sessionId ? ` in session ${p.sessionId}` : ''}, {time(p.ts)}.</div>
                <pre>{p.content}</pre>
                <Button testId="memory-approve" onClick={() => void a.approve(p.id)}>Approve</Button>
                <Button variant="secondary" testId="memory-discard" onClick={() => void a.discard(p.id)}>Discard</Button>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Topics</h3>
      <ul className="memory-topics">
        {s.topics.map((t) => (
          <li key={t.slug} data-testid="memory-topic" data-slug={t.slug}>
            <button type="button" className="link-button" onClick={() => void a.openTopic(t.slug)}>{t.name}</button>
            {' '}<span className="memory-meta">{t.type} · {t.updated ? time(Date.parse(t.updated)) : 'no date'} · {t.source}{t.indexed ? '' : ' · not in the index'}</span>
            <div>{t.description}</div>
            <Button variant="secondary" testId="memory-delete" onClick={() => void a.remove(t.slug)}>Delete</Button>
          </li>
        ))}
      </ul>

      {s.open && (
        <div className="memory-editor" data-testid="memory-editor">
          <h3>{s.open.slug}.md</h3>
          {s.open.text === null ? <p>This topic no longer exists.</p> : (
            <>
              <TextArea label={`Edit ${s.open.slug}`} value={s.open.draft} onChange={a.setDraft} rows={12} testId="memory-editor-text" />
              <Button testId="memory-save" disabled={s.open.draft === s.open.text} onClick={() => void a.save()}>Save</Button>
            </>
          )}
          <Button variant="secondary" testId="memory-close" onClick={a.closeTopic}>Close</Button>
        </div>
      )}

      <h3>Log</h3>
      <ol className="memory-log" data-testid="memory-log" reversed>
        {[...s.log].reverse().map((e, i) => (
          <li key={`${e.ts}-${i}`} data-testid="memory-log-entry" data-op={e.op}>
            {time(e.ts)}: {e.actor === 'agent' ? 'Cairn' : 'You'} {OP_LABEL[e.op]} <code>{e.slug}</code>
            {e.reason ? ` — ${e.reason}` : ''}{e.sessionId ? ` (session ${e.sessionId})` : ''}{e.redactions ? `, ${e.redactions} secret(s) removed` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}
