/**
 * Checkpoints: before a turn first changes a file, its bytes (or the fact that it did not exist) are saved under
 * `.agent/sessions/<id>/checkpoints/<turn>/`. "Undo this turn" restores them. A restore never deletes a file the
 * agent did not create, never follows a symlink (a link found at a path is replaced by the saved regular file,
 * leaf writes use O_NOFOLLOW), and never writes outside the workspace.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { canonicalPath, isWithin, toRel } from '../permissions/containment';

interface Entry { rel: string; existed: boolean; blob?: string; mode?: number; sha256?: string }
interface Manifest { turn: number; entries: Entry[] }

export interface RestoreReport { restored: string[]; deleted: string[]; skipped: Array<{ path: string; reason: string }> }

export interface CheckpointStore {
  /** Save `absPath` for `turn` (once per turn per file; later calls for the same file are no-ops). */
  snapshot(turn: number, absPath: string): Promise<void>;
  /** Restore the files saved for `turn` to their state before the turn. */
  undo(turn: number): Promise<RestoreReport>;
  turns(): Promise<number[]>;
  /** Files saved for a turn (workspace-relative). */
  files(turn: number): Promise<string[]>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function createCheckpointStore(o: { workspaceRoot: string; sessionId: string }): CheckpointStore {
  const root = canonicalPath(o.workspaceRoot);
  if (!/^[\w.-]+$/.test(o.sessionId)) throw new Error('invalid session id');
  const base = path.join(root, '.agent', 'sessions', o.sessionId, 'checkpoints');
  const manifests = new Map<number, Manifest>();
  const dirOf = (turn: number) => path.join(base, String(turn));
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => { const p = queue.then(fn, fn); queue = p.catch(() => undefined); return p; };

  async function load(turn: number): Promise<Manifest> {
    let m = manifests.get(turn);
    if (m) return m;
    try { m = JSON.parse(await fsp.readFile(path.join(dirOf(turn), 'manifest.json'), 'utf8')) as Manifest; } catch { m = { turn, entries: [] }; }
    manifests.set(turn, m);
    return m;
  }
  async function save(m: Manifest): Promise<void> {
    const dir = dirOf(m.turn);
    await fsp.mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.manifest.${randomBytes(4).toString('hex')}.tmp`);
    await fsp.writeFile(tmp, JSON.stringify(m, null, 1), { flag: 'wx' });
    await fsp.rename(tmp, path.join(dir, 'manifest.json'));
  }
  /** The canonical path of `rel`'s folder, if it is inside the workspace. */
  function safeParent(rel: string): string | undefined {
    const abs = path.join(root, rel);
    const parent = canonicalPath(path.dirname(abs));
    return isWithin(root, parent) ? parent : undefined;
  }

  return {
    snapshot: (turn, absPath) => serial(async () => {
      const real = path.join(canonicalPath(path.dirname(path.resolve(absPath))), path.basename(absPath));
      if (!isWithin(root, real)) throw new Error(`${absPath} is outside the workspace; not checkpointed`);
      const rel = toRel(root, real);
      const m = await load(turn);
      if (m.entries.some((e) => e.rel === rel)) return;
      let st: fs.Stats | undefined;
      try { st = await fsp.lstat(real); } catch { /* new file */ }
      if (!st) { m.entries.push({ rel, existed: false }); await save(m); return; }
      if (!st.isFile()) throw new Error(`${rel} is not a regular file (a link or folder); not checkpointed`);
      const buf = await fsp.readFile(real);
      const blob = `${m.entries.length}.bin`;
      await fsp.mkdir(dirOf(turn), { recursive: true });
      await fsp.writeFile(path.join(dirOf(turn), blob), buf, { flag: 'wx' });
      m.entries.push({ rel, existed: true, blob, mode: st.mode & 0o7777, sha256: sha(buf) });
      await save(m);
    }),

    undo: (turn) => serial(async () => {
      const m = await load(turn);
      const report: RestoreReport = { restored: [], deleted: [], skipped: [] };
      for (const e of [...m.entries].reverse()) {
        const parent = safeParent(e.rel);
        if (!parent) { report.skipped.push({ path: e.rel, reason: 'its folder now resolves outside the workspace' }); continue; }
        const target = path.join(parent, path.basename(e.rel));
        let st: fs.Stats | undefined;
        try { st = await fsp.lstat(target); } catch { /* gone */ }
        if (!e.existed) {
          // The agent created it: remove it (a link is removed itself, never followed; folders are left alone).
          if (st && (st.isFile() || st.isSymbolicLink())) { await fsp.unlink(target); report.deleted.push(e.rel); }
          continue;
        }
        const buf = await fsp.readFile(path.join(dirOf(turn), e.blob ?? ''));
        if (e.sha256 && sha(buf) !== e.sha256) { report.skipped.push({ path: e.rel, reason: 'the saved copy is damaged' }); continue; }
        if (st?.isDirectory()) { report.skipped.push({ path: e.rel, reason: 'a folder is there now' }); continue; }
        if (st?.isSymbolicLink()) await fsp.unlink(target);
        const tmp = path.join(parent, `.${path.basename(e.rel)}.${randomBytes(4).toString('hex')}.restore`);
        const fh = await fsp.open(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), e.mode ?? 0o644);
        try { await fh.writeFile(buf); } finally { await fh.close(); }
        await fsp.rename(tmp, target);
        report.restored.push(e.rel);
      }
      manifests.delete(turn);
      await fsp.rm(dirOf(turn), { recursive: true, force: true });
      return report;
    }),

    async turns() {
      try { return (await fsp.readdir(base)).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b); } catch { return []; }
    },
    async files(turn) { return (await load(turn)).entries.map((e) => e.rel); },
  };
}
