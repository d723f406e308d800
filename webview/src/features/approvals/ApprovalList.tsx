import { useState } from 'react';
import type { ApprovalRequestInfo } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button } from '../../ui';

/**
 * Tool calls waiting for the user. A minimal prompt (approve or reject this one call); the card leaves when
 * the host sends approval/resolved, so an answer given elsewhere removes it too.
 */
export function ApprovalList() {
  const approvals = useChat((s) => s.approvals);
  if (approvals.length === 0) return null;
  return (
    <section className="approvals" aria-label="Waiting for your approval">
      {approvals.map((a) => <ApprovalCard key={a.id} request={a} />)}
    </section>
  );
}

function ApprovalCard({ request }: { request: ApprovalRequestInfo }) {
  const { answerApproval } = useActions();
  const [busy, setBusy] = useState(false);
  const answer = (decision: 'approve' | 'reject') => async () => {
    setBusy(true);
    try {
      await answerApproval(request.id, decision);
    } finally {
      setBusy(false);
    }
  };
  const titleId = `approval-${request.id}-title`;
  return (
    <div className="approval-card" role="group" aria-labelledby={titleId} data-testid="approval" data-approval-id={request.id}>
      <div id={titleId} className="approval-title">
        <span className="tool-name">{request.tool}</span> wants to: {request.summary}
      </div>
      <div className="approval-reason">{request.reason}</div>
      {request.detail !== undefined && request.detail !== '' && <pre className="approval-detail">{request.detail}</pre>}
      <div className="approval-actions">
        <Button variant="primary" testId="approve-button" disabled={busy} onClick={() => void answer('approve')()}>Approve</Button>
        <Button variant="secondary" testId="reject-button" disabled={busy} onClick={() => void answer('reject')()}>Reject</Button>
      </div>
    </div>
  );
}
