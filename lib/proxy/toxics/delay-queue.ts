import { TimedQueue, nowMs, type StageContext } from './toxic.ts';

// Timers count from the event loop's cached clock, so one can fire a little before its
// chunk is due by `performance.now()`; such a chunk waits for one more (short) timer
// rather than going early: a toxic's delay is a minimum, as in Toxiproxy.

/**
 * Passes chunks on at their due times, in order, with one timer per stage (not per chunk).
 * The shared engine of the toxics that delay data (latency, bandwidth, slicer, timeout).
 */
export class DelayQueue {
  private readonly queue = new TimedQueue();
  private timer: NodeJS.Timeout | undefined;
  private endPending = false;

  constructor(private readonly context: StageContext) {}

  /** Due time (ms) of the last queued chunk, or 0 when nothing is queued. */
  get lastDueMs(): number { return this.queue.lastDue; }
  get queued(): number { return this.queue.size; }

  /** Queues `chunk` to be passed on at `dueMs` (`nowMs()` clock), after every earlier chunk. */
  add(chunk: Buffer, dueMs: number): void {
    this.queue.push(chunk, dueMs);
    if (this.timer === undefined) this.schedule();
  }

  /** The end of the stream goes on after the last queued chunk. */
  end(): void {
    if (this.queue.size === 0) this.context.end();
    else this.endPending = true;
  }

  /** Passes on everything queued now (and a pending end). */
  flush(): void {
    this.stopTimer();
    while (this.queue.size > 0) this.context.push(this.queue.shift());
    if (this.endPending) {
      this.endPending = false;
      this.context.end();
    }
  }

  destroy(): void {
    this.stopTimer();
    this.queue.clear();
    this.endPending = false;
  }

  private schedule(): void {
    if (this.queue.size === 0) return;
    const due = this.queue.nextDue;
    if (due === Infinity) return; // held until flush()
    this.timer = setTimeout(this.onTimer, Math.max(0, due - nowMs()));
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    const now = nowMs();
    while (this.queue.size > 0 && this.queue.nextDue <= now) this.context.push(this.queue.shift());
    if (this.queue.size > 0) this.schedule();
    else if (this.endPending) {
      this.endPending = false;
      this.context.end();
    }
  };

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
