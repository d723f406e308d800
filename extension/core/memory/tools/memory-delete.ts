/** memory_delete: remove a topic and its index line (index line first, so no pointer dangles). */
import { z } from 'zod';
import { SLUG_RE } from '../format';
import type { Tool } from '../../tools/types';
import type { MemoryServices } from './services';

const input = z.object({
  slug: z.string().regex(SLUG_RE).describe('The topic to delete.'),
  reason: z.string().min(3).max(500).describe('Why, for the user: e.g. "contradicted by src/db.ts: the port is now read from DB_PORT".'),
});

export function createMemoryDeleteTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'memory_delete',
    description: 'Delete a memory (its topic file and index line) that turned out wrong or obsolete, or that the user asked you to forget. Give the reason: the user sees every deletion in the memory view.',
    input,
    kind: 'memory',
    label: 'Forget',
    describe: (i) => i.slug,
    readOnly: false,
    concurrencySafe: false,
    async execute({ slug, reason }, ctx) {
      const res = await s.store.delete(slug, { actor: 'agent', sessionId: ctx.sessionId, toolUseId: ctx.toolUseId }, reason);
      if (!res.ok) return { content: res.error, isError: true };
      if (!res.existed) return { content: `There is no memory "${slug}"; nothing was deleted.`, isError: true };
      return { content: `Deleted memory "${slug}" (index line and topic file). The user sees this in the memory view.` };
    },
  };
}
