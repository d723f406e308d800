// The plan file format: canonical files round-trip byte for byte, a person's edits survive, malformed input is
// reported with its line and what to write instead.
import { describe, expect, it } from 'vitest';
import { rng } from '../compaction/random';
import { parsePlan, planFiles, PlanFormatError, progressOf, serializePlan, slugify, type Plan } from '../../../extension/core/planner/format';

const base: Plan = {
  title: 'Add input validation',
  status: 'open',
  mode: 'plan',
  created: '2026-12-02T13:00:00.000Z',
  session: 's-1',
  summary: 'Validate the signup form with a schema.\n\nTwo files change.',
  steps: [
    { text: 'Add the schema', files: ['src/schema.ts'], state: 'todo' },
    { text: 'Use it in the form', files: ['src/form.ts', 'src/schema.ts'], state: 'in_progress' },
    { text: 'Run the tests', files: [], state: 'done' },
    { text: 'Update docs', files: ['README.md'], state: 'skipped', details: 'Note: docs already cover it' },
  ],
  risks: ['Existing forms may reject data they accepted before'],
  verification: 'npm test, then submit the form by hand.',
};

describe('plan format', () => {
  it('serializes to the documented Markdown and parses back to the same plan', () => {
    const text = serializePlan(base);
    expect(text).toContain('---\ntitle: Add input validation\nstatus: open\nmode: plan\ncreated: 2026-12-02T13:00:00.000Z\nsession: s-1\n---');
    expect(text).toContain('## Steps\n\n- [ ] Add the schema\n  Files: src/schema.ts\n- [~] Use it in the form\n  Files: src/form.ts, src/schema.ts\n- [x] Run the tests\n- [-] Update docs\n  Files: README.md\n  Note: docs already cover it\n');
    expect(parsePlan(text)).toEqual(base);
    expect(serializePlan(parsePlan(text))).toBe(text);
  });

  it('keeps a person\'s edits: a new step, reworded text, extra lines, keys and sections of their own', () => {
    const edited = serializePlan(base)
      .replace('- [ ] Add the schema', '- [ ] Add the zod schema\n  Keep it next to the form.\n- [ ] A step I added')
      .replace('session: s-1', 'session: s-1\nowner: dana')
      .concat('\n## Questions\n\nShould errors be translated?\n');
    const p = parsePlan(edited);
    expect(p.steps.map((s) => s.text)).toEqual(['Add the zod schema', 'A step I added', 'Use it in the form', 'Run the tests', 'Update docs']);
    expect(p.steps[0]!.files).toEqual([]);
    expect(p.steps[1]!.files).toEqual(['src/schema.ts']);
    expect(p.steps[0]!.details).toBe('Keep it next to the form.');
    expect(p.extraMeta).toEqual([['owner', 'dana']]);
    expect(p.extraSections).toEqual([{ heading: 'Questions', body: 'Should errors be translated?' }]);
    // Re-serialized and parsed again: nothing the person wrote is lost.
    expect(parsePlan(serializePlan(p))).toEqual(p);
    expect(serializePlan(p)).toContain('owner: dana');
    expect(serializePlan(p)).toContain('## Questions\n\nShould errors be translated?');
  });

  it('accepts numbered checklists, [X] and CRLF line ends', () => {
    const text = serializePlan(base).replace('- [x] Run the tests', '3. [X] Run the tests').replace(/\n/g, '\r\n');
    expect(parsePlan(text).steps[2]).toEqual({ text: 'Run the tests', files: [], state: 'done' });
  });

  const bad: Array<[string, (t: string) => string, RegExp]> = [
    ['no front matter', (t) => t.replace(/^---\n/, ''), /line 1: a plan file starts with front matter/],
    ['unclosed front matter', (t) => t.replace('---\n\n## Summary', '\n## Summary'), /front matter is not closed/],
    ['no title', (t) => t.replace('title: Add input validation\n', ''), /no title/],
    ['unknown status', (t) => t.replace('status: open', 'status: maybe'), /status must be one of open, approved, done, abandoned \(found "maybe"\)/],
    ['unknown step state', (t) => t.replace('- [ ] Add the schema', '- [?] Add the schema'), /line \d+: "\[\?\]" is not a step state/],
    ['stray line in steps', (t) => t.replace('- [x] Run the tests', 'Run the tests'), /"Run the tests" is not a step: steps are "- \[ \] text" lines/],
    ['no steps section', (t) => t.replace('## Steps', '## Stuff'), /no "## Steps" section/],
    ['empty steps', (t) => t.replace(/## Steps\n\n[\s\S]*?\n\n## Risks/, '## Steps\n\n## Risks'), /has no steps/],
    ['duplicate key', (t) => t.replace('mode: plan', 'mode: plan\nmode: ask'), /"mode" is given twice/],
  ];
  for (const [name, edit, msg] of bad) {
    it(`reports ${name} clearly`, () => {
      const text = edit(serializePlan(base));
      let err: unknown;
      try { parsePlan(text); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(PlanFormatError);
      expect((err as Error).message).toMatch(msg);
    });
  }

  it('property: 400 random plans (odd characters, empty parts, every state) round-trip', () => {
    const chars = ['a', 'Z', '7', ' ', '-', '[', ']', ':', '#', '`', 'é', '\u200b', '\t', '\n', '*', ',', '/', '.', '|'];
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
      const line = (): string => {
        let s = '';
        for (let i = 0, n = 1 + Math.floor(r() * 30); i < n; i++) s += pick(chars);
        // eslint-disable-next-line no-control-regex
        s = s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/^[\s#]+/, '').replace(/\s+/g, ' ').trim();
        return s || 'x';
      };
      const block = () => Array.from({ length: Math.floor(r() * 3) }, line).join('\n');
      const file = () => `src/${line().replace(/[^a-z0-9]/gi, '') || 'f'}.ts`;
      const p: Plan = {
        title: line(), status: pick(['open', 'approved', 'done', 'abandoned'] as const), mode: pick(['plan', 'ask', 'accept-edits']),
        created: '2026-01-01T00:00:00.000Z', summary: block(),
        steps: Array.from({ length: 1 + Math.floor(r() * 6) }, () => ({ text: line(), files: Array.from({ length: Math.floor(r() * 3) }, file), state: pick(['todo', 'in_progress', 'done', 'skipped'] as const) })),
        risks: Array.from({ length: Math.floor(r() * 3) }, line), verification: block(),
      };
      const text = serializePlan(p);
      const back = parsePlan(text);
      expect(back, `seed ${seed}`).toEqual(p);
      expect(serializePlan(back)).toBe(text);
    }
  });

  it('slugs, named files and progress', () => {
    expect(slugify('Fix: the Parser (v2)!')).toBe('fix-the-parser-v2');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('???')).toBe('plan');
    expect(planFiles(base)).toEqual(['src/schema.ts', 'src/form.ts', 'README.md']);
    expect(progressOf(base)).toEqual({ done: 1, skipped: 1, total: 4, current: 1 });
  });
});
