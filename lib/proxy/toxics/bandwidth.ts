import { DelayQueue } from './delay-queue.ts';
import { nowMs, type StageContext, type ToxicKind, type ToxicStage } from './toxic.ts';

// Toxiproxy sends a large chunk in pieces of at most 100 ms worth of data, so a slow rate
// trickles instead of arriving in one late burst.
const PIECE_MS = 100;

/**
 * `bandwidth`: passes data on at `rate` KB/s (1 KB = 1000 bytes, as in Toxiproxy: n bytes
 * take n / rate ms). A rate of 0 lets data through unlimited. No burst credit builds up
 * while the link is idle.
 */
export const bandwidth: ToxicKind = {
  attributes: ['rate'],
  goType: { struct: 'BandwidthToxic', int: 'int64' },
  stage: (attributes, context) => new BandwidthStage(attributes, context),
};

// A changed rate applies to data that arrives from then on; queued data keeps its times.

class BandwidthStage implements ToxicStage {
  private readonly queue: DelayQueue;
  /** When the last queued byte has "left" at the configured rate (ms, `nowMs()` clock). */
  private busyUntilMs = 0;

  constructor(private readonly attributes: Readonly<Record<string, number>>, private readonly context: StageContext) {
    this.queue = new DelayQueue(context);
  }

  write(chunk: Buffer): void {
    const rateKBps = this.attributes.rate ?? 0;
    if (rateKBps <= 0 && this.queue.queued === 0) {
      this.context.push(chunk);
      return;
    }
    const bytesPerMs = rateKBps > 0 ? rateKBps : Infinity; // KB/s = bytes/ms
    const pieceBytes = Math.max(1, Math.floor(bytesPerMs * PIECE_MS));
    let start = Math.max(nowMs(), this.busyUntilMs);
    for (let offset = 0; offset < chunk.length; offset += pieceBytes) {
      const piece = offset === 0 && chunk.length <= pieceBytes ? chunk : chunk.subarray(offset, offset + pieceBytes);
      start += piece.length / bytesPerMs;
      this.queue.add(piece, start);
    }
    this.busyUntilMs = start;
  }

  end(): void { this.queue.end(); }
  flush(): void { this.queue.flush(); }
  destroy(): void { this.queue.destroy(); }
}
