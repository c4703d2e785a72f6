// A first-in first-out queue on a ring buffer: push and shift are O(1) (no Array.shift(),
// no compaction pass), and the ring only grows, doubling when full, so a queue that is
// filled and emptied again and again stops allocating once it has reached its peak length.
// Emptied slots are cleared, so the queue never keeps a value alive after shift().

export class Fifo<T> {
  private slots: (T | undefined)[];
  /** Index of the oldest value in `slots`. */
  private head = 0;
  private count = 0;

  /** `capacity`: the starting size of the ring, rounded up to a power of two. */
  constructor(capacity = 16) {
    let size = 1;
    while (size < capacity) size *= 2;
    this.slots = new Array<T | undefined>(size);
  }

  get size(): number {
    return this.count;
  }

  push(value: T): void {
    if (this.count === this.slots.length) this.grow();
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = value;
    this.count++;
  }

  /** The oldest value, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.count > 0 ? this.slots[this.head] : undefined;
  }

  /** The newest value; undefined when empty. */
  peekLast(): T | undefined {
    return this.count > 0 ? this.slots[(this.head + this.count - 1) & (this.slots.length - 1)] : undefined;
  }

  /** The value `i` places behind the oldest (0 is the oldest); undefined outside [0, size). */
  at(i: number): T | undefined {
    return i >= 0 && i < this.count ? this.slots[(this.head + i) & (this.slots.length - 1)] : undefined;
  }

  /** Removes and returns the oldest value; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.count--;
    return value;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const old = this.slots;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.slots = next;
    this.head = 0;
  }
}
