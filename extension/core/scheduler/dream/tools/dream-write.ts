/**
 * dream_write: the dream creates, merges or corrects one memory topic. It goes through the memory store (topic
 * file first, index line second, secrets scrubbed, index limits checked), so it can only ever write
 * `.agent/memory/<slug>.md` and `.agent/MEMORY.md`; every change is recorded in the dream's log with its reason.
 *
 * The untrusted-read hold (memory_write holds every write of a task that read command output, files or
 * transcripts) would hold every dream write: a dream always reads the code and past transcripts. So it applies
 * only where new text enters memory: a NEW topic written after the dream read untrusted content is held for the
 * user's review (the memory view's approve / discard), like a chat task's. Rewriting, merging or correcting a
 * memory that already exists — the consolidation of the memory itself — goes through: each such change carries
 * its reason, shows as a diff in the memory view and is undone with one click for 30 days.
 */
import { z } from 'zod';
import { MEMORY_TYPES, SLUG_RE } from '../../../memory/format';
import type { Tool } from '../../../tools/types';
import { recordChange } from '../snapshot';
import type { DreamToolContext } from './context';

const input = z.object({
  slug: z.string().regex(SLUG_RE).describe('The topic to create or replace (reuse the slug of the memory you are merging into).'),
  name: z.string().min(1).max(80).describe('Short title (the link text of the index line).'),
  description: z.string().min(1).max(200).describe('One line: what this memory is about.'),
  type: z.enum(MEMORY_TYPES).describe('Keep the type of the memory you are rewriting.'),
  hook: z.string().max(120).describe('A few words after the link in the index.'),
  content: z.string().min(1).max(20_000).describe('The whole memory (markdown), with absolute dates (2026-11-02, never "yesterday").'),
  why: z.string().min(3).max(500).describe('Why this change, for the user: e.g. "merged the duplicate build-cmd-2", "the port is now read from DB_PORT (src/db.ts)".'),
});

export function createDreamWriteTool(c: DreamToolContext): Tool<typeof input> {
  return {
    name: 'dream_write',
    description: 'Write (create or replace) one memory topic in .agent/memory/<slug>.md and its index line in .agent/MEMORY.md, during memory consolidation. Give the reason: every change is shown to the user and can be undone. Fails with an explicit error when the index would exceed its limits: delete or merge first.',
    input,
    kind: 'memory',
    label: 'Consolidate memory',
    describe: (i) => i.slug,
    readOnly: false,
    concurrencySafe: false,
    async execute(a, ctx) {
      const before = c.store.readTopic(a.slug);
      const req = {
        slug: a.slug, name: a.name, description: a.description, type: a.type, hook: a.hook, body: a.content,
        reason: `dream ${c.dreamId}: ${a.why}`, provenance: { actor: 'agent' as const, sessionId: ctx.sessionId, toolUseId: ctx.toolUseId },
      };
      // No record of what this dream read: treat it as having read untrusted content (a new memory is held).
      if (!before && (ctx.session?.readUntrusted() ?? true)) {
        const p = await c.store.hold(req, `a dream (${c.dreamId}) wrote a new memory after reading transcripts or workspace files: ${a.why}`);
        c.held.push(p.id);
        recordChange(c.agentDir, c.dreamId, { ts: c.now(), op: 'hold', slug: a.slug, why: a.why });
        return { content: `"${a.slug}" is a new memory and this dream has read untrusted content (transcripts, workspace files), so it is held for the user's review (id ${p.id}), not written. Do not retry it; go on consolidating the existing memories.` };
      }
      const res = await c.store.write(req);
      if (!res.ok) return { content: `Not written: ${res.error}`, isError: true };
      recordChange(c.agentDir, c.dreamId, { ts: c.now(), op: before ? 'update' : 'write', slug: a.slug, why: a.why });
      return { content: `${before ? 'Updated' : 'Wrote'} memory "${a.slug}". Index line: ${res.line}` };
    },
  };
}
