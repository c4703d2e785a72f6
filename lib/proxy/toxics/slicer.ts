import { DelayQueue } from './delay-queue.ts';
import { nowMs, type StageContext, type ToxicKind, type ToxicStage } from './toxic.ts';

/**
 * `slicer`: cuts every chunk into pieces of about `average_size` bytes (± up to
 * `size_variation` bytes), passed on `delay` microseconds apart. An `average_size` of 0
 * leaves chunks whole. Sizes in bytes; `delay` in MICROseconds (Toxiproxy's unit).
 */
export const slicer: ToxicKind = {
  attributes: ['average_size', 'size_variation', 'delay'],
  goType: { struct: 'SlicerToxic', int: 'int' },
  stage: (attributes, context) => new SlicerStage(attributes, context),
};

class SlicerStage implements ToxicStage {
  private readonly queue: DelayQueue;
  /** Earliest time (ms, `nowMs()` clock) the next piece may go. */
  private nextAtMs = 0;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {
    this.queue = new DelayQueue(context);
  }

  write(chunk: Buffer): void {
    const averageBytes = this.attributes.average_size ?? 0;
    if (averageBytes <= 0) {
      this.pass(chunk, 0);
      return;
    }
    // Like Toxiproxy, the variation is kept below the average so no piece is empty.
    const variationBytes = Math.min(this.attributes.size_variation ?? 0, averageBytes - 1);
    const delayMs = (this.attributes.delay ?? 0) / 1000;
    for (let offset = 0; offset < chunk.length;) {
      const size = averageBytes + Math.round((Math.random() * 2 - 1) * variationBytes);
      const piece = chunk.subarray(offset, offset + size);
      offset += piece.length;
      this.pass(piece, offset < chunk.length ? delayMs : 0);
    }
  }

  end(): void { this.queue.end(); }
  flush(): void { this.queue.flush(); }
  destroy(): void { this.queue.destroy(); }

  /** Passes `piece` on, then keeps the next piece back `gapMs` (due times accumulate, so
   * sub-millisecond delays add up exactly although timers tick in milliseconds). */
  private pass(piece: Buffer, gapMs: number): void {
    const now = nowMs();
    const at = Math.max(this.nextAtMs, now);
    if (this.queue.queued === 0 && at <= now) this.context.push(piece);
    else this.queue.add(piece, at);
    this.nextAtMs = at + gapMs;
  }
}
