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
  /** A note appended to a successful tool result (e.g. the rules file of the folder a file was read from). */
  toolResultNote?(toolName: string, input: unknown): string | undefined;
  /** Permission kinds of this feature's tools (read, edit, command, state, other). */
  toolKinds?(): Record<string, 'read' | 'edit' | 'command' | 'state' | 'other'>;
  /** Diff reviews waiting for the user (shown again by a webview that reconnects). */
  pendingReviews?(): ReviewRequest[];
  /** Called when a session closes (stop background work of that session). */
  onSessionClosed?(sessionId: string): void;
}
