/**
 * Proactive mode's scheduler: while the user is idle and the mode is on, one tick every N minutes (setting);
 * activity pauses the ticks (the pending one is cancelled) and idleness resumes them a full interval later. The
 * host reports idle/active (window focus, typing); the daemon is always idle. It never runs two ticks at once.
 */
import type { Clock } from '../clock';
import { runTick, type TickOptions, type TickResult } from './tick';
import type { ProactiveSettings } from './settings';
import { readProactiveState } from './state';

export type ProactiveStatus = 'off' | 'watching' | 'sleeping' | 'over_budget';

export interface SchedulerOptions extends Omit<TickOptions, 'now' | 'settings'> {
  clock: Clock;
  settings(): ProactiveSettings;
  onStatus?(status: ProactiveStatus, detail: string): void;
  onTick?(r: TickResult): void;
  onError?(err: Error): void;
}

export class ProactiveScheduler {
  private idle = false;
  private cancel: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  /** The last status and detail reported (a new detail — paused, checking — is reported too). */
  private last: string | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly o: SchedulerOptions) {}

  /** Begin (call once); the first tick comes an interval after the user goes idle. */
  start(): void { this.update(); }

  setIdle(idle: boolean): void {
    if (idle === this.idle) return;
    this.idle = idle;
    this.update();
  }

  /** The settings changed (on/off, interval): re-plan. */
  refresh(): void { this.update(); }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
    this.abort.abort();
  }

  /** Is a tick timer pending? */
  scheduled(): boolean { return this.cancel !== undefined; }

  /** Resolves when the running tick (if any) is done. */
  async settle(): Promise<void> { while (this.inFlight) await this.inFlight; }

  status(): { status: ProactiveStatus; detail: string } {
    if (!this.o.settings().enabled || this.stopped) return { status: 'off', detail: 'proactive mode is off (setting cairn.proactive.enabled)' };
    const st = readProactiveState(this.o.agentDir);
    const now = this.o.clock.now();
    if (st.sleepUntil && now < st.sleepUntil) {
      const until = `${new Date(st.sleepUntil).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      return st.sleepReason === 'daily budget spent'
        ? { status: 'over_budget', detail: `the daily budget of $${this.o.settings().dailyBudgetUsd.toFixed(2)} is spent; sleeping until ${until}` }
        : { status: 'sleeping', detail: `sleeping until ${until}: ${st.sleepReason ?? ''}` };
    }
    return { status: 'watching', detail: this.idle ? `checks every ${this.o.settings().tickMinutes} min while you are away` : 'paused while you are active' };
  }

  private emitStatus(): void {
    const s = this.status();
    const key = `${s.status}\n${s.detail}`;
    if (key !== this.last) { this.last = key; this.o.onStatus?.(s.status, s.detail); }
  }

  private update(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.emitStatus();
    if (this.stopped || !this.o.settings().enabled || !this.idle || this.inFlight) return;
    this.cancel = this.o.clock.after(this.o.settings().tickMinutes * 60_000, () => { this.cancel = undefined; this.fire(); });
  }

  private fire(): void {
    if (this.stopped || !this.idle || !this.o.settings().enabled) return;
    this.inFlight = runTick({ ...this.o, settings: this.o.settings(), now: () => this.o.clock.now(), signal: this.abort.signal })
      .then((r) => { this.o.onTick?.(r); }, (err: Error) => { this.o.onError?.(err); })
      .finally(() => { this.inFlight = undefined; this.update(); });
  }
}
