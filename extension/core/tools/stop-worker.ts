/** stop_worker (coordinator mode): stop a worker. What it did so far stays: its diff is taken, its folder kept. */
import { z } from 'zod';
import type { WorkerPool } from '../coordinator/pool';
import { describeWorker } from '../coordinator/result';
import type { Tool } from './types';

const input = z.object({ worker_id: z.string().min(1).max(64).describe('The id start_worker returned.') });

export function createStopWorkerTool(pool: () => WorkerPool): Tool<typeof input> {
  return {
    name: 'stop_worker',
    description: 'Stop one of your workers (its process ends). Its changes so far are kept as a diff for the user to review.',
    input,
    kind: 'agent',
    label: 'Stop worker',
    readOnly: false,
    concurrencySafe: true,
    describe: (i) => i.worker_id,
    untrustedOutput: () => true,
    async execute(args) {
      try {
        return { content: describeWorker(await pool().stop(args.worker_id)) };
      } catch (e) {
        return { isError: true, content: (e as Error).message };
      }
    },
  };
}
