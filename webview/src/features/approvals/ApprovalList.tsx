import { useState } from 'react';
import type { ApprovalRequestInfo } from '../../protocol';
import { useActions, useChat, type ApprovalScope } from '../../store';
import { Button, Icon } from '../../ui';

/**
 * Tool calls waiting for the user: approve once, always allow at a scope, or reject with a reason. The card
 * leaves when the host sends decision/resolved, so an answer given elsewhere removes it too.
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

const EDIT_TOOLS = new Set(['edit_file', 'write_file', 'create_file', 'delete_file', 'multi_edit', 'apply_patch']);

/** What the call would do, read from its input (JSON text, possibly cut short); null when it is not JSON. */
export function describeInput(summary: string): { command?: string; path?: string; fields: Array<[string, string]> } | null {
  let input: unknown;
  try { input = JSON.parse(summary); } catch { return null; }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return null;
  const o = input as Record<string, unknown>;
  const command = typeof o.command === 'string' ? o.command : undefined;
  const pathKey = ['path', 'file_path'].find((k) => typeof o[k] === 'string');
  const path = pathKey ? (o[pathKey] as string) : undefined;
  const fields = Object.entries(o)
    .filter(([k]) => !(command !== undefined && k === 'command') && k !== pathKey)
    .map(([k, v]): [string, string] => [k, fieldText(v)]);
  return { command, path, fields };
}

function fieldText(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

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
  const reject = () => void run(() => answerApproval(request.id, 'reject', { reason: reason.trim() }))();
  const titleId = `approval-${request.id}-title`;
  const input = describeInput(request.summary);
  const verb = input?.command !== undefined ? 'Run a command' : EDIT_TOOLS.has(request.tool) ? 'Change a file' : 'Use a tool';
  return (
    <div className="approval-card" role="group" aria-labelledby={titleId} data-testid="approval" data-approval-id={request.id}>
      <div id={titleId} className="approval-title">
        <Icon name="shield" className="approval-icon" />
        <span className="approval-title-text">{verb}? <code className="tool-name">{request.tool}</code> needs your approval{request.agent ? <> (asked by the <span className="approval-agent" data-testid="approval-agent">{request.agent}</span>)</> : null}</span>
      </div>
      {input === null ? (
        <div className="approval-summary">{request.summary}</div>
      ) : (
        <>
          {input.command !== undefined && (
            <pre className="approval-command" tabIndex={0} aria-label="Command"><span className="approval-prompt" aria-hidden="true">$ </span>{input.command}</pre>
          )}
          {input.path !== undefined && (
            <div className="approval-path"><Icon name="file" /><code title={input.path}>{input.path}</code></div>
          )}
          {input.fields.length > 0 && (
            <dl className="approval-fields">
              {input.fields.map(([k, v]) => (
                <div key={k} className="approval-field"><dt>{k}</dt><dd>{v}</dd></div>
              ))}
            </dl>
          )}
        </>
      )}
      {request.reason !== '' && <div className="approval-reason"><Icon name="info" />{request.reason}</div>}
      {request.detail !== undefined && request.detail !== '' && <pre className="approval-detail" tabIndex={0}>{request.detail}</pre>}
      {rejecting ? (
        <form className="approval-reject" onSubmit={(e) => { e.preventDefault(); reject(); }}>
          <label htmlFor={`${titleId}-reason`}>Why not? (optional, told to Cairn)</label>
          <input id={`${titleId}-reason`} className="ui-input" data-testid="reject-reason" value={reason} maxLength={2000}
            placeholder="e.g. use the test script instead"
            onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setRejecting(false); } }} autoFocus />
          <div className="approval-actions">
            <Button variant="primary" testId="reject-confirm" icon="close" disabled={busy} onClick={reject}>Reject</Button>
            <Button variant="secondary" testId="reject-cancel" onClick={() => setRejecting(false)}>Back</Button>
          </div>
        </form>
      ) : (
        <div className="approval-actions">
          <Button variant="primary" testId="approve-button" icon="check" disabled={busy} onClick={() => void run(() => answerApproval(request.id, 'approve', { scope: 'once' }))()}>Approve</Button>
          <Button variant="secondary" testId="reject-button" disabled={busy} title="Reject, with an optional reason" onClick={() => setRejecting(true)}>Reject…</Button>
          <span className="approval-always">
            <Button variant="secondary" testId="always-allow-button" disabled={busy} title="Approve this and similar calls without asking again"
              onClick={() => void run(() => answerApproval(request.id, 'approve', { scope }))()}>Always allow</Button>
            <label className="visually-hidden" htmlFor={`${titleId}-scope`}>Always allow for</label>
            <select id={`${titleId}-scope`} className="ui-select approval-scope" data-testid="always-allow-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              {SCOPES.map((s) => <option key={s.value} value={s.value}>for {s.label}</option>)}
            </select>
          </span>
        </div>
      )}
    </div>
  );
}
