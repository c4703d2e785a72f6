import { decodeHistogram, percentileMs, type Histogram } from '../hdr/index.ts';
import type { Counts, Stats } from './summary.ts';
import type { WindowData } from './window.ts';

// Stats of a window. Percentiles are HdrHistogram values (within 0.1% of the exact ones:
// 3 significant digits, capped at the exact max), max is exact. errorRate counts dropped iterations as failures:
// (errors + dropped) / (requests + dropped), 0 when there was nothing.

export function errorRate(c: { requests: number; errors: number; dropped: number }): number {
  const n = c.requests + c.dropped;
  return n === 0 ? 0 : (c.errors + c.dropped) / n;
}

export function countsOf(w: WindowData): Counts {
  return { requests: w.requests, errors: w.errors, dropped: w.dropped, errorRate: errorRate(w) };
}

export function statsOf(w: WindowData, h: Histogram = decodeHistogram(w.histogram)): Stats {
  // HDR reports the highest value equivalent to a bucket; never above the exact max.
  const cap = (ms: number) => Math.min(ms, w.maxMs);
  return {
    p50: cap(percentileMs(h, 50)),
    p90: cap(percentileMs(h, 90)),
    p95: cap(percentileMs(h, 95)),
    p99: cap(percentileMs(h, 99)),
    p999: cap(percentileMs(h, 99.9)),
    max: w.maxMs,
    ...countsOf(w),
  };
}

/** Stats of a window with nothing in it (percentiles 0). */
export function emptyStats(): Stats {
  return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, requests: 0, errors: 0, dropped: 0, errorRate: 0 };
}
