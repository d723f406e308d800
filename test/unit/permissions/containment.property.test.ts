/**
 * Property: 10,000 random paths over random symlink layouts (real temp dirs, real links: inside->inside,
 * inside->outside, relative and absolute, chains, dangling, loops). Whenever containment says "inside", a real
 * write through the tools' writer lands inside the workspace, and the outside folder is never modified: 0 escapes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contain, isWithin } from '../../../extension/core/permissions/containment';
import { atomicWrite } from '../../../extension/core/tools/fsutil';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-contain-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }), 120_000);

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) out.push(`${p} -> ${fs.readlinkSync(p)}`);
      else if (e.isDirectory()) { out.push(p + '/'); walk(p); } else out.push(`${p} ${fs.readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.sort();
}

describe('path containment property', () => {
  it('10,000 random paths over 20 symlink layouts: 0 escapes', async () => {
    const r = rng(42);
    const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)] as T;
    let checked = 0;
    let inside = 0;
    let escapes = 0;
    for (let layout = 0; layout < 20; layout++) {
      const base = path.join(tmp, `l${layout}`);
      const ws = path.join(base, 'ws');
      const out = path.join(base, 'out');
      const sib = path.join(base, 'ws_evil');
      for (const d of [ws, out, sib]) fs.mkdirSync(d, { recursive: true });
      const dirs = ['', 'a', 'a/b', 'c', 'a/b/d'];
      for (const d of dirs) fs.mkdirSync(path.join(ws, d), { recursive: true });
      fs.mkdirSync(path.join(out, 'x'), { recursive: true });
      fs.writeFileSync(path.join(out, 'secret.txt'), 'outside');
      const names: string[] = ['a', 'b', 'c', 'd', 'f.txt', 'x', 'secret.txt', 'ws', 'ws_evil', 'out'];
      const targets = () => pick([
        path.join(out), path.join(out, 'x'), path.join(out, 'secret.txt'), path.join(out, 'missing', 'deep'), sib, '/', base,
        '..', '../..', '../../out', '../out/x', 'a', 'b', './d', 'f.txt', 'nowhere', path.join(ws, 'a'), path.join(ws, 'c'), `l${Math.floor(r() * 6)}`,
      ]);
      for (let i = 0; i < 8; i++) {
        const name = `l${i}`;
        names.push(name);
        try { fs.symlinkSync(targets(), path.join(ws, pick(dirs), name)); } catch { /* exists */ }
      }
      const before = snapshot(out).concat(snapshot(sib));
      for (let k = 0; k < 500; k++) {
        const n = 1 + Math.floor(r() * 5);
        const segs = Array.from({ length: n }, () => pick([...names, '..', '.', '..', ...names]));
        const prefix = pick(['', '', '', './', '/', `${ws}/`, `${out}/`, `${sib}/`, '~/', '../ws/']);
        const p = prefix + segs.join('/') + (r() < 0.2 ? '/new.txt' : r() < 0.5 ? '.txt' : '');
        checked++;
        let c;
        try { c = contain([ws], p, undefined, out); } catch { continue; }
        if (!c.inside) continue;
        inside++;
        try {
          await atomicWrite(c.real, `w${k}`, [ws]);
        } catch { continue; }
        const landed = fs.realpathSync(c.real);
        if (!isWithin(fs.realpathSync(ws), landed)) escapes++;
      }
      const after = snapshot(out).concat(snapshot(sib));
      expect(after, `layout ${layout}: outside folders were modified`).toEqual(before);
    }
    expect(checked).toBe(10_000);
    expect(inside).toBeGreaterThan(1000);
    expect(escapes).toBe(0);
  }, 120_000);
});
