import type { Clock } from '../clock/index.ts';
import { Fifo } from '../collections/index.ts';

// Per-request timeouts without a timer per request. Requests with the same timeout start
// in time order, so their deadlines are sorted: one FIFO per distinct timeout, one clock
// timer for the earliest head. An entry is live while its item's generation is unchanged;
// items bump their generation when they finish, so finished entries are skipped.

export interface Expirable {
  /** Changes whenever the item stops being in flight. */
  gen: number;
  expire(nowMs: number): void;
}

/** The entries of one timeout, oldest first: three rings in step, so no object per entry. */
class TimeoutLine {
  private readonly items = new Fifo<Expirable>();
  private readonly gens = new Fifo<number>();
  private readonly deadlines = new Fifo<number>();

  push(item: Expirable, deadlineMs: number): void {
    this.items.push(item);
    this.gens.push(item.gen);
    this.deadlines.push(deadlineMs);
  }

  /** Drops finished entries from the front; returns the head's deadline or Infinity. */
  skipFinished(): number {
    while (this.items.size > 0 && this.items.peek()!.gen !== this.gens.peek()) this.take();
    return this.deadlines.peek() ?? Infinity;
  }

  /** Removes and returns the head (the line must not be empty). */
  take(): Expirable {
    this.gens.shift();
    this.deadlines.shift();
    return this.items.shift()!;
  }

  forEachLive(fn: (item: Expirable) => void): void {
    for (let i = 0; i < this.items.size; i++) {
      const item = this.items.at(i)!;
      if (item.gen === this.gens.at(i)) fn(item);
    }
  }
}

export class Deadlines {
  private readonly lines = new Map<number, TimeoutLine>();
  private timer: unknown = undefined;
  private armedAtMs = Infinity;

  constructor(private readonly clock: Clock) {
    this.fire = this.fire.bind(this);
  }

  add(item: Expirable, startMs: number, timeoutMs: number): void {
    let line = this.lines.get(timeoutMs);
    if (!line) this.lines.set(timeoutMs, (line = new TimeoutLine()));
    line.skipFinished();
    const deadlineMs = startMs + timeoutMs;
    line.push(item, deadlineMs);
    if (deadlineMs < this.armedAtMs) this.arm(deadlineMs);
  }

  /** Calls `fn` for every item still in flight. */
  forEachLive(fn: (item: Expirable) => void): void {
    for (const line of this.lines.values()) line.forEachLive(fn);
  }

  clear(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.armedAtMs = Infinity;
    this.lines.clear();
  }

  private arm(atMs: number): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.armedAtMs = atMs;
    this.timer = this.clock.at(atMs, this.fire);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAtMs = Infinity;
    const nowMs = this.clock.now();
    let earliest = Infinity;
    for (const line of this.lines.values()) {
      let head = line.skipFinished();
      while (head <= nowMs) {
        line.take().expire(nowMs);
        head = line.skipFinished();
      }
      if (head < earliest) earliest = head;
    }
    if (earliest < Infinity && earliest < this.armedAtMs) this.arm(earliest);
  }
}
