/**
 * The background in the panel: proactive mode's on/off toggle with its state (off, watching, sleeping, over budget),
 * and the notices feed. Each notice says why now and what the check looked at; a suggested fix starts a normal chat
 * task (with its usual approvals) when the user clicks it.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { BackgroundNotice, ProactiveState } from '../../protocol';
import { Button, Icon, IconButton } from '../../ui';
import type { BackgroundStore } from './backgroundStore';

const STATE_LABEL: Record<ProactiveState, string> = { off: 'off', watching: 'watching', sleeping: 'sleeping', over_budget: 'over budget' };
const STATE_ICON: Record<ProactiveState, string> = { off: 'eye-closed', watching: 'eye', sleeping: 'debug-pause', over_budget: 'warning' };
const URGENCY_ICON: Record<BackgroundNotice['urgency'], string> = { low: 'info', normal: 'bell', urgent: 'warning' };

const time = (ts: number) => new Date(ts).toLocaleString();

export function ProactiveToggle({ bg }: { bg: BackgroundStore }) {
  const p = useStore(bg.store, (s) => s.proactive);
  const toggling = useStore(bg.store, (s) => s.busy.toggle);
  const enabled = p?.enabled ?? false;
  const status = p?.status ?? 'off';
  return (
    <div className="proactive-toggle" data-testid="proactive-toggle" data-status={status}>
      <IconButton icon={STATE_ICON[status]} testId="proactive-switch" pressed={enabled} disabled={toggling || !p}
        label={enabled ? 'Turn proactive mode off' : 'Turn proactive mode on'} onClick={() => void bg.actions.setProactive(!enabled)} />
      <span className="proactive-state">
        <strong>Proactive mode: <span data-testid="proactive-state">{STATE_LABEL[status]}</span></strong>
        {p && <span className="proactive-detail" data-testid="proactive-detail"> — {p.detail}{enabled ? ` (every ${p.tickMinutes} min while you are away, at most $${p.dailyBudgetUsd.toFixed(2)} a day)` : ''}</span>}
      </span>
    </div>
  );
}

export function NoticeFeed({ bg }: { bg: BackgroundStore }) {
  const notices = useStore(bg.store, (s) => s.notices);
  const fixing = useStore(bg.store, (s) => s.busy.fix);
  if (notices.length === 0) return <p className="hint" data-testid="notice-feed-empty">No notices. With proactive mode on, a check while you are away raises one when something needs you (a failing test, a broken build).</p>;
  return (
    <ul className="notice-feed" data-testid="notice-feed" aria-label="Proactive notices">
      {notices.map((n) => (
        <li key={n.id} className={`feed-notice feed-notice-${n.urgency}`} data-testid="feed-notice" data-id={n.id} data-urgency={n.urgency}>
          <div className="feed-notice-title">
            <Icon name={URGENCY_ICON[n.urgency]} label={n.urgency} />
            <strong data-testid="feed-notice-title">{n.title}</strong>
            <span className="feed-notice-time">{time(n.ts)}</span>
          </div>
          <div data-testid="feed-notice-why"><span className="feed-notice-label">Why now:</span> {n.whyNow}</div>
          <div data-testid="feed-notice-looked"><span className="feed-notice-label">Looked at:</span> {n.lookedAt.join(', ') || 'nothing recorded'}</div>
          <div className="feed-notice-actions">
            {n.hasFix && (
              <Button testId="feed-notice-fix" icon="wand" disabled={fixing !== null} onClick={() => void bg.actions.fix(n.id)}>
                {fixing === n.id ? 'Starting…' : 'Fix with Cairn'}
              </Button>
            )}
            <Button variant="secondary" testId="feed-notice-dismiss" onClick={() => void bg.actions.dismiss(n.id)}>Dismiss</Button>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Shown from the chat header: the toggle, what the last action said, and the feed. */
export function BackgroundPanel({ bg }: { bg: BackgroundStore }) {
  useEffect(() => { if (bg.store.getState().status === 'idle') void bg.actions.load(); }, [bg]);
  const status = useStore(bg.store, (s) => s.status);
  const error = useStore(bg.store, (s) => s.error);
  const note = useStore(bg.store, (s) => s.note);
  return (
    <section className="background-panel" data-testid="background-panel" aria-label="Background: proactive mode and notices">
      {error && (
        <div className="notice notice-error" role="alert" data-testid="background-error">
          <span>{error}</span>
          <IconButton icon="close" label="Dismiss" onClick={bg.actions.dismissError} />
        </div>
      )}
      {note && (
        <div className="notice notice-info" role="status" data-testid="background-note">
          <span>{note}</span>
          <IconButton icon="close" label="Dismiss" onClick={bg.actions.dismissNote} />
        </div>
      )}
      {status === 'error' ? <Button testId="background-reload" onClick={() => void bg.actions.load()}>Reload</Button>
        : status !== 'ready' ? <p>Loading…</p> : (
          <>
            <ProactiveToggle bg={bg} />
            <h3>Notices</h3>
            <NoticeFeed bg={bg} />
          </>
        )}
    </section>
  );
}
