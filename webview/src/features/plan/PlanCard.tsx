import { useState, type KeyboardEvent } from 'react';
import type { PendingDecision } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, Icon } from '../../ui';

type PlanRequest = Extract<PendingDecision, { kind: 'plan' }>['request'];
interface EditStep { key: number; text: string; files: string; comment: string }
export type PlanChoice = 'approve-auto' | 'approve-review' | 'keep-planning';

/**
 * Proposed plans waiting for the user. The card shows the plan it approves (title, summary, steps with their
 * files, risks, verification); steps are edited in place (text, files, reorder with the buttons or Alt+Up/Down,
 * delete, add) with a comment each; the three answers sit above the plan so they are visible without scrolling.
 * Approval is only ever these buttons: the answer carries the nonce the host issued with the card.
 */
export function PlanList() {
  const decisions = useChat((s) => s.decisions);
  const plans = decisions.flatMap((d) => (d.kind === 'plan' ? [d.request] : []));
  if (plans.length === 0) return null;
  return (
    <section className="plans" aria-label="Plans waiting for your approval">
      {plans.map((p) => <PlanCard key={p.id} request={p} />)}
    </section>
  );
}

let nextKey = 1;
const toEdit = (r: PlanRequest): EditStep[] => r.steps.map((s) => ({ key: nextKey++, text: s.text, files: s.files.join(', '), comment: '' }));

export function PlanCard({ request }: { request: PlanRequest }) {
  const { answerPlan, planAction } = useActions();
  const [steps, setSteps] = useState<EditStep[]>(() => toEdit(request));
  // The plan file changed on disk (edited in an editor): the card shows the file's steps, and says so.
  const fileSig = JSON.stringify(request.steps);
  const [shownSig, setShownSig] = useState(fileSig);
  const [fromFile, setFromFile] = useState(false);
  if (shownSig !== fileSig) { setShownSig(fileSig); setSteps(toEdit(request)); setFromFile(true); }
  const [feedback, setFeedback] = useState('');
  const [busy, setBusy] = useState(false);
  const titleId = `plan-${request.id}-title`;
  const edited = JSON.stringify(steps.map((s) => [s.text.trim(), s.files])) !== JSON.stringify(request.steps.map((s) => [s.text, s.files.join(', ')]));
  const update = (i: number, patch: Partial<EditStep>) => setSteps((xs) => xs.map((s, k) => (k === i ? { ...s, ...patch } : s)));
  const move = (i: number, d: -1 | 1) => setSteps((xs) => {
    const j = i + d;
    if (j < 0 || j >= xs.length) return xs;
    const out = [...xs];
    [out[i], out[j]] = [out[j]!, out[i]!];
    return out;
  });
  const remove = (i: number) => setSteps((xs) => xs.filter((_, k) => k !== i));
  const add = () => setSteps((xs) => [...xs, { key: nextKey++, text: '', files: '', comment: '' }]);
  const onKey = (i: number) => (e: KeyboardEvent) => {
    if (e.altKey && e.key === 'ArrowUp') { e.preventDefault(); move(i, -1); }
    if (e.altKey && e.key === 'ArrowDown') { e.preventDefault(); move(i, 1); }
  };
  const answer = async (choice: PlanChoice) => {
    setBusy(true);
    try {
      const kept = steps.filter((s) => s.text.trim());
      const comments = kept.map((s, i) => ({ step: i + 1, text: s.comment.trim() })).filter((c) => c.text);
      await answerPlan(request.id, {
        kind: 'plan', nonce: request.nonce, choice,
        ...(feedback.trim() ? { feedback: feedback.trim() } : {}),
        ...(edited ? { steps: kept.map((s) => ({ text: s.text.trim(), files: s.files.split(',').map((f) => f.trim()).filter(Boolean) })) } : {}),
        ...(comments.length ? { comments } : {}),
      });
    } finally { setBusy(false); }
  };
  const canApprove = !busy && steps.some((s) => s.text.trim());
  return (
    <div className="plan-card" role="group" aria-labelledby={titleId} data-testid="plan-card" data-plan-id={request.id}>
      <div id={titleId} className="plan-title">
        <Icon name="checklist" /> <span>Plan: <strong data-testid="plan-title">{request.title}</strong></span>
        <code className="plan-path" title="The plan file: edits made there are what gets executed">{request.path}</code>
        <button type="button" className="plan-open-file" data-testid="plan-open-file" title="Edit the plan in an editor: what the file says when you approve is what gets executed (unsaved edits are saved first; steps edited on this card replace the file's steps)"
          onClick={() => void planAction('open', request.path)}><Icon name="go-to-file" /> Open in editor</button>
      </div>
      <div className="plan-actions" role="toolbar" aria-label="Answer the plan">
        <Button testId="plan-approve-auto" disabled={!canApprove} onClick={() => void answer('approve-auto')}>Approve and auto-accept edits</Button>
        <Button testId="plan-approve-review" variant="secondary" disabled={!canApprove} onClick={() => void answer('approve-review')}>Approve and review each edit</Button>
        <Button testId="plan-keep-planning" variant="secondary" disabled={busy} onClick={() => void answer('keep-planning')}>Keep planning</Button>
      </div>
      <label className="plan-feedback">
        <span>Feedback for Keep planning (optional)</span>
        <textarea data-testid="plan-feedback" rows={2} value={feedback} onChange={(e) => setFeedback(e.target.value)} />
      </label>
      {fromFile && <p className="plan-updated" role="status" data-testid="plan-updated"><Icon name="info" /> The plan file changed: these are its steps now.</p>}
      {request.summary && <p className="plan-summary" data-testid="plan-summary">{request.summary}</p>}
      <ol className="plan-steps" aria-label="Steps (Alt+Up and Alt+Down move a step)">
        {steps.map((s, i) => (
          <li key={s.key} className="plan-step" data-testid="plan-step" onKeyDown={onKey(i)}>
            <input aria-label={`Step ${i + 1}`} data-testid="plan-step-text" value={s.text} onChange={(e) => update(i, { text: e.target.value })} />
            <input aria-label={`Files of step ${i + 1}`} className="plan-step-files" placeholder="files, comma separated" value={s.files} onChange={(e) => update(i, { files: e.target.value })} />
            <input aria-label={`Comment on step ${i + 1}`} className="plan-step-comment" data-testid="plan-step-comment" placeholder="comment (optional)" value={s.comment} onChange={(e) => update(i, { comment: e.target.value })} />
            <span className="plan-step-buttons">
              <button type="button" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}><Icon name="arrow-up" /></button>
              <button type="button" aria-label={`Move step ${i + 1} down`} disabled={i === steps.length - 1} onClick={() => move(i, 1)}><Icon name="arrow-down" /></button>
              <button type="button" aria-label={`Delete step ${i + 1}`} data-testid="plan-step-delete" onClick={() => remove(i)}><Icon name="trash" /></button>
            </span>
          </li>
        ))}
      </ol>
      <button type="button" className="plan-add-step" data-testid="plan-add-step" onClick={add}><Icon name="add" /> Add a step</button>
      {request.risks.length > 0 && (
        <div className="plan-risks"><strong>Risks</strong><ul>{request.risks.map((r, i) => <li key={i}>{r}</li>)}</ul></div>
      )}
      {request.verification && <div className="plan-verification"><strong>Verification</strong> <span data-testid="plan-verification">{request.verification}</span></div>}
      <p className="plan-hint">A chat message never approves a plan: plan mode stays on until you choose an Approve button.</p>
    </div>
  );
}
