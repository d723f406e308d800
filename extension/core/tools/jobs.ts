/**
 * A session's background jobs (servers and watchers started by run_command with background: true). Each session
 * owns one registry: switching sessions stops that session's jobs and no other's; the session publishes every
 * change as an event so the panel can show what is still running.
 */
import type { JobRegistry } from './types';

interface Job { id: string; command: string; log: string; ctl: AbortController; done: Promise<number | null>; exit?: number | null }
export type JobInfo = ReturnType<JobRegistry['list']>[number];

export class SessionJobs implements JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private seq = 0;
  private readonly listeners = new Set<(jobs: JobInfo[]) => void>();

  start(job: { command: string; log: string; ctl: AbortController; done: Promise<number | null> }): string {
    const id = `job${++this.seq}`;
    const entry: Job = { id, ...job };
    this.jobs.set(id, entry);
    job.done.then((code) => { entry.exit = code; }, () => { entry.exit = null; }).finally(() => this.changed());
    this.changed();
    return id;
  }

  get(id: string): JobInfo | undefined {
    const j = this.jobs.get(id);
    return j ? info(j) : undefined;
  }

  async stop(id: string): Promise<boolean> {
    const j = this.jobs.get(id);
    if (!j) return false;
    j.ctl.abort();
    await j.done.catch(() => undefined);
    this.jobs.delete(id);
    this.changed();
    return true;
  }

  list(): JobInfo[] { return [...this.jobs.values()].map(info); }

  async stopAll(): Promise<void> {
    const all = [...this.jobs.values()];
    for (const j of all) j.ctl.abort();
    await Promise.all(all.map((j) => j.done.catch(() => undefined)));
    this.jobs.clear();
    if (all.length) this.changed();
  }

  /** Called with the whole list after every change. */
  subscribe(fn: (jobs: JobInfo[]) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private changed(): void {
    const list = this.list();
    for (const l of this.listeners) { try { l(list); } catch { /* a listener must not break a job */ } }
  }
}

function info(j: Job): JobInfo {
  return { id: j.id, command: j.command, log: j.log, running: j.exit === undefined, ...(j.exit !== undefined ? { exit: j.exit } : {}) };
}
