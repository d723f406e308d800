/** sleep: the proactive agent has nothing to report; no request is made before the given time. */
import { z } from 'zod';
import type { Tool } from '../../../tools/types';
import type { TickToolContext } from './context';

const MAX_SLEEP_MS = 24 * 60 * 60 * 1000;

const input = z.object({
  minutes: z.number().int().min(1).max(24 * 60).describe('Sleep this many minutes; no check is made before then.'),
  reason: z.string().min(3).max(300).describe('Why there is nothing to report ("tests pass, no diagnostics, clean git status").'),
});

export function createSleepTool(c: TickToolContext): Tool<typeof input> {
  return {
    name: 'sleep',
    description: 'Nothing needs the user\'s attention: sleep for a number of minutes. No request is made until then. Then stop.',
    input,
    kind: 'state',
    label: 'Sleep',
    describe: (i) => `${i.minutes} min`,
    readOnly: true,
    concurrencySafe: false,
    async execute(a) {
      const until = c.now() + Math.min(MAX_SLEEP_MS, a.minutes * 60_000);
      c.decision.sleepUntil = until;
      c.decision.sleepReason = a.reason;
      c.finish();
      return { content: `Sleeping until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC. The tick ends here.` };
    },
  };
}
