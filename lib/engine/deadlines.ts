import type { Clock } from '../clock/index.ts';

// Per-request timeouts without a timer per request. Requests with the same timeout start
// in time order, so their deadlines are sorted: one FIFO per distinct timeout, one clock
// timer for the earliest head. An entry is live while its item's generation is unchanged;
// items bump their generation when they finish, so finished entries are skipped.

export interface Expirable {
  /** Changes whenever the item stops being in flight. */
  gen: number;
  expire(nowMs: number): void;
}

class Fifo {
  items: Expirable[] = [];
  gens: number[] = [];
  deadlines: number[] = [];
  head = 0;

  /** Drops finished entries from the front; returns the head's deadline or Infinity. */
  skipFinished(): number {
    while (this.head < this.items.length && this.items[this.head]!.gen !== this.gens[this.head]) this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) this.compact();
    return this.head < this.items.length ? this.deadlines[this.head]! : Infinity;
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.gens = this.gens.slice(this.head);
    this.deadlines = this.deadlines.slice(this.head);
    this.head = 0;
  }
}

export class Deadlines {
  private readonly fifos = new Map<number, Fifo>();
  private timer: unknown = undefined;
  private armedAtMs = Infinity;

  constructor(private readonly clock: Clock) {
    this.fire = this.fire.bind(this);
  }

  add(item: Expirable, startMs: number, timeoutMs: number): void {
    let fifo = this.fifos.get(timeoutMs);
    if (!fifo) this.fifos.set(timeoutMs, (fifo = new Fifo()));
    fifo.skipFinished();
    const deadlineMs = startMs + timeoutMs;
    fifo.items.push(item);
    fifo.gens.push(item.gen);
    fifo.deadlines.push(deadlineMs);
    if (deadlineMs < this.armedAtMs) this.arm(deadlineMs);
  }

  /** Calls `fn` for every item still in flight. */
  forEachLive(fn: (item: Expirable) => void): void {
    for (const fifo of this.fifos.values()) {
      for (let i = fifo.head; i < fifo.items.length; i++) if (fifo.items[i]!.gen === fifo.gens[i]) fn(fifo.items[i]!);
    }
  }

  clear(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.armedAtMs = Infinity;
    this.fifos.clear();
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
    for (const fifo of this.fifos.values()) {
      let head = fifo.skipFinished();
      while (head <= nowMs) {
        const item = fifo.items[fifo.head]!;
        fifo.head++;
        item.expire(nowMs);
        head = fifo.skipFinished();
      }
      if (head < earliest) earliest = head;
    }
    if (earliest < Infinity && earliest < this.armedAtMs) this.arm(earliest);
  }
}
