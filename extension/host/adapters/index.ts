/**
 * VS Code implementations of the core's editor ports (issue 4): the editor (open documents, selection, applying
 * text through a WorkspaceEdit + save), diagnostics (with settle), processes (a watchable terminal when `visible`)
 * and the per-hunk diff review.
 *
 * Wiring (activate.ts): `createHostPorts(context, log, root)` is a RuntimeContribution; once the ChatController
 * exists, `registerHostPortHandlers(controller, hostPorts)` connects the review to the controller's pending
 * decisions (announced to every webview, answered with decision/answer) and handles review/openDiff.
 */
import * as vscode from 'vscode';
import type { Ports, ProcessPort } from '../../core/ports';
import type { RequestParams } from '../../protocol/requests';
import type { ReviewSink } from '../decisions/service';
import type { Logger } from '../log';
import type { RuntimeContribution } from '../features';
import { ReviewService } from '../review/service';
import { createDiagnosticsPort } from './diagnostics';
import { createEditorPort } from './editor';
import { createTerminalProcessPort } from './process';

export { createDiagnosticsPort } from './diagnostics';
export { createEditorPort, findOpenDocument } from './editor';
export { createTerminalProcessPort } from './process';
export { ReviewService } from '../review/service';

export interface HostPorts extends RuntimeContribution, vscode.Disposable {
  readonly review: ReviewService;
}

/** Commands run hidden unless the user wants to watch them (setting cairn.runCommandsInTerminal). */
export function watchableProcessPort(inner: ProcessPort, watch: () => boolean): ProcessPort {
  return { run: (req) => inner.run({ ...req, visible: req.visible || watch() }) };
}

export function createHostPorts(_context: vscode.ExtensionContext, log: Logger, root: string): HostPorts {
  const editor = createEditorPort();
  const diagnostics = createDiagnosticsPort();
  const process = createTerminalProcessPort();
  const review = new ReviewService({ root, log });
  const watchable = watchableProcessPort(process, () => vscode.workspace.getConfiguration('cairn').get<boolean>('runCommandsInTerminal', false));
  const ports: Partial<Ports> = { editor, diagnostics, process: watchable, diffReview: review };
  return {
    review,
    ports: () => ports,
    dispose: () => {
      review.dispose();
      process.dispose();
      diagnostics.dispose();
    },
  };
}

/** What registerHostPortHandlers needs from the ChatController. */
export interface ReviewControllerLike {
  addHandlers(handlers: {
    'review/openDiff'?: (p: RequestParams<'review/openDiff'>) => { ok: boolean } | Promise<{ ok: boolean }>;
  }): void;
  readonly decisions: { reviewSink(): ReviewSink };
}

/**
 * Connect the review to the chat: reviews become pending decisions of the controller (every webview sees them and
 * answers with decision/answer), and review/openDiff opens VS Code's diff editor. `webviewVisible` (optional) says
 * whether a chat webview is on screen; without it a connected controller counts as visible. Returns disposables
 * (disconnecting falls back to the diff editor and a notification).
 */
export function registerHostPortHandlers(controller: ReviewControllerLike, hostPorts: HostPorts, opts: { webviewVisible?: () => boolean } = {}): vscode.Disposable[] {
  const review = hostPorts.review;
  review.bind(controller.decisions.reviewSink(), opts.webviewVisible);
  controller.addHandlers({
    'review/openDiff': async (p) => ({ ok: await review.openDiff(p.id) }),
  });
  return [{ dispose: () => review.bind(undefined) }];
}
