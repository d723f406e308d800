/**
 * notify: the proactive agent raises a notice for the user (the panel's feed; a VS Code notification when urgent).
 * It must say why now and what it looked at. A notice that says the same as one raised in the last day is not
 * shown again.
 */
import { z } from 'zod';
import type { Tool } from '../../../tools/types';
import { appendNotice, noticeKey, readNotices, type Notice } from '../state';
import { DUPLICATE_WINDOW_MS, type TickToolContext } from './context';

const input = z.object({
  title: z.string().min(3).max(120).describe('What the user needs to see, in a few words ("3 tests fail in src/db.test.ts").'),
  why_now: z.string().min(3).max(500).describe('Why this matters now (what changed, what breaks if ignored).'),
  looked_at: z.array(z.string().min(1).max(200)).min(1).max(20).describe('What you checked: "diagnostics", "git status", "npm test output", file paths.'),
  urgency: z.enum(['low', 'normal', 'urgent']).describe('urgent: breaks the build or the tests now; normal: should be fixed soon; low: worth knowing.'),
  suggested_fix: z.string().max(2000).optional().describe('A prompt the user can start as a chat task with one click ("Fix the failing test in src/db.test.ts: ..."). It runs only if the user clicks it, with the usual approvals.'),
});

export function createNotifyTool(c: TickToolContext): Tool<typeof input> {
  return {
    name: 'notify',
    description: 'Raise a notice for the user about something they need to see now (a failing test, a broken build, a new error). Say why now and what you looked at. Do not repeat a notice: duplicates are suppressed. If there is nothing worth the user\'s attention, call sleep instead.',
    input,
    kind: 'state',
    label: 'Notice',
    describe: (i) => i.title,
    readOnly: true,
    concurrencySafe: false,
    async execute(a) {
      const key = noticeKey(a.title, a.suggested_fix);
      const now = c.now();
      const dup = readNotices(c.agentDir).find((n) => n.key === key && now - n.ts < DUPLICATE_WINDOW_MS);
      if (dup) {
        c.decision.duplicates.push(a.title);
        return { content: `The user already has this notice (raised ${new Date(dup.ts).toISOString().slice(0, 16).replace('T', ' ')} UTC); it is not shown again. Call sleep if there is nothing new.` };
      }
      const n: Notice = { id: c.newId(), ts: now, title: a.title, whyNow: a.why_now, lookedAt: a.looked_at, urgency: a.urgency, ...(a.suggested_fix ? { suggestedFix: a.suggested_fix } : {}), key };
      appendNotice(c.agentDir, n);
      c.decision.notices.push(a.title);
      c.raise(n);
      c.finish();
      return { content: `Notice raised (${a.urgency}). The tick ends here.` };
    },
  };
}
