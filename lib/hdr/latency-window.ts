import { newHistogram, percentileMs, toUs, type Histogram } from './histogram.ts';

/**
 * The latencies of one span of time, in ms: how many, how many failed, their exact sum,
 * minimum and maximum, and an HDR histogram for the percentiles. The engine's live windows
 * (read, then reset, each second) and the analysis's windows (encoded, so that they can be
 * written down and merged) are both this; only what each does with a full window differs.
 */
export class LatencyWindow {
  count = 0;
  failed = 0;
  sumMs = 0;
  /** Infinity while the window is empty. */
  minMs = Infinity;
  maxMs = 0;

  constructor(readonly histogram: Histogram = newHistogram()) {}

  record(ms: number, failed = false): void {
    this.count++;
    if (failed) this.failed++;
    this.sumMs += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
    this.histogram.recordValue(toUs(ms));
  }

  /** The value at `percentile` (0-100) in ms; 0 when the window is empty (see percentileMs). */
  percentileMs(percentile: number): number {
    return percentileMs(this.histogram, percentile);
  }

  reset(): void {
    this.histogram.reset();
    this.count = this.failed = this.sumMs = this.maxMs = 0;
    this.minMs = Infinity;
  }
}
