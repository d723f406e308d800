// Child process for dream.test.ts: tries the dream lock, prints "got" or "busy", holds it for N ms.
import { takeDreamLock } from '../../../extension/core/scheduler/dream/gates';

const [agentDir, hold] = process.argv.slice(2);
const release = takeDreamLock(agentDir!);
process.stdout.write(release ? 'got' : 'busy');
setTimeout(() => { release?.(); }, Number(hold));
