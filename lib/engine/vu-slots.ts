// Virtual users of an arrival-rate executor, as k6 counts them: `preAllocatedVUs` exist
// from the start, more are added on demand up to `maxVUs` and then kept. A VU runs one
// iteration at a time, so the VUs in use are the iterations in flight. Ids start at 1.

export class VuSlots {
  /** VUs allocated so far (k6's `vus_max`). */
  allocated: number;
  /** VUs running an iteration now (k6's `vus` for arrival-rate executors). */
  inUse = 0;
  private readonly free: number[] = [];

  constructor(preAllocated: number, private readonly max: number) {
    this.allocated = preAllocated;
    for (let id = preAllocated; id >= 1; id--) this.free.push(id);
  }

  /** A free VU id, or 0 when all `maxVUs` are busy (the iteration must be dropped). */
  acquire(): number {
    const id = this.free.pop();
    if (id !== undefined) {
      this.inUse++;
      return id;
    }
    if (this.allocated >= this.max) return 0;
    this.inUse++;
    return ++this.allocated;
  }

  release(id: number): void {
    this.free.push(id);
    this.inUse--;
  }
}
