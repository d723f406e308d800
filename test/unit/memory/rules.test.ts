import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandImports, loadRulesIn, NestedRules } from '../../../extension/core/memory/rules';
import { tempWs, type Ws } from './helpers';

let ws: Ws;
const extra: string[] = [];
afterEach(() => { ws?.cleanup(); for (const d of extra.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('rules files', () => {
  it('root AGENTS.md and CLAUDE.md enter the prelude, once per session (stable), refreshed for a new session', () => {
    ws = tempWs();
    writeFileSync(join(ws.root, 'AGENTS.md'), 'Always run npm test.\n');
    writeFileSync(join(ws.root, 'CLAUDE.md'), 'Use tabs.\n');
    const p1 = ws.memory.prelude()!;
    expect(p1).toMatch(/<rules path="AGENTS.md">\nAlways run npm test\./);
    expect(p1).toContain('<rules path="CLAUDE.md">\nUse tabs.');
    writeFileSync(join(ws.root, 'AGENTS.md'), 'Changed mid-session.\n');
    expect(ws.memory.prelude()).toBe(p1);
    ws.memory.resetSession();
    expect(ws.memory.prelude()).toContain('Changed mid-session.');
  });

  it('expands @imports up to 5 levels, cycle-safe, not inside code', () => {
    ws = tempWs();
    for (let i = 1; i <= 7; i++) writeFileSync(join(ws.root, `r${i}.md`), `level ${i}\n@r${i + 1}.md\n`);
    writeFileSync(join(ws.root, 'AGENTS.md'), 'top @r1.md\n`@r2.md` in code\n```\n@r3.md\n```\n@AGENTS.md\n');
    const [f] = loadRulesIn(ws.root, ws.root);
    for (let i = 1; i <= 5; i++) expect(f!.text).toContain(`level ${i}`);
    expect(f!.text).not.toContain('level 6');
    expect(f!.text).toContain('not loaded: imports nest more than 5 deep');
    expect(f!.problems.join()).toMatch(/more than 5 levels/);
    expect(f!.text.match(/<imported path="r1.md">/g)).toHaveLength(1);
  });

  it('never imports from outside the workspace (relative escape or symlink)', () => {
    ws = tempWs();
    const outside = mkdtempSync(join(tmpdir(), 'cairn-outside-'));
    extra.push(outside);
    writeFileSync(join(outside, 'secret.md'), 'OUTSIDE SECRET');
    symlinkSync(join(outside, 'secret.md'), join(ws.root, 'link.md'));
    const rel = join('..', outside.split('/').pop()!, 'secret.md');
    const text = expandImports(`@${rel}\n@link.md\n`, join(ws.root, 'AGENTS.md'), ws.root);
    expect(text).not.toContain('OUTSIDE SECRET');
    expect(text).toMatch(/not loaded: outside the workspace/);
  });

  it('nested rules are attached when the agent first touches a path in that folder, once per session', async () => {
    ws = tempWs();
    mkdirSync(join(ws.root, 'pkg', 'api', 'src'), { recursive: true });
    writeFileSync(join(ws.root, 'pkg', 'AGENTS.md'), 'pkg rule');
    writeFileSync(join(ws.root, 'pkg', 'api', 'CLAUDE.md'), 'api rule');
    writeFileSync(join(ws.root, 'pkg', 'api', 'src', 'a.ts'), 'x');
    const n1 = ws.memory.toolResultNote('pkg/api/src/a.ts')!;
    expect(n1).toMatch(/<rules path="pkg\/AGENTS.md">\npkg rule[\s\S]*<rules path="pkg\/api\/CLAUDE.md">\napi rule/);
    expect(ws.memory.toolResultNote(join(ws.root, 'pkg/api/src/a.ts'))).toBeUndefined();
    ws.memory.resetSession();
    expect(ws.memory.toolResultNote('pkg')).toContain('pkg rule');
    expect(new NestedRules(ws.root).noteFor('/etc/passwd')).toBeUndefined();
  });
});
