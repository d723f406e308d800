/**
 * dream_delete: the dream removes a duplicate or a memory the code contradicts. A memory the user gave (type user or
 * feedback) is never deleted by a dream: the deletion is only proposed, and the user accepts or rejects it in the
 * memory view. Every deletion and proposal is recorded with its reason.
 */
import { z } from 'zod';
import { SLUG_RE } from '../../../memory/format';
import type { Tool } from '../../../tools/types';
import { recordChange } from '../snapshot';
import type { DreamToolContext } from './context';

const input = z.object({
  slug: z.string().regex(SLUG_RE).describe('The topic to delete.'),
  why: z.string().min(3).max(500).describe('Why, for the user: "duplicate of build-commands (merged there)", "contradicted by src/db.ts: ...".'),
});

export function createDreamDeleteTool(c: DreamToolContext): Tool<typeof input> {
  return {
    name: 'dream_delete',
    description: 'Delete one memory topic (its file and index line) that is a duplicate you merged elsewhere, or that the code now contradicts (after you checked the code). Memories of type user or feedback are not deleted: the deletion is proposed to the user instead. Give the reason.',
    input,
    kind: 'memory',
    label: 'Consolidate memory',
    describe: (i) => i.slug,
    readOnly: false,
    concurrencySafe: false,
    async execute({ slug, why }, ctx) {
      const t = c.store.readTopic(slug);
      if (!t) return { content: `There is no memory "${slug}"; nothing was deleted.`, isError: true };
      if (t.type === 'user' || t.type === 'feedback') {
        if (!c.proposals.some((p) => p.slug === slug)) c.proposals.push({ slug, why, state: 'proposed' });
        recordChange(c.agentDir, c.dreamId, { ts: c.now(), op: 'propose_delete', slug, why });
        return { content: `"${slug}" is a ${t.type} memory (something the user told us): its deletion is proposed to the user, not done. Leave it as it is.` };
      }
      const res = await c.store.delete(slug, { actor: 'agent', sessionId: ctx.sessionId, toolUseId: ctx.toolUseId }, `dream ${c.dreamId}: ${why}`);
      if (!res.ok) return { content: res.error, isError: true };
      recordChange(c.agentDir, c.dreamId, { ts: c.now(), op: 'delete', slug, why });
      return { content: `Deleted memory "${slug}".` };
    },
  };
}
