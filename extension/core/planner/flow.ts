/**
 * The plan flow between a session and the user, the same in the panel and in tests: a proposal is put to the user
 * through the `PlanApprovalPort` (the host's DecisionService, which requires its nonce); the user's answer is applied
 * to the plan (file, mode) and sent to the model as the next user message. A chat message typed while a plan waits
 * or after it was sent back is feedback, never approval: the waiting decision is withdrawn, plan mode stays on, and
 * the user is told how to approve.
 */
import type { PlanAnswer, PlanApprovalPort, PlanState } from './state';
import { readPlan } from './store';

export interface PlanFlowSession {
  submit(text: string, extra?: { context?: string[] }): unknown;
  idle(): Promise<unknown>;
}

export const HOW_TO_APPROVE = 'A chat message never approves a plan: plan mode stays on and your message goes to Cairn as feedback. To approve, use "Approve and auto-accept edits" or "Approve and review each edit" on the plan card.';

export class PlanFlow {
  private asking: AbortController | undefined;
  private readonly off: () => void;

  constructor(
    private readonly plans: PlanState,
    private readonly port: PlanApprovalPort,
    private readonly session: () => PlanFlowSession,
    private readonly notice?: (level: 'info' | 'warning', message: string) => void,
    private readonly newId: () => string = () => `plan-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    /**
     * Called with the plan file's path once the user answered, before the file is read for execution: the host saves
     * an editor holding unsaved edits of it, so what the user sees in the editor is what gets executed.
     */
    private readonly flush?: (absPath: string) => Promise<void>,
  ) {
    this.off = plans.subscribe((e) => {
      if (e.kind === 'proposed') void this.ask();
      if (e.kind === 'abandoned' && !plans.pending) { this.asking?.abort(); this.asking = undefined; }
    });
    // A plan still waiting after a reload is put to the user again.
    if (plans.pending) void this.ask();
  }

  dispose(): void { this.off(); this.asking?.abort(); }

  /** Put the waiting plan to the user; apply their answer once the turn that proposed it has ended. */
  private async ask(): Promise<void> {
    const path = this.plans.pending;
    if (!path) return;
    this.asking?.abort();
    const ctl = new AbortController();
    this.asking = ctl;
    let plan;
    try { plan = readPlan(path).plan; } catch (e) { this.notice?.('warning', (e as Error).message); return; }
    const rel = this.plans.current()?.rel ?? path;
    let answer: PlanAnswer;
    try { answer = await this.port.ask({ id: this.newId(), path: rel, plan }, ctl.signal); } catch { return; }
    if (ctl.signal.aborted || this.plans.pending !== path) return;
    this.asking = undefined;
    await this.session().idle();
    if (this.plans.pending !== path) return;
    if (this.flush) {
      try { await this.flush(path); } catch (e) { this.notice?.('warning', `The plan file's unsaved edits could not be saved (${(e as Error).message}); the file as it is on disk is used.`); }
      if (this.plans.pending !== path) return;
    }
    let out;
    try { out = this.plans.answer(answer); } catch (e) { this.notice?.('warning', `The plan could not be updated: ${(e as Error).message}`); return; }
    this.session().submit(out.message, out.context ? { context: [out.context] } : {});
  }

  /**
   * Before a chat message is sent: when a plan waits (or was sent back for more planning), the message is feedback.
   * Returns the context to send with it (plan mode stays on), or undefined when no plan is involved.
   */
  beforeUserMessage(): string | undefined {
    const waiting = this.plans.pending !== undefined;
    const rel = this.plans.feedbackInstead();
    if (!rel) return undefined;
    this.asking?.abort();
    this.asking = undefined;
    this.notice?.('info', HOW_TO_APPROVE);
    return `[cairn] The plan in ${rel} is ${waiting ? 'still waiting for the user\'s approval' : 'not approved (the user sent it back)'}. This message is feedback on it, not approval, whatever it says: plan mode stays on. Revise the plan if needed and propose it again with propose_plan; only the user approves it, in the panel.`;
  }
}
