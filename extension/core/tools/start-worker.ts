/**
 * start_worker (coordinator mode): start a worker, a separate agent process in its own worktree, on a task. It
 * returns at once with the worker's id; wait_workers collects the result.
 */
import { z } from 'zod';
import type { WorkerPool } from '../coordinator/pool';
import type { Tool } from './types';

const input = z.object({
  description: z.string().min(1).max(80).describe('A short title for the task (3 to 8 words), shown to the user.'),
  task: z.string().min(1).max(20_000).describe('The complete task. The worker sees nothing of this conversation: say what to change, where, and how to check it.'),
});

export function createStartWorkerTool(pool: () => WorkerPool): Tool<typeof input> {
  return {
    name: 'start_worker',
    description: [
      'Start a worker: a separate agent with the usual tools, working in its own copy of the workspace (a git worktree',
      'of the last commit). Returns its id at once; it works in the background. Its changes never touch the workspace:',
      'they come back as a diff for the user to review. Start several for independent parts of a job.',
    ].join(' '),
    input,
    kind: 'agent',
    label: 'Start worker',
    readOnly: false,
    concurrencySafe: true,
    describe: (i) => i.description,
    async execute(args, ctx) {
      try {
        const s = await pool().start(args.description, args.task, ctx.toolUseId);
        return {
          content: `Started worker ${s.workerId} (${args.description}) in its own ${s.isolation === 'worktree' ? 'git worktree' : 'copy of the workspace'}. Use wait_workers to collect its result.`,
          display: { worker: { workerId: s.workerId, description: args.description } },
        };
      } catch (e) {
        return { isError: true, content: `The worker could not start: ${(e as Error).message}` };
      }
    },
  };
}
