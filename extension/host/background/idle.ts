/**
 * Is the user away? Idle after `idleMs` with no activity (typing, moving the selection, chatting). Losing the
 * window's focus is not idleness by itself (a glance at a browser must not start background work that spends
 * the user's money): the quiet period simply goes on, and while the window has no focus only the user's own
 * acts count as activity (a chat turn they started), not editor events a formatter or a task may cause.
 * Regaining focus is activity. Pure (no `vscode`): the host feeds it events, the clock is injectable, so the
 * transitions are unit-tested with a ManualClock.
 */
import type { Clock } from '../../core/scheduler/clock';

export class IdleTracker {
  private isIdle = false;
  private focused = true;
  private cancel: (() => void) | undefined;
  private disposed = false;
  private lastActivity = 0;

  constructor(private readonly clock: Clock, private idleMs: number, private readonly onChange: (idle: boolean) => void) {
    this.arm();
  }

  get idle(): boolean { return this.isIdle; }

  /**
   * Something happened. `editor` events (a document changed, the selection moved) count only while the window
   * has focus, since without it they are a formatter's or a task's; `user` events (a message sent, a chat turn
   * they started is running) always count.
   */
  activity(kind: 'editor' | 'user' = 'editor'): void {
    if (this.disposed) return;
    if (kind === 'editor' && !this.focused) return;
    this.arm();
    this.set(false);
  }

  /** The window gained or lost focus. Losing it keeps the quiet period running; gaining it is activity. */
  focus(focused: boolean): void {
    if (this.disposed || focused === this.focused) return;
    this.focused = focused;
    if (focused) this.activity('user');
  }

  /**
   * The quiet period changed (setting cairn.background.idleMinutes). Counted from the last activity: a user quiet
   * for longer than the new period is away at once; an away user stays away.
   */
  setIdleMs(ms: number): void {
    if (this.disposed || ms === this.idleMs) return;
    this.idleMs = ms;
    if (this.isIdle) return;
    const quiet = this.clock.now() - this.lastActivity;
    this.cancel?.();
    this.cancel = this.clock.after(Math.max(0, ms - quiet), () => { this.cancel = undefined; this.set(true); });
  }

  dispose(): void { this.disposed = true; this.cancel?.(); this.cancel = undefined; }

  private arm(): void {
    this.lastActivity = this.clock.now();
    this.cancel?.();
    this.cancel = this.clock.after(this.idleMs, () => { this.cancel = undefined; this.set(true); });
  }

  private set(idle: boolean): void {
    if (idle === this.isIdle) return;
    this.isIdle = idle;
    this.onChange(idle);
  }
}
