import type { Clock } from '../clock/index.ts';
import { LatencyWindow } from '../hdr/index.ts';
import type { ArrivalSchedule } from './executor.ts';
import type { VuSlots } from './vu-slots.ts';

// The open-model run loop shared by the arrival-rate executors. Each iteration is due at
// t0 + schedule.dueOffsetMs(i); when the loop wakes it starts every iteration that is due,
// whatever the target is doing, and drops (and counts) the ones for which no VU is free.
// Starting late is the loop's own lag (actual start minus due time, ms), measured for
// every iteration; a late wake catches up by starting the backlog at once, never by
// skipping or shifting the schedule.

export interface IterationStarter {
  /** Starts iteration `i` on VU `vu`; times are epoch ms. Must not throw. */
  start(i: number, vu: number, dueMs: number, startMs: number): void;
  /** Iteration `i` was due at `dueMs` but all maxVUs were busy (k6's dropped_iterations). */
  drop(i: number, dueMs: number, nowMs: number): void;
}

export class ArrivalScheduler {
  /** Lag of every due iteration, started or dropped (ms). */
  readonly lag = new LatencyWindow();
  /** Largest lag since the last takeWindowMaxLagMs() (ms). */
  private windowMaxLagMs = 0;
  /** Iterations that came due so far (started + dropped). */
  next = 0;
  private t0 = 0;
  private nextDueMs = 0;
  private timer: unknown = undefined;
  private stopped = false;
  private finish!: () => void;
  /** Settles when the schedule is exhausted or stop() was called. */
  readonly done = new Promise<void>((resolve) => { this.finish = resolve; });

  constructor(
    private readonly schedule: ArrivalSchedule,
    private readonly clock: Clock,
    private readonly vus: VuSlots,
    private readonly starter: IterationStarter,
  ) {
    // Bound once: the wake-up is the only timer callback, reused for every wake.
    this.wake = this.wake.bind(this);
  }

  start(t0: number): void {
    this.t0 = t0;
    this.nextDueMs = t0 + (this.schedule.total > 0 ? this.schedule.dueOffsetMs(0) : 0);
    this.wake();
  }

  /** Starts nothing more (abort); in-flight iterations are the caller's business. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.finish();
  }

  takeWindowMaxLagMs(): number {
    const max = this.windowMaxLagMs;
    this.windowMaxLagMs = 0;
    return max;
  }

  private wake(): void {
    this.timer = undefined;
    const { schedule, clock, vus, starter } = this;
    const total = schedule.total;
    while (!this.stopped && this.next < total) {
      const dueMs = this.nextDueMs;
      const nowMs = clock.now();
      if (dueMs > nowMs) {
        this.timer = clock.at(dueMs, this.wake);
        return;
      }
      const lagMs = nowMs - dueMs;
      this.lag.record(lagMs);
      if (lagMs > this.windowMaxLagMs) this.windowMaxLagMs = lagMs;
      const i = this.next++;
      if (this.next < total) this.nextDueMs = this.t0 + schedule.dueOffsetMs(this.next);
      const vu = vus.acquire();
      if (vu === 0) starter.drop(i, dueMs, nowMs);
      else starter.start(i, vu, dueMs, nowMs);
    }
    this.stop();
  }
}
