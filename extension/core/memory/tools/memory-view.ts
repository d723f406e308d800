/** memory_view: the index MEMORY.md as it is on disk now, with its limits and what is held for review. */
import { z } from 'zod';
import { checkIndex, INDEX_MAX_BYTES, INDEX_MAX_LINES, parseIndex } from '../format';
import type { Tool } from '../../tools/types';
import type { MemoryServices } from './services';

const input = z.object({});

export function createMemoryViewTool(s: MemoryServices): Tool<typeof input> {
  return {
    name: 'memory_view',
    description: 'Show the memory index (.agent/MEMORY.md) as it is on disk now: one pointer line per memory (title, topic file, hook), its size against the limits (200 lines, 25 KB), topic files missing from the index, and writes held for the user\'s review. The index was also given to you at the start of the session; use this after changes. Read a topic with memory_read.',
    input,
    kind: 'memory',
    label: 'Memory',
    describe: () => 'the memory index',
    readOnly: true,
    concurrencySafe: true,
    async execute() {
      const text = s.store.readIndex();
      const check = checkIndex(text);
      const indexed = new Set(parseIndex(text).entries.map((e) => e.slug));
      const orphans = s.store.listTopics().filter((t) => !indexed.has(t.slug)).map((t) => t.slug);
      const pending = s.store.listPending();
      const parts = [
        text.trim() ? `MEMORY.md (${check.lines}/${INDEX_MAX_LINES} lines, ${check.bytes}/${INDEX_MAX_BYTES} bytes):\n${text.trimEnd()}` : 'MEMORY.md is empty: no memories yet.',
        ...(check.ok ? [] : [`Error: ${check.error}`]),
        ...(orphans.length ? [`Topic files with no index line: ${orphans.join(', ')}`] : []),
        ...(pending.length ? [`${pending.length} write(s) held for the user's review: ${pending.map((p) => p.request.slug).join(', ')}`] : []),
      ];
      return { content: parts.join('\n\n') };
    },
  };
}
