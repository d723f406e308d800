// Helpers shared by the extension-host suites (bundled into each suite file; not a test file itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CairnApi } from '../../../extension/host/activate';
import type { ChatMessage } from '../../../extension/protocol/model';

export const EXT_ID = 'cairn-dev.cairn';

/** A promise that must settle within `ms`, or fails naming what did not. */
export function withTimeout<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms}ms`)), ms); }),
  ]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns something truthy, or fail after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The text blocks of a chat message, joined. */
export const textOf = (m: ChatMessage) => m.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');

/** Activate Cairn in this extension host and return its test API (present in development and test runs). */
export async function cairnTestApi(): Promise<NonNullable<CairnApi['test']>> {
  const ext = vscode.extensions.getExtension<CairnApi>(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api.test, 'activate() returned no test API');
  return api.test;
}
