/**
 * Everything only the user can decide, in one place: command and tool approvals, per-hunk diff reviews, and
 * (as they arrive) plan approvals and subagent questions. Each pending decision is announced to every webview
 * with `decision/requested` (again, with the same id, when it changes), listed in the snapshot for a webview that
 * connects later, answered through one request (`decision/answer`) and closed with `decision/resolved`.
 * An answer is accepted only for an id this service issued and only in the form its kind expects.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest } from '../../core/ports';
import type { PlanAnswer, PlanApprovalPort, PlanApprovalRequest } from '../../core/planner/state';
import type { EventData } from '../../protocol/events';
import type { DecisionOutcome, PendingDecision } from '../../protocol/model';
import type { RequestParams } from '../../protocol/requests';
import type { ReviewRequest } from '../../protocol/review';

export type DecisionAnswer = RequestParams<'decision/answer'>['answer'];
export type DecisionEmit = <E extends 'decision/requested' | 'decision/resolved'>(name: E, data: EventData<E>) => void;

interface Open {
  decision: PendingDecision;
  /** Apply the user's answer; false when it does not fit (the decision stays open). */
  answer(a: DecisionAnswer): boolean;
  /** Whoever waits for the answer is told there will be none. */
  withdraw?(): void;
}

/** What the review service reports about its reviews. */
export interface ReviewSink {
  open(request: ReviewRequest, answer: (a: Extract<DecisionAnswer, { kind: 'review' }>) => boolean): void;
  update(request: ReviewRequest): void;
  close(id: string, outcome: DecisionOutcome): void;
}

export class DecisionService {
  private readonly open = new Map<string, Open>();

  constructor(private readonly emit: DecisionEmit) {}

  /** Waiting decisions, oldest first. */
  list(): PendingDecision[] {
    return [...this.open.values()].map((o) => o.decision);
  }

  has(id: string): boolean { return this.open.has(id); }

  /** The user's answer (from any webview). False for an unknown id or an answer of the wrong kind. */
  answer(id: string, answer: DecisionAnswer): boolean {
    const o = this.open.get(id);
    if (!o || o.decision.kind !== answer.kind) return false;
    return o.answer(answer);
  }

  /** Withdraw everything (the session closed). */
  withdrawAll(): void {
    for (const [id, o] of [...this.open]) {
      if (this.close(id, 'withdrawn')) o.withdraw?.();
    }
  }

  /** The core's approval port: each ask becomes a pending decision until answered or withdrawn. */
  approvalPort(): ApprovalPort {
    return {
      ask: (request: ApprovalRequest, signal: AbortSignal) => new Promise<ApprovalAnswer>((resolve) => {
        if (signal.aborted) { resolve({ decision: 'reject', reason: 'Stopped.' }); return; }
        const id = request.id;
        const onAbort = () => { if (this.close(id, 'withdrawn')) resolve({ decision: 'reject', reason: 'Stopped.' }); };
        signal.addEventListener('abort', onAbort, { once: true });
        this.register({ kind: 'approval', request }, (a) => {
          if (a.kind !== 'approval') return false;
          signal.removeEventListener('abort', onAbort);
          this.close(id, a.decision === 'approve' ? 'approved' : 'rejected');
          resolve(a.decision === 'approve' ? { decision: 'approve', scope: a.scope ?? 'once' } : { decision: 'reject', ...(a.reason ? { reason: a.reason } : {}) });
          return true;
        }, () => { signal.removeEventListener('abort', onAbort); resolve({ decision: 'reject', reason: 'The session was closed.' }); });
      }),
    };
  }

  /**
   * The plan flow's port: a proposed plan becomes a pending decision carrying a fresh nonce. Only an answer with
   * that exact nonce is accepted (a forged message that names the id but not the nonce is refused and the plan
   * stays waiting). Aborting the signal withdraws it (the user typed a chat message instead: that is feedback).
   */
  planPort(): PlanApprovalPort {
    return {
      ask: (req: PlanApprovalRequest, signal?: AbortSignal) => new Promise<PlanAnswer>((resolve, reject) => {
        if (signal?.aborted) { reject(new Error('withdrawn')); return; }
        const nonce = randomBytes(24).toString('hex');
        const request = { id: req.id, nonce, path: req.path, ...planCard(req.plan) };
        const onAbort = () => { if (this.close(req.id, 'withdrawn')) reject(new Error('withdrawn')); };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.register({ kind: 'plan', request }, (a) => {
          if (a.kind !== 'plan' || !sameNonce(a.nonce, nonce)) return false;
          signal?.removeEventListener('abort', onAbort);
          this.close(req.id, a.choice === 'keep-planning' ? 'rejected' : 'approved');
          resolve({ choice: a.choice, ...(a.feedback ? { feedback: a.feedback } : {}), ...(a.steps ? { steps: a.steps } : {}), ...(a.comments ? { comments: a.comments } : {}) });
          return true;
        }, () => { signal?.removeEventListener('abort', onAbort); reject(new Error('The session was closed.')); });
      }),
    };
  }

  /**
   * The plan file of a waiting plan changed on disk (edited in an editor): the card shows the file as it is now.
   * Same id and nonce (the answer the user is about to give still fits). False when no waiting plan has that path.
   */
  refreshPlan(path: string, plan: PlanApprovalRequest['plan']): boolean {
    let changed = false;
    for (const o of this.open.values()) {
      if (o.decision.kind !== 'plan' || o.decision.request.path !== path) continue;
      const r = o.decision.request;
      const request = { ...r, ...planCard(plan) };
      if (JSON.stringify(request) === JSON.stringify(r)) continue;
      o.decision = { kind: 'plan', request };
      this.emit('decision/requested', { decision: o.decision });
      changed = true;
    }
    return changed;
  }

  /** Where the review service reports its reviews. */
  reviewSink(): ReviewSink {
    return {
      open: (request, answer) => this.register({ kind: 'review', request }, (a) => a.kind === 'review' && answer(a)),
      update: (request) => {
        const o = this.open.get(request.id);
        if (!o || o.decision.kind !== 'review') return;
        o.decision = { kind: 'review', request };
        this.emit('decision/requested', { decision: o.decision });
      },
      close: (id, outcome) => { this.close(id, outcome); },
    };
  }

  private register(decision: PendingDecision, answer: Open['answer'], withdraw?: () => void): void {
    const id = decision.request.id;
    this.open.set(id, { decision, answer, ...(withdraw ? { withdraw } : {}) });
    this.emit('decision/requested', { decision });
  }

  private close(id: string, outcome: DecisionOutcome): boolean {
    if (!this.open.delete(id)) return false;
    this.emit('decision/resolved', { id, outcome });
    return true;
  }
}

/** What a plan card shows of a plan (its id, nonce and path come from the decision). */
function planCard(p: PlanApprovalRequest['plan']) {
  return {
    title: p.title, summary: p.summary,
    steps: p.steps.map((s) => ({ text: s.text, files: [...s.files], state: s.state })), risks: [...p.risks], verification: p.verification,
  };
}

function sameNonce(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
