/** What the dream's own tools share: the memory store, this dream's id and record, and a clock. */
import type { MemoryStore } from '../../../memory/store';
import type { DreamProposal } from '../snapshot';

export interface DreamToolContext {
  store: MemoryStore;
  agentDir: string;
  dreamId: string;
  now(): number;
  /** Deletions proposed for the user (memories of type user or feedback). */
  proposals: DreamProposal[];
  /** Pending-write ids of the new memories this dream held for review (discarded if the dream is rolled back). */
  held: string[];
}
