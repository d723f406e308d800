/**
 * The DiffReviewPort in the extension host: per-hunk review of a proposed edit.
 *
 * review(absPath, before, after) computes the hunks (diff's structuredPatch, 3 lines of context), keeps the review
 * pending, and emits `review/requested` to the webviews; it resolves when `review/answer` arrives (or withdraws
 * with `review/resolved {withdrawn}` when the tool call is aborted).
 *
 * VS Code's diff editor is offered too, never forced: it opens (preserveFocus) on `review/openDiff`, or by itself
 * only when no chat webview is visible; then a notification offers Apply / Reject as well. Left side: the original
 * text (read-only, scheme `<scheme>-original`); right side: the proposal on an in-memory, writable file system
 * (scheme `<scheme>`), so the user can edit the proposal in place.
 *
 * Editing the proposal (the sane rule): the proposal's current text replaces `after`. Every edit (debounced)
 * recomputes the hunks of before -> edited proposal and re-emits `review/requested` with the same id, so the card
 * always shows what would be written, and accepted hunk indices refer to those hunks. `apply` writes
 * before + the accepted hunks of before -> proposal; with all hunks accepted that is exactly the edited text.
 * If an edit lands after the card's last update (a race with the click), a full accept writes the newest text and a
 * partial accept applies the chosen hunks to the text the card showed.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DiffReviewPort } from '../../core/ports';
import type { ReviewRequest } from '../../protocol/review';
import type { ReviewSink } from '../decisions/service';
import type { Logger } from '../log';
import { applyHunks, computeHunks, type HunkRange } from './hunks';
import { diffTitle, proposalKey, proposalLocation } from './names';

export type ReviewDecision = 'applied' | 'partial' | 'rejected' | 'withdrawn';

export interface ReviewServiceOptions {
  root: string;
  log?: Logger;
  /** URI scheme of the editable proposal (default `cairn-proposed`); the original uses `<scheme>-original`. */
  scheme?: string;
  /** Debounce of re-emitting hunks while the user edits the proposal (ms, default 250). */
  editDebounceMs?: number;
}

export interface ReviewAnswer {
  id: string;
  decision: 'apply' | 'reject';
  acceptedHunks?: number[];
  reason?: string;
}

interface Pending {
  request: ReviewRequest;
  absPath: string;
  before: string;
  /** The proposal as the card last showed it (after, or the user's edit), and its hunk ranges. */
  shown: string;
  ranges: HunkRange[];
  proposedUri: vscode.Uri;
  originalUri: vscode.Uri;
  resolve(v: { text: string } | undefined): void;
  cleanup(): void;
  timer?: NodeJS.Timeout;
}

/** A flat in-memory file system for the proposals (one file per review). */
class ProposalFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number; ctime: number }>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  watch(): vscode.Disposable { return new vscode.Disposable(() => undefined); }
  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(proposalKey(uri));
    if (f) return { type: vscode.FileType.File, ctime: f.ctime, mtime: f.mtime, size: f.data.byteLength };
    if ([...this.files.keys()].some((k) => k.startsWith(uri.path.endsWith('/') ? uri.path : `${uri.path}/`)) || uri.path === '/') {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(): [string, vscode.FileType][] { return []; }
  createDirectory(): void { /* flat */ }
  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(proposalKey(uri));
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const prev = this.files.get(proposalKey(uri));
    const now = Date.now();
    this.files.set(proposalKey(uri), { data: content, mtime: Math.max(now, (prev?.mtime ?? 0) + 1), ctime: prev?.ctime ?? now });
    this.emitter.fire([{ type: prev ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }
  delete(uri: vscode.Uri): void {
    if (this.files.delete(proposalKey(uri))) this.emitter.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }
  rename(): void { throw vscode.FileSystemError.NoPermissions('proposals cannot be renamed'); }
  text(uri: vscode.Uri): string | undefined {
    const f = this.files.get(proposalKey(uri));
    return f ? Buffer.from(f.data).toString('utf8') : undefined;
  }
}

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

export class ReviewService implements DiffReviewPort, vscode.Disposable {
  private readonly pendingById = new Map<string, Pending>();
  private readonly originals = new Map<string, string>();
  private readonly fs = new ProposalFs();
  private readonly disposables: vscode.Disposable[] = [];
  private sink: ReviewSink | undefined;
  private webviewVisible: () => boolean = () => false;
  private seq = 0;
  readonly scheme: string;
  private readonly originalScheme: string;
  private readonly debounceMs: number;

  constructor(private readonly opts: ReviewServiceOptions) {
    this.scheme = opts.scheme ?? 'cairn-proposed';
    this.originalScheme = `${this.scheme}-original`;
    this.debounceMs = opts.editDebounceMs ?? 250;
    this.disposables.push(
      vscode.workspace.registerFileSystemProvider(this.scheme, this.fs, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(this.originalScheme, { provideTextDocumentContent: (uri) => this.originals.get(proposalKey(uri)) ?? '' }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === this.scheme && e.contentChanges.length) this.onProposalEdited(e.document.uri);
      }),
    );
  }

  /**
   * Connect to the chat: `sink` (the host's pending decisions) announces each review to every webview and routes
   * the user's answer back; `webviewVisible` says whether a chat webview is on screen (when it is not, a review
   * opens the diff editor and a notification by itself).
   */
  bind(sink: ReviewSink | undefined, webviewVisible?: () => boolean): void {
    this.sink = sink;
    this.webviewVisible = webviewVisible ?? (() => sink !== undefined);
  }

  /** Reviews waiting for the user, oldest first (for the controller's snapshot). */
  pending(): ReviewRequest[] {
    return [...this.pendingById.values()].map((p) => p.request);
  }

  review(absPath: string, before: string, after: string, signal: AbortSignal): Promise<{ text: string } | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    if (before === after) return Promise.resolve({ text: after });
    const id = `rv_${Date.now().toString(36)}_${(++this.seq).toString(36)}`;
    const rel = path.relative(this.opts.root, absPath);
    const relPath = (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absPath).split(path.sep).join('/');
    const where = proposalLocation(id, relPath);
    const proposedUri = vscode.Uri.from({ scheme: this.scheme, ...where });
    const originalUri = vscode.Uri.from({ scheme: this.originalScheme, ...where });
    this.fs.writeFile(proposedUri, enc(after));
    this.originals.set(proposalKey(originalUri), before);
    const { hunks, ranges } = computeHunks(before, after);
    // The port does not say which tool asked; a file that does not exist yet can only come from write_file.
    const isNew = before === '' && !existsSync(absPath);
    const request: ReviewRequest = { id, path: relPath, tool: isNew ? 'write_file' : 'edit_file', hunks, isNew };
    return new Promise((resolve) => {
      const onAbort = () => this.finish(id, undefined, 'withdrawn');
      const p: Pending = {
        request, absPath, before, shown: after, ranges, proposedUri, originalUri, resolve,
        cleanup: () => signal.removeEventListener('abort', onAbort),
      };
      this.pendingById.set(id, p);
      signal.addEventListener('abort', onAbort, { once: true });
      this.sink?.open(request, (a) => this.answer({ id, decision: a.decision, ...(a.acceptedHunks ? { acceptedHunks: a.acceptedHunks } : {}), ...(a.reason ? { reason: a.reason } : {}) }));
      if (!this.sink || !this.webviewVisible()) void this.offerWithoutWebview(id);
    });
  }

  /** The user's answer (decision/answer, or the notification). False when the review is unknown (already answered or withdrawn). */
  answer(a: ReviewAnswer): boolean {
    const p = this.pendingById.get(a.id);
    if (!p) return false;
    if (a.decision === 'reject') { this.finish(a.id, undefined, 'rejected'); return true; }
    if (p.timer) { clearTimeout(p.timer); p.timer = undefined; }
    const all = p.ranges.map((_, i) => i);
    const accepted = new Set((a.acceptedHunks ?? all).filter((i) => i >= 0 && i < p.ranges.length));
    const current = this.proposalText(p);
    let text: string;
    if (current !== p.shown && accepted.size === p.ranges.length) {
      // Edited after the card's last update, everything accepted: the newest text is what the user wants.
      text = current;
    } else {
      if (current !== p.shown) this.opts.log?.warn(`review ${a.id}: the proposal changed after the card was last updated; applying the chosen hunks to the version the card showed`);
      text = applyHunks(p.before, p.shown, p.ranges, accepted);
    }
    if (text === p.before) { this.finish(a.id, undefined, 'rejected'); return true; }
    this.finish(a.id, { text }, accepted.size === p.ranges.length ? 'applied' : 'partial');
    return true;
  }

  /** Open the review in VS Code's diff editor (original vs. the editable proposal), without taking focus. */
  async openDiff(id: string, preserveFocus = true): Promise<boolean> {
    const p = this.pendingById.get(id);
    if (!p) return false;
    const title = diffTitle(p.request.path, p.request.isNew);
    try {
      await vscode.commands.executeCommand('vscode.diff', p.originalUri, p.proposedUri, title, { preserveFocus, preview: false } satisfies vscode.TextDocumentShowOptions);
      return true;
    } catch (err) {
      this.opts.log?.error(`could not open the diff for ${p.request.path}`, err);
      return false;
    }
  }

  /** The proposal's current text (the open buffer when the user is editing it). */
  proposalText(p: Pending | string): string {
    const pend = typeof p === 'string' ? this.pendingById.get(p) : p;
    if (!pend) return '';
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pend.proposedUri.toString());
    return doc ? doc.getText() : this.fs.text(pend.proposedUri) ?? pend.shown;
  }

  /** The proposal document's URI (tests edit it to simulate the user). */
  proposalUri(id: string): vscode.Uri | undefined {
    return this.pendingById.get(id)?.proposedUri;
  }

  private onProposalEdited(uri: vscode.Uri): void {
    const p = [...this.pendingById.values()].find((x) => x.proposedUri.toString() === uri.toString());
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (!this.pendingById.has(p.request.id)) return;
      const text = this.proposalText(p);
      if (text === p.shown) return;
      const { hunks, ranges } = computeHunks(p.before, text);
      p.shown = text;
      p.ranges = ranges;
      p.request = { ...p.request, hunks };
      this.sink?.update(p.request);
    }, this.debounceMs);
  }

  /** No chat on screen: show the diff and let a notification answer (apply = the whole current proposal). */
  private async offerWithoutWebview(id: string): Promise<void> {
    await this.openDiff(id);
    const p = this.pendingById.get(id);
    if (!p) return;
    const choice = await vscode.window.showInformationMessage(`Cairn wants to ${p.request.isNew ? 'create' : 'edit'} ${p.request.path}. Edit the proposal in the diff editor if you like, then apply it.`, 'Apply', 'Reject');
    if (!this.pendingById.has(id)) return;
    if (choice === 'Apply') {
      if (p.timer) clearTimeout(p.timer);
      p.timer = undefined;
      const text = this.proposalText(p);
      const { ranges } = computeHunks(p.before, text);
      p.shown = text;
      p.ranges = ranges;
      this.answer({ id, decision: 'apply' });
    } else if (choice === 'Reject') {
      this.answer({ id, decision: 'reject' });
    }
  }

  private finish(id: string, result: { text: string } | undefined, decision: ReviewDecision): void {
    const p = this.pendingById.get(id);
    if (!p) return;
    this.pendingById.delete(id);
    if (p.timer) clearTimeout(p.timer);
    p.cleanup();
    p.resolve(result);
    this.sink?.close(id, decision);
    void this.closeDiff(p);
  }

  /** Close the diff tabs of a finished review without a save prompt (the proposal lives in memory only). */
  private async closeDiff(p: Pending): Promise<void> {
    const key = p.proposedUri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    try {
      if (doc?.isDirty) await doc.save();
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
        const inp = t.input;
        if (inp instanceof vscode.TabInputTextDiff) return inp.modified.toString() === key;
        if (inp instanceof vscode.TabInputText) return inp.uri.toString() === key;
        return false;
      });
      if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
    } catch (err) {
      this.opts.log?.warn(`could not close the diff of ${p.request.path}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.fs.delete(p.proposedUri);
      this.originals.delete(proposalKey(p.originalUri));
    }
  }

  dispose(): void {
    for (const id of [...this.pendingById.keys()]) this.finish(id, undefined, 'withdrawn');
    for (const d of this.disposables) d.dispose();
  }
}
