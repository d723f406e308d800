/**
 * wait_workers (coordinator mode): wait until workers finish and collect their results: each one's state, the files
 * it changed, where its diff is, and its report (framed as data: it read files nobody vouched for).
 */
import { z } from 'zod';
import type { WorkerPool } from '../coordinator/pool';
import { describeWorker } from '../coordinator/result';
import type { Tool } from './types';

const input = z.object({
  worker_ids: z.array(z.string().min(1).max(64)).max(20).optional().describe('The workers to wait for (default: every worker still working).'),
  timeout_seconds: z.number().int().min(1).max(1800).optional().describe('Return after this long even if some are still working (default 600).'),
});

export function createWaitWorkersTool(pool: () => WorkerPool): Tool<typeof input> {
  return {
    name: 'wait_workers',
    description: 'Wait for workers to finish and collect their results: state, changed files, the path of each one\'s diff, and its report. Without worker_ids it waits for every worker still working.',
    input,
    kind: 'agent',
    label: 'Wait for workers',
    readOnly: false,
    concurrencySafe: true,
    describe: (i) => (i.worker_ids?.length ? i.worker_ids.join(', ') : 'all workers'),
    untrustedOutput: () => true,
    async execute(args, ctx) {
      let statuses;
      try {
        statuses = await pool().wait(args.worker_ids, (args.timeout_seconds ?? 600) * 1000, ctx.signal);
      } catch (e) {
        return { isError: true, content: (e as Error).message };
      }
      if (!statuses.length) return { content: 'No worker is working. Start one with start_worker.' };
      const busy = statuses.filter((s) => s.state === 'starting' || s.state === 'running').length;
      const head = ctx.signal.aborted ? 'Stopped waiting (the turn was interrupted).' : busy ? `${busy} of ${statuses.length} still working (timed out); call wait_workers again to keep waiting.` : `All ${statuses.length} finished.`;
      return {
        content: [head, ...statuses.map(describeWorker)].join('\n\n'),
        display: { workers: statuses.map((s) => ({ workerId: s.workerId, state: s.state, files: s.files?.length ?? 0, ...(s.diffPath ? { diffPath: s.diffPath } : {}) })) },
      };
    },
  };
}
