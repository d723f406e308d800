import type { ReactNode } from 'react';
import { VSCodeBadge, VSCodeTag } from './toolkit';

/** A small count or status pill. */
export function Badge({ children, label, testId }: { children: ReactNode; label?: string; testId?: string }) {
  return <VSCodeBadge aria-label={label} data-testid={testId}>{children}</VSCodeBadge>;
}

/** A short uppercase tag (e.g. a tool's status). */
export function Tag({ children, label, testId, className }: { children: ReactNode; label?: string; testId?: string; className?: string }) {
  return <VSCodeTag aria-label={label} data-testid={testId} className={className}>{children}</VSCodeTag>;
}
