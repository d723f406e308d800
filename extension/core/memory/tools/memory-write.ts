/**
 * memory_write: create or update a topic, under strict write discipline.
 *
 * - `evidence` lists the tool_use ids of this session's calls whose outcome the memory records (a test run, an
 *   edit, a command). Each must have succeeded in this session (outcome 'done'), else nothing is written and
 *   the model is told which one failed: memory records outcomes, not intentions. Facts the user stated need no
 *   evidence (origin "user").
 * - The topic file is written atomically first, the index line second; an index over its limits is refused
 *   with an explicit error before anything is written.
 * - Secrets are scrubbed before anything reaches the disk.
 * - In a task that has read untrusted content (command output, outside files, web pages), the write is held
 *   for the user's review (state/memory-pending/) instead: untrusted text must not plant instructions silently.
 */
import { z } from 'zod';
import { MEMORY_TYPES, SLUG_RE, slugify } from '../format';
import type { Tool } from '../../tools/types';
import type { MemoryServices } from './services';

const input = z.object({
  slug: z.string().regex(SLUG_RE).optional().describe('File name of the topic (lowercase, dashes, at most 40). Reuse an existing slug to update that memory instead of adding a duplicate. Default: made from the name.'),
  name: z.string().min(1).max(80).describe('Short title, a few words; it is the link text of the index line.'),
  description: z.string().min(1).max(200).describe('One line: what this memory is about (used to judge relevance).'),
  type: z.enum(MEMORY_TYPES).describe('user: who the user is and prefers; feedback: corrections or confirmations of how to work; project: decisions, deadlines, incidents not visible in the code; reference: pointers to external systems.'),
  hook: z.string().max(120).describe('A few words after the link in the index (the index line is at most 54 bytes; the hook is shortened to fit).'),
  content: z.string().min(1).max(20_000).describe('The memory itself (markdown). For feedback and project: the fact or rule, then **Why:** and **How to apply:**. Absolute dates, no secrets.'),
  origin: z.enum(['user', 'agent']).describe('"user" when the user told you this (e.g. "remember that ..."); "agent" when you learned it from what you did.'),
  evidence: z.array(z.string().min(1).max(100)).max(20).optional().describe('tool_use ids of calls in this session whose successful outcome this memory records. Each must have succeeded, or the write is refused. Required for origin "agent" facts about what worked.'),
  reason: z.string().max(500).optional().describe('When updating or correcting an existing memory: why (e.g. "contradicted by src/config.ts"). Shown to the user.'),
});

export function createMemoryWriteTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'memory_write',
    description: [
      'Save or update a durable memory in .agent/memory/<slug>.md and its one-line pointer in .agent/MEMORY.md (topic file first, index line second).',
      'Save only what is not derivable from the code or git (user preferences, feedback, decisions, external references), and only outcomes that succeeded: list the tool_use ids of the successful calls you are recording in `evidence`; a write whose evidence did not succeed in this session is refused.',
      'Update an existing memory (same slug, with a reason) instead of adding a contradicting one. Secrets are removed before writing.',
      'If this task read untrusted content (command output, files outside the workspace, web pages), the write is held for the user\'s review instead of being saved; do not retry it.',
      'Fails with an explicit error when the index would exceed 200 lines or 25 KB: then merge or delete memories first.',
    ].join(' '),
    input,
    kind: 'memory',
    label: 'Remember',
    describe: (i) => i.slug ?? i.name,
    readOnly: false,
    concurrencySafe: false,
    async execute(args, ctx) {
      const slug = args.slug ?? slugify(args.name);
      const provenance = { actor: args.origin, sessionId: ctx.sessionId, toolUseId: ctx.toolUseId, ...(args.evidence?.length ? { evidence: args.evidence } : {}) };
      if (args.evidence?.length) {
        if (!ctx.session) return { content: 'Cannot check the evidence here (no record of this session\'s tool calls); nothing was written. Write it without evidence only if the user stated the fact.', isError: true };
        const bad = args.evidence.map((id) => ({ id, outcome: id === ctx.toolUseId ? 'this call' : ctx.session!.outcome(id) })).filter((e) => e.outcome !== 'done');
        if (bad.length) {
          const why = bad.map((b) => `${b.id}: ${b.outcome === undefined ? 'no such call in this session' : b.outcome === 'this call' ? 'is this memory_write call itself' : `it ended "${b.outcome}"${ctx.session!.toolName(b.id) ? ` (${ctx.session!.toolName(b.id)})` : ''}`}`).join('; ');
          s.store.refused(slug, provenance, `evidence did not succeed: ${why}`);
          return { content: `Not written: memory records only outcomes that succeeded in this session, and this evidence did not (${why}). Finish and verify the work first, then write the memory citing the successful call(s).`, isError: true };
        }
      }
      const req = { slug, name: args.name, description: args.description, type: args.type, hook: args.hook, body: args.content, provenance, ...(args.reason ? { reason: args.reason } : {}) };
      if (ctx.session?.readUntrusted()) {
        const p = await s.store.hold(req, 'the task read untrusted content (command output, files outside the workspace or web pages)');
        return { content: `Held for the user's review (id ${p.id}), not saved: this task read untrusted content, so memory writes need the user's approval in the memory view. Do not retry; tell the user it is waiting for their review.` };
      }
      const res = await s.store.write(req);
      if (!res.ok) return { content: `Not written: ${res.error}`, isError: true };
      const notes = [
        res.op === 'update' ? `Updated memory "${slug}" (replaced the previous version${args.reason ? '' : '; give a reason when correcting a memory'}).` : `Saved memory "${slug}".`,
        `Index line: ${res.line}`,
        ...(res.shortened ? ['The hook was shortened to fit the 54-byte index line.'] : []),
        ...(res.redactions ? [`${res.redactions} secret(s) were removed before writing.`] : []),
      ];
      return { content: notes.join('\n'), display: { slug, op: res.op } };
    },
  };
}
