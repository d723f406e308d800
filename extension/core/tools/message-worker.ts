/** message_worker (coordinator mode): send a worker a follow-up message (more instructions, a correction). */
import { z } from 'zod';
import type { WorkerPool } from '../coordinator/pool';
import type { Tool } from './types';

const input = z.object({
  worker_id: z.string().min(1).max(64).describe('The id start_worker returned.'),
  message: z.string().min(1).max(20_000).describe('What to tell the worker. A worker that had finished starts working again.'),
});

export function createMessageWorkerTool(pool: () => WorkerPool): Tool<typeof input> {
  return {
    name: 'message_worker',
    description: 'Send a message to one of your workers: more instructions or a correction. A worker that had finished works on it; collect the new result with wait_workers.',
    input,
    kind: 'agent',
    label: 'Message worker',
    readOnly: false,
    concurrencySafe: true,
    describe: (i) => i.worker_id,
    async execute(args) {
      try {
        const s = pool().message(args.worker_id, args.message);
        return { content: `Sent to worker ${s.workerId}; it is ${s.state === 'starting' ? 'starting (it gets the message after its task)' : 'working on it'}. Use wait_workers for its result.` };
      } catch (e) {
        return { isError: true, content: `Not sent: ${(e as Error).message}` };
      }
    },
  };
}
