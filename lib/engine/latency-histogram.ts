import * as hdr from 'hdr-histogram-js';
import { percentileMs, toUs } from '../hdr/index.ts';

// A thin wrapper over HdrHistogramJS recording milliseconds at microsecond resolution
// (3 significant digits, lib/hdr's units), so percentiles of lags and latencies cost O(1)
// per value.

export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  /** Largest value recorded, exactly (the histogram rounds). */
  maxMs = 0;
  count = 0;

  record(ms: number): void {
    const us = toUs(ms);
    this.h.recordValue(us > 3_600_000_000 ? 3_600_000_000 : us);
    if (ms > this.maxMs) this.maxMs = ms;
    this.count++;
  }

  /**
   * The value at `percentile` (0-100) in ms; NaN when empty: a second with no request has no
   * p99, and the engine's figures must not report it as 0 ms.
   */
  percentileMs(percentile: number): number {
    return percentileMs(this.h, percentile) ?? Number.NaN;
  }

  reset(): void {
    this.h.reset();
    this.maxMs = 0;
    this.count = 0;
  }
}
