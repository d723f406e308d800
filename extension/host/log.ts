/** The "Cairn" output channel. Everything logged passes through redaction first: no key ever reaches a log. */
import * as vscode from 'vscode';
import { redact } from '../core/util/redact';

export { redact };

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export function createLogger(channel: vscode.LogOutputChannel): Logger {
  const fmt = (err: unknown) => (err instanceof Error ? `${err.message}${err.stack ? `\n${err.stack}` : ''}` : err === undefined ? '' : String(err));
  return {
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m, err) => channel.error(redact(err === undefined ? m : `${m}: ${fmt(err)}`)),
  };
}
