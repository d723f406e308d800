/**
 * Ports: the small interfaces through which the core reaches the editor. extension/host implements them
 * with the VS Code API; the headless CLI and the tests implement them with plain Node and fakes.
 */

export interface OpenDocument {
  absPath: string;
  languageId: string;
  isDirty: boolean;
  /** The buffer's current text (may differ from disk when dirty). */
  text: string;
  version: number;
}

export interface Selection { absPath: string; startLine: number; startCol: number; endLine: number; endCol: number; text: string }

export interface EditorPort {
  openDocuments(): OpenDocument[];
  activeFile(): string | undefined;
  selection(): Selection | undefined;
  visibleRanges(): Array<{ absPath: string; startLine: number; endLine: number }>;
  /**
   * Apply new full text to a file through the editor (a WorkspaceEdit), so an open buffer is updated rather
   * than overwritten on disk. Refuses (returns false) when the buffer is dirty and `expectedText` differs.
   */
  applyText(absPath: string, newText: string, expectedText: string): Promise<boolean>;
}

export interface Diagnostic {
  absPath: string;
  line: number;
  col: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

export interface DiagnosticsPort {
  get(absPath?: string): Diagnostic[];
  /** Resolves after diagnostics have been quiet for `settleMs` (or `maxMs` passed). */
  settle(settleMs: number, maxMs: number): Promise<void>;
}

export interface ProcessRequest {
  argv?: string[];
  /** A shell command line (already approved by the permission engine). */
  command?: string;
  cwd: string;
  timeoutMs: number;
  /** Run where the user can watch it (a VS Code terminal). */
  visible: boolean;
  signal: AbortSignal;
  onOutput?(chunk: string): void;
}

export interface ProcessResult { exitCode: number | null; signal: string | null; output: string; timedOut: boolean; aborted: boolean }

export interface ProcessPort {
  run(req: ProcessRequest): Promise<ProcessResult>;
}

/** What the user is asked, and what they answered. */
export interface ApprovalRequest {
  id: string;
  tool: string;
  /** The call's input as JSON, with a command's invisible characters made visible. */
  summary: string;
  /** The tool's own one-line description of the call ("npm test", "src/a.ts"). */
  title?: string;
  detail?: string;
  reason: string;
  /** Which agent asks, when it is not the main one (e.g. "explore subagent"). */
  agent?: string;
}

export type ApprovalScope = 'once' | 'session' | 'workspace' | 'user';
export type ApprovalAnswer =
  | { decision: 'approve'; scope: ApprovalScope }
  | { decision: 'reject'; reason?: string };

export interface ApprovalPort {
  ask(req: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
}

/** A proposed edit the user reviews hunk by hunk. Resolves with the text to write, or undefined if rejected. */
export interface DiffReviewPort {
  review(absPath: string, before: string, after: string, signal: AbortSignal): Promise<{ text: string } | undefined>;
}

export interface Ports {
  editor?: EditorPort;
  diagnostics?: DiagnosticsPort;
  process?: ProcessPort;
  approval?: ApprovalPort;
  diffReview?: DiffReviewPort;
  /** False in an untrusted workspace: nothing runs and nothing is edited. */
  workspaceTrusted: boolean;
}
