/** What a feature adds to every session (tools, prompt context, ports), and what it hears about sessions. */
import type { SessionContribution } from '../core/session/assemble';
import type { ToolHooks } from '../core/agent/tools-exec';
import type { SessionHooks } from '../core/hooks/session';
import type { Attachment } from '../protocol/model';

export interface RuntimeContribution extends SessionContribution {
  /** Called when a session closes (stop background work of that session). */
  onSessionClosed?(sessionId: string): void;
  /** PreToolUse / PostToolUse hooks for a new session (the first feature that has them). */
  toolHooks?(): ToolHooks | undefined;
  /** SessionStart, UserPromptSubmit, PreCompact and Stop hooks (the first feature that has them). */
  sessionHooks?(): SessionHooks | undefined;
  /** Resolve the attachments of a kind this feature owns (e.g. MCP resources) into context for the model. */
  resolveAttachments?(list: Attachment[]): Promise<{ context: string[]; problems: string[] }>;
}
