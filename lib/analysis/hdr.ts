import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

// A thin wrapper over hdr-histogram-js so the rest of analysis sees faultline's units.
// Latencies are recorded in MICROSECONDS (integers: HDR counts integer values) with 3
// significant digits: any reported percentile is within 0.1% of the exact value. Reported
// figures are converted back to milliseconds. Histograms start small and grow on demand
// (autoResize), so a window that only saw 2 ms requests costs about 9 KB.

export type { Histogram };

/** Values are microseconds. */
export const HDR_SIGNIFICANT_DIGITS = 3;

export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 4096, numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS, autoResize: true });
}

/** Milliseconds (fractional) to the integer microseconds a histogram records. */
export function toUs(ms: number): number {
  return ms <= 0 ? 0 : Math.round(ms * 1000);
}

/** Compressed base64: HdrHistogram's standard encoding (the one interval logs use). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const h = decodeFromCompressedBase64(encoded);
  h.autoResize = true;
  return h;
}

/** The value below which `percentile` % of the recorded values fall, in milliseconds. */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(percentile) / 1000;
}
