/** memory_read: one topic file, with its age and (past a day) a note to verify it before acting. */
import { z } from 'zod';
import { SLUG_RE } from '../format';
import type { Tool } from '../../tools/types';
import { ageText, DAY_MS, STALE_NOTE, type MemoryServices } from './services';

const input = z.object({
  slug: z.string().regex(SLUG_RE).describe('The topic\'s slug: the file name in the index link, without memory/ and .md.'),
});

export function createMemoryReadTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'memory_read',
    description: 'Read one memory topic file (.agent/memory/<slug>.md) named in the memory index. Memories are hints recorded at a point in time: before acting on a remembered fact about code, check the code; if they disagree, trust the code and fix or delete the memory.',
    input,
    kind: 'memory',
    label: 'Recall',
    describe: (i) => i.slug,
    readOnly: true,
    concurrencySafe: true,
    async execute({ slug }) {
      const t = s.store.readTopic(slug);
      if (!t) {
        const known = s.store.listTopics().map((x) => x.slug);
        return { content: `There is no memory "${slug}".${known.length ? ` Known topics: ${known.slice(0, 50).join(', ')}.` : ' The memory is empty.'}`, isError: true };
      }
      const age = s.store.ageMs(t);
      const head = `Memory ${t.slug} (${t.type}) — ${t.name}: ${t.description}\nUpdated ${ageText(age)}${t.updated ? ` (${t.updated})` : ''}; source: ${t.source}`;
      const note = age > DAY_MS ? `\n\n<system-reminder>${STALE_NOTE}</system-reminder>` : '';
      return { content: `${head}\n\n${t.body.trimEnd()}${note}`, display: { slug, path: s.store.topicPath(slug) } };
    },
  };
}
