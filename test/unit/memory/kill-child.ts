// Child process for recovery.test.ts: starts a memory write and is killed (SIGKILL, no cleanup) at a chosen point:
// 'index' = after the topic file is in place, just before MEMORY.md is renamed over (a topic without its index
// line, a MEMORY.md temp file); 'topic' = while the topic's temp file is half written.
import { createRequire, syncBuiltinESMExports } from 'node:module';

// The CommonJS fs object (mutable); syncBuiltinESMExports() carries the patches over to ESM imports of node:fs.
// The store is loaded only after the patches, so every module it pulls in sees them.
const req = createRequire(process.argv[1]!);
const fs = req('node:fs') as typeof import('node:fs');

const [agentDir, where] = process.argv.slice(2);
const realRename = fs.renameSync;
const realWrite = fs.writeSync;
if (where === 'index') {
  fs.renameSync = (from, to) => {
    if (String(to).endsWith('MEMORY.md')) process.kill(process.pid, 'SIGKILL');
    return realRename(from, to);
  };
} else {
  (fs as { writeSync: unknown }).writeSync = (fd: number, buf: Buffer, off?: number, len?: number) => {
    const p = fs.readlinkSync(`/proc/self/fd/${fd}`);
    if (/memory\/[^/]+\.md\.\d+\.[0-9a-f]+\.tmp$/.test(p)) { realWrite(fd, buf, off ?? 0, Math.floor((len ?? buf.length) / 2)); process.kill(process.pid, 'SIGKILL'); }
    return realWrite(fd, buf, off ?? 0, len ?? buf.length);
  };
}
syncBuiltinESMExports();
const { MemoryStore } = req('../../../extension/core/memory/store') as typeof import('../../../extension/core/memory/store');
const store = new MemoryStore(agentDir!);
void store.write({ slug: 'killed-write', name: 'Killed write', description: 'A memory whose write was killed', type: 'project', hook: 'killed mid-write', body: 'The body.', provenance: { actor: 'agent' } });
