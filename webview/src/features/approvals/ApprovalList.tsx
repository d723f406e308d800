import { useState } from 'react';
import type { ApprovalRequestInfo } from '../../protocol';
import { useActions, useChat, type ApprovalScope } from '../../store';
import { Button } from '../../ui';

/**
 * Tool calls waiting for the user: approve once, always allow at a scope, or reject with a reason. The card
 * leaves when the host sends approval/resolved, so an answer given elsewhere removes it too.
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

const SCOPES: Array<{ value: Exclude<ApprovalScope, 'once'>; label: string }> = [
  { value: 'session', label: 'this session' },
  { value: 'workspace', label: 'this workspace' },
  { value: 'user', label: 'all my workspaces' },
];

function ApprovalCard({ request }: { request: ApprovalRequestInfo }) {
  const { answerApproval } = useActions();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<Exclude<ApprovalScope, 'once'>>('session');
  const run = (fn: () => Promise<boolean>) => async () => {
    setBusy(true);
    try { await fn(); } finally { setBusy(false); }
  };
  const titleId = `approval-${request.id}-title`;
  return (
    <div className="approval-card" role="group" aria-labelledby={titleId} data-testid="approval" data-approval-id={request.id}>
      <div id={titleId} className="approval-title">
        <span className="tool-name">{request.tool}</span> wants to: {request.summary}
      </div>
      <div className="approval-reason">{request.reason}</div>
      {request.detail !== undefined && request.detail !== '' && <pre className="approval-detail" tabIndex={0}>{request.detail}</pre>}
      {rejecting ? (
        <form className="approval-reject" onSubmit={(e) => { e.preventDefault(); void run(() => answerApproval(request.id, 'reject', { reason: reason.trim() }))(); }}>
          <label htmlFor={`${titleId}-reason`}>Why not? (optional, told to Cairn)</label>
          <input id={`${titleId}-reason`} className="ui-input" data-testid="reject-reason" value={reason} maxLength={2000}
            onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') setRejecting(false); }} autoFocus />
          <div className="approval-actions">
            <Button variant="primary" testId="reject-confirm" disabled={busy} onClick={() => void run(() => answerApproval(request.id, 'reject', { reason: reason.trim() }))()}>Reject</Button>
            <Button variant="secondary" testId="reject-cancel" onClick={() => setRejecting(false)}>Back</Button>
          </div>
        </form>
      ) : (
        <div className="approval-actions">
          <Button variant="primary" testId="approve-button" disabled={busy} onClick={() => void run(() => answerApproval(request.id, 'approve', { scope: 'once' }))()}>Approve</Button>
          <span className="approval-always">
            <Button variant="secondary" testId="always-allow-button" disabled={busy} onClick={() => void run(() => answerApproval(request.id, 'approve', { scope }))()}>Always allow</Button>
            <label className="visually-hidden" htmlFor={`${titleId}-scope`}>Always allow for</label>
            <select id={`${titleId}-scope`} className="ui-select" data-testid="always-allow-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              {SCOPES.map((s) => <option key={s.value} value={s.value}>for {s.label}</option>)}
            </select>
          </span>
          <Button variant="secondary" testId="reject-button" disabled={busy} onClick={() => setRejecting(true)}>Reject…</Button>
        </div>
      )}
    </div>
  );
}
