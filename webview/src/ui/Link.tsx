import type { ReactNode } from 'react';
import { VSCodeLink } from './toolkit';

/** A link. In a VS Code webview, https links open in the user's browser. */
export function Link({ href, children, testId }: { href: string; children: ReactNode; testId?: string }) {
  return <VSCodeLink href={href} data-testid={testId}>{children}</VSCodeLink>;
}
