import { useState } from 'react';
import type { ReviewHunk, ReviewRequest } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, Icon } from '../../ui';

/** Proposed edits waiting for review: a card per file, each hunk accepted or rejected on its own. */
export function ReviewList() {
  const reviews = useChat((s) => s.reviews);
  if (reviews.length === 0) return null;
  return (
    <section className="reviews" aria-label="Proposed edits to review">
      {reviews.map((r) => <ReviewCard key={r.id} review={r} />)}
    </section>
  );
}

/** Lines added and removed across the hunks. */
export function diffCounts(hunks: readonly ReviewHunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of hunks) {
    for (const l of h.lines) {
      if (l[0] === '+') added++;
      else if (l[0] === '-') removed++;
    }
  }
  return { added, removed };
}

function splitPath(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf('/');
  return i < 0 ? { dir: '', name: path } : { dir: path.slice(0, i + 1), name: path.slice(i + 1) };
}

export function ReviewCard({ review }: { review: ReviewRequest }) {
  const { answerReview, openReviewDiff } = useActions();
  // Every hunk starts accepted; the user turns off the ones they do not want.
  const [accepted, setAccepted] = useState<ReadonlySet<number>>(() => new Set(review.hunks.map((h) => h.index)));
  const [busy, setBusy] = useState(false);
  // Until the user picks, nothing is "accepted" yet: the card says how many changes there are to review.
  const [touched, setTouched] = useState(false);
  const set = (index: number, on: boolean) => { setTouched(true); setAccepted((cur) => {
    const next = new Set(cur);
    if (on) next.add(index); else next.delete(index);
    return next;
  }); };
  const run = (fn: () => Promise<boolean>) => async () => {
    setBusy(true);
    try { await fn(); } finally { setBusy(false); }
  };
  const count = accepted.size;
  const total = review.hunks.length;
  const titleId = `review-${review.id}-title`;
  const { added, removed } = diffCounts(review.hunks);
  const { dir, name } = splitPath(review.path);
  return (
    <div className="review-card" role="group" aria-labelledby={titleId} data-testid="review-card" data-review-id={review.id}>
      <div className="review-head">
        <Icon name={review.isNew ? 'new-file' : 'diff'} className="review-icon" />
        <span id={titleId} className="review-title" title={review.path}>
          <span className="visually-hidden">{review.isNew ? 'New file ' : 'Edit '}</span>
          {dir && <span className="review-dir"><span className="review-dir-text">{dir}</span></span>}
          <span className="review-name">{name}</span>
        </span>
        <span className="review-counts" aria-label={`${added} lines added, ${removed} removed`}>
          <span className="count-add">+{added}</span>
          <span className="count-del">−{removed}</span>
        </span>
      </div>
      <div className="review-meta">
        {review.isNew ? 'New file' : review.tool} · {touched
          ? `${count} of ${total} change${total === 1 ? '' : 's'} kept`
          : `${total} change${total === 1 ? '' : 's'} to review`}
      </div>
      {review.hunks.map((h) => (
        <Hunk key={h.index} hunk={h} accepted={accepted.has(h.index)} onChange={(on) => set(h.index, on)} />
      ))}
      <div className="review-actions">
        <Button variant="primary" testId="review-apply" icon="check" disabled={busy || count === 0} onClick={() => void run(() => answerReview(review.id, 'apply', [...accepted].sort((a, b) => a - b)))()}>
          {count === total ? 'Apply' : `Apply ${count} of ${total}`}
        </Button>
        <Button variant="secondary" testId="review-reject-all" disabled={busy} onClick={() => void run(() => answerReview(review.id, 'reject'))()}>Reject all</Button>
        <Button variant="secondary" testId="review-open-diff" icon="go-to-file" disabled={busy} title="Open in VS Code's diff editor, where the proposal can be edited" onClick={() => void openReviewDiff(review.id)}>Open in diff editor</Button>
      </div>
    </div>
  );
}

function Hunk({ hunk, accepted, onChange }: { hunk: ReviewHunk; accepted: boolean; onChange: (on: boolean) => void }) {
  const n = hunk.index + 1;
  return (
    <div className={accepted ? 'review-hunk' : 'review-hunk review-hunk-rejected'} data-testid="review-hunk" data-index={hunk.index} data-accepted={accepted}>
      <div className="review-hunk-head">
        <code className="review-hunk-header" title={hunk.header}>{hunk.header}</code>
        <span className="segmented" role="group" aria-label={`Change ${n}`}>
          <button type="button" className="segment segment-accept" data-testid="hunk-accept" aria-pressed={accepted}
            aria-label={`Accept change ${n}`} title={`Accept change ${n}`} onClick={() => onChange(true)}>
            <Icon name="check" /><span>Accept</span>
          </button>
          <button type="button" className="segment segment-reject" data-testid="hunk-reject" aria-pressed={!accepted}
            aria-label={`Reject change ${n}`} title={`Reject change ${n}`} onClick={() => onChange(false)}>
            <Icon name="close" /><span>Reject</span>
          </button>
        </span>
      </div>
      <pre className="diff" tabIndex={0} aria-label={`Change ${n}: ${hunk.header}`}>
        <code className="diff-body">{hunk.lines.map((l, i) => <DiffLine key={i} line={l} />)}</code>
      </pre>
    </div>
  );
}

const LINE_KIND: Record<string, string> = { '+': 'add', '-': 'del' };

export function DiffLine({ line }: { line: string }) {
  const kind = LINE_KIND[line[0] ?? ''] ?? 'ctx';
  return (
    <span className={`diff-line diff-${kind}`} data-kind={kind}>
      <span className="visually-hidden">{kind === 'add' ? 'added: ' : kind === 'del' ? 'removed: ' : ''}</span>
      {line}
      {'\n'}
    </span>
  );
}
