// The diff editor names a proposal by its file, never by the review's internal id (issue 12).
import { describe, expect, it } from 'vitest';
import { diffTitle, proposalKey, proposalLocation } from '../../../extension/host/review/names';

describe('proposal names', () => {
  it('the title is the file name and "Cairn proposed edit"', () => {
    expect(diffTitle('src/deep/parser.ts', false)).toBe('parser.ts ↔ Cairn proposed edit');
    expect(diffTitle('notes.md', true)).toBe('notes.md ↔ Cairn proposed edit (new file)');
  });

  it('the path is the workspace path; the id only in the query, and two reviews of one file get different keys', () => {
    const a = proposalLocation('rv_abc_1', 'src/deep/parser.ts');
    expect(a).toEqual({ path: '/src/deep/parser.ts', query: 'rv_abc_1' });
    expect(a.path).not.toContain('rv_');
    expect(proposalLocation('rv_x', '/abs/outside.ts').path).toBe('/abs/outside.ts');
    expect(proposalKey(a)).not.toBe(proposalKey(proposalLocation('rv_abc_2', 'src/deep/parser.ts')));
  });
});
