import { useEffect, useState } from 'react';
import type { PlanListItem } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, IconButton, ProgressRing } from '../../ui';

const STATUS: Record<NonNullable<PlanListItem['status']>, string> = { open: 'open', approved: 'in progress', done: 'done', abandoned: 'abandoned' };
const GROUPS: Array<{ label: string; has: (p: PlanListItem) => boolean }> = [
  { label: 'Open', has: (p) => p.status === 'open' || p.status === 'approved' || !p.status },
  { label: 'Done', has: (p) => p.status === 'done' },
  { label: 'Abandoned', has: (p) => p.status === 'abandoned' },
];

/**
 * The workspace's plans (`.agent/plans/`): open ones first (proposed, or approved and not finished), then done and
 * abandoned ones with the outcome their file records. Each opens in an editor; an open one can be resumed in this
 * session (it goes back to review on its card: nothing runs until it is approved again) or abandoned.
 */
export function PlanHistory({ onClose }: { onClose: () => void }) {
  const { listPlans, planAction } = useActions();
  const decisions = useChat((s) => s.decisions);
  const [plans, setPlans] = useState<PlanListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = async () => setPlans((await listPlans()) ?? []);
  // The list follows what happens to plans (a card appears or leaves, a step is checked off).
  useEffect(() => { void refresh(); }, [decisions.length]);

  const run = async (action: 'open' | 'resume' | 'abandon', p: PlanListItem) => {
    setError(null);
    const r = await planAction(action, p.path);
    if (r && !r.ok) setError(r.error ?? `Could not ${action} ${p.path}.`);
    if (r?.ok && action === 'resume') onClose();
    else if (action !== 'open') void refresh();
  };

  return (
    <section className="plan-history" data-testid="plan-history" aria-label="Plans"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="plan-history-head">
        <strong>Plans</strong>
        <IconButton icon="refresh" label="Refresh the plan list" testId="plan-history-refresh" onClick={() => void refresh()} />
        <IconButton icon="close" label="Close the plan list" testId="plan-history-close" onClick={onClose} />
      </div>
      {error && <p className="plan-history-error" role="alert" data-testid="plan-history-error">{error}</p>}
      {plans === null ? <ProgressRing label="Loading plans…" showLabel /> : plans.length === 0 ? (
        <p className="hint" data-testid="plan-history-empty">No plans in this workspace yet. Choose the Plan mode, or type /plan and a task, to have Cairn write one.</p>
      ) : GROUPS.map((g) => {
        const items = plans.filter(g.has);
        if (!items.length) return null;
        return (
          <div key={g.label} className="plan-history-group">
            <h2 className="plan-history-group-title">{g.label} ({items.length})</h2>
            <ul className="plan-history-items" aria-label={`${g.label} plans`}>
              {items.map((p) => <PlanRow key={p.path} plan={p} onAction={(a) => void run(a, p)} />)}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function PlanRow({ plan: p, onAction }: { plan: PlanListItem; onAction: (a: 'open' | 'resume' | 'abandon') => void }) {
  const [confirm, setConfirm] = useState(false);
  const unfinished = p.status === 'open' || p.status === 'approved';
  const progress = p.progress ? `${p.progress.done + p.progress.skipped}/${p.progress.total} steps` : '';
  return (
    <li className="plan-history-item" data-testid="plan-history-item" data-path={p.path} data-status={p.status ?? 'unreadable'} data-current={p.current}>
      <div className="plan-history-text">
        <span className="plan-history-title">{p.title ?? p.path}</span>
        <span className="plan-history-meta">
          {p.status ? STATUS[p.status] : 'unreadable'}{progress ? ` · ${progress}` : ''}{p.created ? ` · ${new Date(p.created).toLocaleDateString()}` : ''}{p.current ? ' · this session' : ''}
        </span>
        {p.outcome && <span className="plan-history-outcome" data-testid="plan-history-outcome">{p.outcome}</span>}
        {p.problem && <span className="plan-history-problem">{p.problem}</span>}
      </div>
      {confirm ? (
        <span className="plan-history-confirm" role="alert">
          Abandon “{p.title ?? p.path}”? The file keeps it, marked abandoned.
          <Button variant="primary" testId="plan-abandon-confirm" onClick={() => { setConfirm(false); onAction('abandon'); }}>Abandon</Button>
          <Button variant="secondary" testId="plan-abandon-cancel" onClick={() => setConfirm(false)}>Cancel</Button>
        </span>
      ) : (
        <span className="plan-history-actions">
          <IconButton icon="go-to-file" label={`Open ${p.path} in the editor`} testId="plan-history-open" onClick={() => onAction('open')} />
          {unfinished && !p.current && <IconButton icon="debug-continue" label={`Resume ${p.title ?? p.path} (back to review)`} testId="plan-history-resume" onClick={() => onAction('resume')} />}
          {unfinished && <IconButton icon="circle-slash" label={`Abandon ${p.title ?? p.path}`} testId="plan-history-abandon" onClick={() => setConfirm(true)} />}
        </span>
      )}
    </li>
  );
}
