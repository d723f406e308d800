/**
 * A full disk (ENOSPC): the transcript never holds a torn line, and the error names the step that was not saved
 * and what the transcript keeps; memory files keep their previous version and no temp file is left.
 * A disk that fills up part way through a write cannot be made on demand in a test, so the write calls are
 * replaced by ones that accept half a buffer and then fail with ENOSPC (everything else, truncation included,
 * is real); /dev/full (Linux) gives a real ENOSPC.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseTranscript, TranscriptWriteError, TranscriptWriter } from '../../../extension/core/session/transcript';
import type { TranscriptEntry } from '../../../extension/core/session/entries';
import { nodeDisk, type DiskIo } from '../../../extension/core/util/disk';
import * as disk from '../../../extension/core/util/disk';
import { writeFileAtomic } from '../../../extension/core/memory/fsx';
import { harness } from '../agent/harness';

let dir: string;
beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-diskfull-'))); });
afterEach(() => { vi.restoreAllMocks(); fs.rmSync(dir, { recursive: true, force: true }); });

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** A disk that is full while `full` is set: a write then lands half its bytes and fails. */
function fillingDisk(): DiskIo & { full: boolean } {
  const d = {
    full: false,
    fstatSync: nodeDisk.fstatSync,
    ftruncateSync: nodeDisk.ftruncateSync,
    writeSync(fd: number, buf: Buffer, off: number, len: number): number {
      if (!d.full) return nodeDisk.writeSync(fd, buf, off, len);
      const half = Math.max(1, Math.floor(len / 2));
      nodeDisk.writeSync(fd, buf, off, half);
      d.full = false; // the next attempt at the same write fails outright
      throw enospc();
    },
  };
  return d;
}

const result = (id: string, content: string): TranscriptEntry => ({ t: 'tool_result', ts: 1, toolUseId: id, content, isError: false, status: 'done', durationMs: 1 });

describe('the transcript on a full disk', () => {
  it('drops the torn half of a line, says which step was not saved and what is kept, and goes on when space is back', () => {
    const io = fillingDisk();
    const file = path.join(dir, 's.jsonl');
    const w = new TranscriptWriter(file, false, io);
    w.append({ t: 'meta', v: 1, id: 's', createdAt: 1, model: 'm' });
    w.append(result('toolu_1', 'first'));
    const kept = fs.statSync(file).size;
    io.full = true;
    let err: unknown;
    try { w.append(result('toolu_2', 'x'.repeat(5000))); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TranscriptWriteError);
    expect((err as Error).message).toBe(`Could not save the result of tool call toolu_2 to the transcript ${file}: the disk is full. The transcript keeps every earlier step (${kept} bytes, ending on a whole line; nothing of this step). Free some disk space: the next step is saved normally again.`);
    expect(fs.statSync(file).size).toBe(kept);
    w.append(result('toolu_3', 'after'));
    w.close();
    const parsed = parseTranscript(fs.readFileSync(file));
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => (e.t === 'tool_result' ? e.toolUseId : e.t))).toEqual(['meta', 'toolu_1', 'toolu_3']);
  });

  it('a transcript that cannot be created leaves neither a file nor a temp file', () => {
    const io = fillingDisk();
    io.full = true;
    const file = path.join(dir, 'new.jsonl');
    const w = new TranscriptWriter(file, true, io);
    expect(() => w.append({ t: 'msg', ts: 1, role: 'user', content: [{ type: 'text', text: 'hello' }] })).toThrow(/^Could not save your message to the transcript .*: the disk is full\. The transcript keeps nothing yet: the transcript was not created \(no partial file is left\)\./);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it.runIf(fs.existsSync('/dev/full'))('a real ENOSPC (/dev/full) gives the same clear error', () => {
    const file = path.join(dir, 'full.jsonl');
    fs.symlinkSync('/dev/full', file);
    const w = new TranscriptWriter(file);
    expect(() => w.append(result('toolu_9', 'x'))).toThrow(/Could not save the result of tool call toolu_9 .*: the disk is full\./);
    w.close();
  });
});

describe('memory files on a full disk', () => {
  it('keep their previous version, leave no temp file, and say so', () => {
    const file = path.join(dir, 'MEMORY.md');
    writeFileAtomic(file, 'old index\n');
    vi.spyOn(disk, 'createWhole').mockImplementation(() => { throw enospc(); });
    expect(() => writeFileAtomic(file, 'new index\n')).toThrow(`Could not write ${file}: the disk is full. Its previous version is kept unchanged (no partial file is left).`);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('old index\n');
    expect(fs.readdirSync(dir)).toEqual(['MEMORY.md']);
  });
  it('a temp file that fills the disk part way is removed', () => {
    const io = fillingDisk();
    io.full = true;
    const file = path.join(dir, 'topic.md');
    expect(() => disk.createWhole(file, Buffer.from('x'.repeat(10_000)), { io })).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('a session whose disk fills up', () => {
  it('stops the turn with the error that says what was not saved and what was kept; the transcript has no torn line', async () => {
    const h = await harness({ scenario: [{ text: 'hello back' }, { text: 'second' }] });
    try {
      const rt = h.runtime();
      rt.submit('hello');
      expect(await rt.idle()).toBe('completed');
      const real = disk.appendWhole;
      let n = 0;
      vi.spyOn(disk, 'appendWhole').mockImplementation((fd, buf, io) => { if (++n === 2) throw enospc(); return real(fd, buf, io); });
      rt.submit('again');
      expect(await rt.idle()).toBe('error');
      expect(rt.snapshot().lastError?.message).toMatch(/^Could not save the assistant's reply to the transcript .*\.jsonl: the disk is full\. The transcript keeps every earlier step \(\d+ bytes, ending on a whole line; nothing of this step\)\./);
      const sessions = path.join(h.agentDir, 'sessions');
      for (const f of fs.readdirSync(sessions).filter((x) => x.endsWith('.jsonl'))) expect(parseTranscript(fs.readFileSync(path.join(sessions, f))).problems).toEqual([]);
    } finally {
      vi.restoreAllMocks();
      await h.close();
    }
  });
});
