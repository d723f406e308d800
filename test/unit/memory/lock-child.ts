// Child process for robustness.test.ts: writes N memories into the same .agent concurrently with a sibling.
import { MemoryStore } from '../../../extension/core/memory/store';

const [agentDir, prefix, count] = process.argv.slice(2);
const store = new MemoryStore(agentDir!);
async function main(): Promise<void> {
  for (let i = 0; i < Number(count); i++) {
    const r = await store.write({ slug: `${prefix}-${i}`, name: `${prefix} ${i}`, description: 'd', type: 'project', hook: 'h', body: 'b', provenance: { actor: 'agent' } });
    if (!r.ok) { console.error(r.error); process.exit(1); }
  }
}
void main();
