import * as hdr from 'hdr-histogram-js';

// A thin wrapper over HdrHistogramJS recording milliseconds at microsecond resolution
// (3 significant digits), so percentiles of lags and latencies cost O(1) per value.

export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  /** Largest value recorded, exactly (the histogram rounds). */
  maxMs = 0;
  count = 0;

  record(ms: number): void {
    const us = ms <= 0 ? 0 : Math.round(ms * 1000);
    this.h.recordValue(us > 3_600_000_000 ? 3_600_000_000 : us);
    if (ms > this.maxMs) this.maxMs = ms;
    this.count++;
  }

  /** The value at `percentile` (0-100) in ms; NaN when empty. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? Number.NaN : this.h.getValueAtPercentile(percentile) / 1000;
  }

  reset(): void {
    this.h.reset();
    this.maxMs = 0;
    this.count = 0;
  }
}
