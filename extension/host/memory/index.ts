/** Memory in .agent: tools, the index in the prompt, and the memory view's requests (issue 6). */
import type * as vscode from 'vscode';
import { createMemory, memoryContribution, type Memory, type MemoryChange, type PendingWrite } from '../../core/memory';
import { checkIndex, INDEX_MAX_BYTES, INDEX_MAX_LINES } from '../../core/memory/format';
import type { MemoryIndexInfo, MemoryPending } from '../../protocol/memory';
import type { ChatController } from '../chat/controller';
import type { RuntimeContribution } from '../features';
import type { Logger } from '../log';

export interface MemoryFeature extends RuntimeContribution, vscode.Disposable {
  /** Rules files of the folders a call that read or wrote `path` touched, new to this session (appended to its result). */
  toolResultNote(path: string): string | undefined;
  readonly memory: Memory;
}

const features = new WeakMap<object, MemoryFeature>();

export function createMemoryFeature(_context: vscode.ExtensionContext, log: Logger, ws: { root: string; agentDir: string; trusted: () => boolean; rgPath?: string }): RuntimeContribution & vscode.Disposable {
  // Transcript search finds its candidate lines with VS Code's own ripgrep (the byte scan when there is none).
  const memory = createMemory({ agentDir: ws.agentDir, workspaceRoot: ws.root, search: { rgPath: ws.rgPath ?? null } });
  const feature: MemoryFeature = {
    memory,
    ...memoryContribution(memory),
    toolResultNote: (path) => memory.toolResultNote(path),
    onSessionClosed: () => memory.resetSession(),
    dispose: () => { memory.dispose(); },
  };
  memory.onProblems((ps) => { for (const p of ps) log.warn(`memory: ${p}`); });
  features.set(feature, feature);
  return feature;
}

/** The memory behind a feature made by createMemoryFeature (for the extension-host tests). */
export function memoryOf(feature: RuntimeContribution): Memory | undefined {
  return features.get(feature)?.memory;
}

export function indexInfo(memory: Memory): MemoryIndexInfo {
  const text = memory.store.readIndex();
  const c = checkIndex(text);
  return { text, lines: c.lines, bytes: c.bytes, maxLines: INDEX_MAX_LINES, maxBytes: INDEX_MAX_BYTES, ...(c.error ? { error: c.error } : {}) };
}

export function pendingInfo(p: PendingWrite): MemoryPending {
  const r = p.request;
  return { id: p.id, ts: p.ts, why: p.why, slug: r.slug, name: r.name, description: r.description, type: r.type, hook: r.hook, content: r.body.slice(0, 8_000), actor: r.provenance.actor, ...(r.provenance.sessionId ? { sessionId: r.provenance.sessionId } : {}) };
}

/** What the user is told in the chat about an agent's memory change (corrections and deletions are never silent). */
export function noticeFor(c: MemoryChange): { level: 'info' | 'warning'; message: string } | undefined {
  const e = c.entry;
  if (e.actor !== 'agent') return undefined;
  const why = e.reason ? ` (${e.reason})` : '';
  switch (e.op) {
    case 'write': return { level: 'info', message: `Cairn saved a memory: ${e.slug}.` };
    case 'update': return { level: 'info', message: `Cairn updated the memory "${e.slug}"${why}.` };
    case 'delete': return { level: 'info', message: `Cairn deleted the memory "${e.slug}"${why}.` };
    case 'held': return { level: 'warning', message: `A memory write ("${e.slug}") is waiting for your review in the memory view: this task read untrusted content.` };
    default: return undefined;
  }
}

/** Registers the memory view's request handlers once the controller exists. */
export function registerMemoryHandlers(controller: ChatController, feature: RuntimeContribution): vscode.Disposable[] {
  const f = features.get(feature);
  if (!f) return [];
  const { memory } = f;
  const store = memory.store;
  controller.addHandlers({
    'memory/list': () => ({ index: indexInfo(memory), topics: store.listTopics(), pending: store.listPending().map(pendingInfo), log: store.readLog(200) }),
    'memory/read': ({ slug }) => ({ slug, text: store.readRaw(slug) ?? null }),
    'memory/save': async ({ slug, text }) => {
      const r = await store.saveRaw(slug, text);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
    'memory/delete': async ({ slug }) => {
      const r = await store.delete(slug, { actor: 'user' }, 'deleted in the memory view');
      return r.ok ? { ok: r.existed, ...(r.existed ? {} : { error: 'No such memory.' }) } : { ok: false, error: r.error };
    },
    'memory/approve': async ({ id }) => {
      const r = await store.approve(id);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
    'memory/discard': async ({ id }) => ({ ok: await store.discard(id) }),
  });
  const offChange = store.onChange((c) => {
    controller.emit('memory/changed', { entry: c.entry, topic: c.topic, ...(c.pending ? { pending: pendingInfo(c.pending) } : {}), ...(c.pendingRemoved ? { pendingRemoved: c.pendingRemoved } : {}), index: indexInfo(memory) });
    const n = noticeFor(c);
    if (n) controller.emit('session/notice', n);
  });
  const offProblems = memory.onProblems((ps) => { for (const p of ps) controller.emit('session/notice', { level: 'warning', message: `Memory: ${p}` }); });
  return [{ dispose: () => { offChange(); offProblems(); } }];
}
