import { VSCodeProgressRing } from './toolkit';

/**
 * A spinner with a polite status label. The toolkit's ring marks itself role="alert" aria-live="assertive",
 * which would interrupt a screen reader on every render, so it is hidden and the label speaks instead.
 */
export function ProgressRing({ label, showLabel = false, testId }: { label: string; showLabel?: boolean; testId?: string }) {
  return (
    <span className="ui-progress" role="status" data-testid={testId}>
      <VSCodeProgressRing aria-hidden="true" className="ui-progress-ring" />
      <span className={showLabel ? 'ui-progress-label' : 'visually-hidden'}>{label}</span>
    </span>
  );
}
