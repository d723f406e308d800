/**
 * The schedulers' clock: the time and one-shot timers. The host and the daemon use the system clock; tests and
 * benchmarks use ManualClock, whose time only moves when they advance it, so every tick is deterministic.
 */
export interface Clock {
  now(): number;
  /** Call `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  constructor(start: number) { this.t = start; }
  now(): number { return this.t; }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((x) => x !== timer); };
  }
  /** Timers not yet fired. */
  pending(): number { return this.timers.length; }
  /**
   * Move time forward by `ms`, firing due timers in order; `settle` is awaited after each (a tick's async work),
   * so a timer the fired work sets within the window fires too.
   */
  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
  }
}
