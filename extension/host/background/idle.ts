/**
 * Is the user away? Idle after `idleMs` with no activity (typing, moving the selection, chatting), or at once
 * when the window loses focus; any activity or regaining focus makes them active again. Pure (no `vscode`): the
 * host feeds it events, the clock is injectable, so the transitions are unit-tested with a ManualClock.
 */
import type { Clock } from '../../core/scheduler/clock';

export const DEFAULT_IDLE_MS = 5 * 60_000;

export class IdleTracker {
  private isIdle = false;
  private focused = true;
  private cancel: (() => void) | undefined;
  private disposed = false;

  constructor(private readonly clock: Clock, private readonly idleMs: number, private readonly onChange: (idle: boolean) => void) {
    this.arm();
  }

  get idle(): boolean { return this.isIdle; }

  /** The user did something (typed, moved the cursor, sent a message, a task they started is running). */
  activity(): void {
    if (this.disposed) return;
    this.arm();
    // Without focus the user is away, whatever a background edit (a formatter, a task) does to a document.
    if (this.focused) this.set(false);
  }

  /** The window gained or lost focus. */
  focus(focused: boolean): void {
    if (this.disposed || focused === this.focused) return;
    this.focused = focused;
    if (focused) this.activity();
    else { this.cancel?.(); this.cancel = undefined; this.set(true); }
  }

  dispose(): void { this.disposed = true; this.cancel?.(); this.cancel = undefined; }

  private arm(): void {
    this.cancel?.();
    this.cancel = this.clock.after(this.idleMs, () => { this.cancel = undefined; this.set(true); });
  }

  private set(idle: boolean): void {
    if (idle === this.isIdle) return;
    this.isIdle = idle;
    this.onChange(idle);
  }
}
