/** What a feature adds to every session's runtime: ports, tools, and prompt context. */
import type { Ports } from '../core/ports';
import type { AnyTool } from '../core/tools/types';
import type { ReviewRequest } from '../protocol/review';

export interface RuntimeContribution {
  /** Editor-side ports (editor, diagnostics, diff review...). */
  ports?(): Partial<Ports>;
  /** Extra tools (sent after the built-ins, sorted by name). */
  tools?(): AnyTool[];
  /** Rules and memory index for the first user message. Must be stable within a session. */
  prelude?(): string | undefined;
  /** Session-stable system context. */
  dynamicSystem?(): string | undefined;
  /** Diff reviews waiting for the user (shown again by a webview that reconnects). */
  pendingReviews?(): ReviewRequest[];
  /** Called when a session closes (stop background work of that session). */
  onSessionClosed?(sessionId: string): void;
}
