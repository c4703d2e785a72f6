import type { Clock } from '../../lib/clock/index.ts';

/** A clock that moves only when the test says so; timers fire in time order. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(private t = 1_000_000) {}

  now(): number { return this.t; }
  at(epochMs: number, fn: () => void): unknown {
    const timer = { at: epochMs, fn, id: this.nextId++ };
    this.timers.push(timer);
    return timer.id;
  }
  cancel(handle: unknown): void { this.timers = this.timers.filter((t) => t.id !== handle); }

  /**
   * Moves time to `to` without firing anything: an event-loop stall. The timers that came due
   * meanwhile fire late, on the next advanceTo().
   */
  stallTo(to: number): void {
    this.t = Math.max(this.t, to);
  }

  /** Moves time forward to `to`, firing each due timer at its own time, then lets promises settle. */
  async advanceTo(to: number): Promise<void> {
    for (;;) {
      const next = this.timers.filter((t) => t.at <= to).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
      await settle();
    }
    this.t = to;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
