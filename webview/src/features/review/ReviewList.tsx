import { useState } from 'react';
import type { ReviewHunk, ReviewRequest } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button } from '../../ui';

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

export function ReviewCard({ review }: { review: ReviewRequest }) {
  const { answerReview, openReviewDiff } = useActions();
  // Every hunk starts accepted; the user turns off the ones they do not want.
  const [accepted, setAccepted] = useState<ReadonlySet<number>>(() => new Set(review.hunks.map((h) => h.index)));
  const [busy, setBusy] = useState(false);
  const set = (index: number, on: boolean) => setAccepted((cur) => {
    const next = new Set(cur);
    if (on) next.add(index); else next.delete(index);
    return next;
  });
  const run = (fn: () => Promise<boolean>) => async () => {
    setBusy(true);
    try { await fn(); } finally { setBusy(false); }
  };
  const count = accepted.size;
  const titleId = `review-${review.id}-title`;
  return (
    <div className="review-card" role="group" aria-labelledby={titleId} data-testid="review-card" data-review-id={review.id}>
      <div className="review-head">
        <span id={titleId} className="review-title">
          {review.isNew ? 'New file ' : 'Edit '}<code>{review.path}</code>
        </span>
        <span className="review-meta">{review.tool} · {count} of {review.hunks.length} change{review.hunks.length === 1 ? '' : 's'} accepted</span>
      </div>
      {review.hunks.map((h) => (
        <Hunk key={h.index} hunk={h} accepted={accepted.has(h.index)} onChange={(on) => set(h.index, on)} />
      ))}
      <div className="review-actions">
        <Button variant="primary" testId="review-apply" disabled={busy || count === 0} onClick={() => void run(() => answerReview(review.id, 'apply', [...accepted].sort((a, b) => a - b)))()}>
          {count === review.hunks.length ? 'Apply' : `Apply ${count} of ${review.hunks.length}`}
        </Button>
        <Button variant="secondary" testId="review-reject-all" disabled={busy} onClick={() => void run(() => answerReview(review.id, 'reject'))()}>Reject all</Button>
        <Button variant="secondary" testId="review-open-diff" disabled={busy} onClick={() => void openReviewDiff(review.id)}>Open in diff editor</Button>
      </div>
    </div>
  );
}

function Hunk({ hunk, accepted, onChange }: { hunk: ReviewHunk; accepted: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className={accepted ? 'review-hunk' : 'review-hunk review-hunk-rejected'} data-testid="review-hunk" data-index={hunk.index} data-accepted={accepted}>
      <div className="review-hunk-head">
        <code className="review-hunk-header">{hunk.header}</code>
        <span className="review-hunk-toggle" role="radiogroup" aria-label={`Change ${hunk.index + 1}`}>
          <Button variant={accepted ? 'primary' : 'secondary'} testId="hunk-accept" label={`Accept change ${hunk.index + 1}`} onClick={() => onChange(true)}>
            {accepted ? '✓ Accepted' : 'Accept'}
          </Button>
          <Button variant={accepted ? 'secondary' : 'primary'} testId="hunk-reject" label={`Reject change ${hunk.index + 1}`} onClick={() => onChange(false)}>
            {accepted ? 'Reject' : '✕ Rejected'}
          </Button>
        </span>
      </div>
      <pre className="diff" tabIndex={0} aria-label={`Change ${hunk.index + 1}: ${hunk.header}`}>
        {hunk.lines.map((l, i) => <DiffLine key={i} line={l} />)}
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
