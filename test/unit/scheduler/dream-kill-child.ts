// Child process for dream.test.ts: runs a real dream against the parent's emulator and prints "changed N" after each
// memory change, so the parent can SIGKILL it mid-consolidation.
import { createMemory } from '../../../extension/core/memory';
import { createPermissionEngine } from '../../../extension/core/permissions/engine';
import { createAnthropicProvider } from '../../../extension/core/providers/anthropic';
import { DEFAULT_DREAM_SETTINGS } from '../../../extension/core/scheduler/dream/gates';
import { runDream } from '../../../extension/core/scheduler/dream/run';

const [agentDir, root, url] = process.argv.slice(2);
const memory = createMemory({ agentDir: agentDir!, workspaceRoot: root!, search: { rgPath: null, workers: 1 } });
let n = 0;
memory.store.onChange(() => { n++; process.stdout.write(`changed ${n}\n`); });
const p = createAnthropicProvider({ apiKey: 'test-key', baseURL: url! });
void runDream({
  agentDir: agentDir!, workspaceRoot: root!, memory, provider: () => p, model: () => ({ id: 'claude-haiku-4-5', maxTokens: 1024 }),
  settings: DEFAULT_DREAM_SETTINGS, permissions: createPermissionEngine({ workspaceRoot: root!, trusted: true }), userIdle: () => true, force: true,
});
