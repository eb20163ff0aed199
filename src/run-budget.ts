// The time of a run: each phase's deadline, out of what is left of the run; time queued behind throttling does not count.

import { DeadlineExceeded } from './errors.js';

export class RunBudget {
  private end: number;
  private readonly rearms = new Set<() => void>();

  constructor(
    private readonly totalMs: number,
    private readonly now: () => number,
  ) {
    this.end = now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.end - this.now());
  }

  /** The run is queued, not stuck: the run's budget, and the bound of a phase that allows it, start again. */
  queued(): void {
    this.end = Math.max(this.end, this.now() + this.totalMs);
    for (const rearm of this.rearms) rearm();
  }

  async phase<T>(
    boundMs: number,
    work: (signal: AbortSignal) => Promise<T>,
    { restartWhenQueued = false } = {},
  ): Promise<T> {
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(timer);
      const ms = Math.min(boundMs, this.remainingMs());
      timer = setTimeout(() => deadline.abort(new DeadlineExceeded(ms)), ms);
    };
    rearm();
    if (restartWhenQueued) this.rearms.add(rearm);
    try {
      return await work(deadline.signal);
    } finally {
      clearTimeout(timer);
      this.rearms.delete(rearm);
    }
  }
}
