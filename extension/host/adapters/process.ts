/**
 * ProcessPort for the extension host. Hidden runs go straight to the core's Node port. A `visible` run opens a
 * VS Code terminal backed by a Pseudoterminal: the extension spawns the process itself (through the same Node
 * port, so timeouts, aborts and process-group kills behave exactly as in hidden runs) and mirrors its output into
 * the terminal, so the user watches it live while the tool still captures everything. Ctrl+C in the terminal or
 * closing it kills the process. The terminal never takes focus (`show(true)`).
 */
import * as vscode from 'vscode';
import { createNodeProcessPort } from '../../core/tools/node-process';
import type { ProcessPort, ProcessRequest, ProcessResult } from '../../core/ports';

/** Terminals want CRLF; a lone LF would only move down a line. */
const toTerminal = (s: string) => s.replace(/\r?\n/g, '\r\n');

export interface TerminalProcessOptions {
  /** Used for the actual spawn (default: the core's Node port). */
  inner?: ProcessPort;
  /** Keep the terminal open after the process ends (default true: the user may want to read it). */
  keepOpen?: boolean;
}

export function createTerminalProcessPort(opts: TerminalProcessOptions = {}): ProcessPort & vscode.Disposable {
  const inner = opts.inner ?? createNodeProcessPort();
  const terminals = new Set<vscode.Terminal>();
  const closed = vscode.window.onDidCloseTerminal((t) => terminals.delete(t));

  async function runVisible(req: ProcessRequest): Promise<ProcessResult> {
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number | void>();
    const ctl = new AbortController();
    const onOuterAbort = () => ctl.abort();
    if (req.signal.aborted) ctl.abort(); else req.signal.addEventListener('abort', onOuterAbort, { once: true });
    let finished = false;
    let opened!: () => void;
    const ready = new Promise<void>((r) => { opened = r; });
    const label = req.command ?? (req.argv ?? []).join(' ');
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => opened(),
      close: () => { if (!finished) ctl.abort(); },
      handleInput: (data) => { if (data === '\x03' && !finished) { write.fire('^C\r\n'); ctl.abort(); } },
    };
    const term = vscode.window.createTerminal({ name: `Cairn: ${label.slice(0, 40)}${label.length > 40 ? '…' : ''}`, pty, isTransient: true });
    terminals.add(term);
    term.show(true);
    // Output produced before the terminal opened is buffered, not lost (and a terminal that never opens, e.g.
    // in a host without a terminal UI, does not hold the run up for more than a moment).
    const early: string[] = [];
    let isOpen = false;
    void Promise.race([ready, new Promise((r) => setTimeout(r, 2000))]).then(() => {
      isOpen = true;
      write.fire(`\x1b[2m$ ${toTerminal(label)}\x1b[0m\r\n`);
      for (const c of early.splice(0)) write.fire(toTerminal(c));
    });
    const show = (c: string) => { if (isOpen) write.fire(toTerminal(c)); else early.push(c); };
    try {
      const res = await inner.run({ ...req, visible: false, signal: ctl.signal, onOutput: (c) => { show(c); req.onOutput?.(c); } });
      finished = true;
      const tail = res.timedOut ? 'timed out' : res.aborted ? 'stopped' : res.signal ? `killed by ${res.signal}` : `exit code ${res.exitCode}`;
      show(`\r\n\x1b[2m[${tail}]\x1b[0m\r\n`);
      return res;
    } finally {
      finished = true;
      req.signal.removeEventListener('abort', onOuterAbort);
      if (opts.keepOpen === false) { close.fire(); terminals.delete(term); term.dispose(); }
    }
  }

  return {
    run(req: ProcessRequest): Promise<ProcessResult> {
      return req.visible ? runVisible(req) : inner.run(req);
    },
    dispose() {
      for (const t of terminals) t.dispose();
      terminals.clear();
      closed.dispose();
    },
  };
}
