/**
 * The last dream in the memory view: what it changed and why (each change with its reason), the diff of every
 * memory file it touched, one-click undo, and the deletions it only proposed (memories the user gave, of type user
 * or feedback) to accept or reject. "Dream now" starts one.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { DreamFileDiff, DreamInfo } from '../../protocol';
import { Button, IconButton } from '../../ui';
import type { BackgroundStore } from './backgroundStore';
import { lineDiff } from './lineDiff';

const OP_LABEL: Record<DreamInfo['changes'][number]['op'], string> = {
  write: 'wrote', update: 'rewrote', delete: 'deleted', propose_delete: 'proposed deleting', hold: 'held for your review',
};
const STATUS_LABEL: Record<DreamInfo['status'], string> = { running: 'running', done: 'done', failed: 'failed', rolled_back: 'rolled back', undone: 'undone' };
const FILE_STATUS: Record<DreamFileDiff['status'], string> = { added: 'added', removed: 'deleted', changed: 'changed' };

function FileDiff({ d }: { d: DreamFileDiff }) {
  const rows = lineDiff(d.before ?? '', d.after ?? '');
  return (
    <details className="dream-file" data-testid="dream-file" data-path={d.path} data-status={d.status} open>
      <summary><code>{d.path}</code> ({FILE_STATUS[d.status]})</summary>
      <pre className="diff dream-diff" aria-label={`Diff of ${d.path}`}>
        {rows.map((r, i) => (
          <div key={i} className={`diff-line diff-${r.kind}`} data-testid={`diff-${r.kind}`}>{r.kind === 'add' ? '+ ' : r.kind === 'del' ? '- ' : '  '}{r.text}</div>
        ))}
      </pre>
    </details>
  );
}

export function DreamSection({ bg }: { bg: BackgroundStore }) {
  useEffect(() => { if (bg.store.getState().status === 'idle') void bg.actions.load(); }, [bg]);
  const d = useStore(bg.store, (s) => s.lastDream);
  const busy = useStore(bg.store, (s) => s.busy);
  const note = useStore(bg.store, (s) => s.note);
  const error = useStore(bg.store, (s) => s.error);
  const [showDiff, setShowDiff] = useState(true);
  const open = d?.proposals.filter((p) => p.state === 'proposed') ?? [];
  return (
    <section className="dream-section" data-testid="dream-section" aria-label="Last dream">
      <h3>
        Last dream{d && <small> {d.id} · <span data-testid="dream-status">{STATUS_LABEL[d.status]}</span> · {new Date(d.startedAt).toLocaleString()}{d.costUsd !== undefined ? ` · $${d.costUsd.toFixed(4)}` : ''}</small>}
      </h3>
      {error && (
        <div className="notice notice-error" role="alert" data-testid="dream-error">
          <span>{error}</span>
          <IconButton icon="close" label="Dismiss" onClick={bg.actions.dismissError} />
        </div>
      )}
      {note && (
        <div className="notice notice-info" role="status" data-testid="dream-note">
          <span>{note}</span>
          <IconButton icon="close" label="Dismiss" onClick={bg.actions.dismissNote} />
        </div>
      )}
      <div className="dream-actions">
        <Button testId="dream-now" icon="sparkle" disabled={busy.dream} onClick={() => void bg.actions.dreamNow()}>{busy.dream ? 'Dreaming…' : 'Dream now'}</Button>
        {d?.status === 'done' && (
          <Button variant="secondary" testId="dream-undo" icon="discard" disabled={busy.undo} onClick={() => void bg.actions.undoDream(d.id)}>Undo this dream</Button>
        )}
        {d && d.diff.length > 0 && (
          <Button variant="secondary" testId="dream-toggle-diff" onClick={() => setShowDiff((x) => !x)}>{showDiff ? 'Hide diff' : 'Show diff'}</Button>
        )}
      </div>
      {!d ? <p className="hint" data-testid="dream-none">No dream yet. A dream consolidates memory while you are away (merges duplicates, fixes what the code contradicts); every change is shown here with its reason and can be undone.</p> : (
        <>
          {d.note && <p className="hint" data-testid="dream-record-note">{d.note}</p>}
          {open.length > 0 && (
            <ul className="dream-proposals" aria-label="Deletions proposed for you">
              {open.map((p) => (
                <li key={p.slug} data-testid="dream-proposal" data-slug={p.slug}>
                  <span>The dream proposes deleting your memory <code>{p.slug}</code>: {p.why}</span>
                  <Button testId="dream-proposal-accept" disabled={busy.settle !== null} onClick={() => void bg.actions.settle(p.slug, true)}>Delete it</Button>
                  <Button variant="secondary" testId="dream-proposal-reject" disabled={busy.settle !== null} onClick={() => void bg.actions.settle(p.slug, false)}>Keep it</Button>
                </li>
              ))}
            </ul>
          )}
          {d.changes.length > 0 ? (
            <ul className="dream-changes" data-testid="dream-changes">
              {d.changes.map((c, i) => (
                <li key={`${c.ts}-${i}`} data-testid="dream-change" data-op={c.op}>
                  {OP_LABEL[c.op]} <code>{c.slug}</code> — {c.why}
                </li>
              ))}
            </ul>
          ) : d.status === 'done' && <p data-testid="dream-no-changes">It changed nothing.</p>}
          {showDiff && d.diff.map((f) => <FileDiff key={f.path} d={f} />)}
          {d.proposals.some((p) => p.state !== 'proposed') && (
            <p className="hint" data-testid="dream-settled">{d.proposals.filter((p) => p.state !== 'proposed').map((p) => `${p.slug}: ${p.state === 'accepted' ? 'deleted as proposed' : 'kept'}`).join('; ')}</p>
          )}
        </>
      )}
    </section>
  );
}
