import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

// faultline's one wrapper of hdr-histogram-js. Latencies go in as integer MICROSECONDS (HDR
// counts integers) with 3 significant digits, so any percentile is within 0.1% of the exact
// value, and come out as milliseconds. Histograms start small and grow on demand
// (autoResize): a window that only saw 2 ms requests costs about 9 KB.

export type { Histogram };

/** Values are microseconds. */
export const HDR_SIGNIFICANT_DIGITS = 3;

/** Milliseconds (fractional) to the integer microseconds a histogram records; at most 0 counts as 0. */
export function toUs(ms: number): number {
  return ms <= 0 ? 0 : Math.round(ms * 1000);
}

export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 4096, numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS, autoResize: true });
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

/**
 * The value below which `percentile` % (0-100) of the recorded values fall, in ms; 0 for an
 * empty histogram. Nothing recorded has no percentile, and the figures that are written
 * down say so by their count, never by the percentile: summary.json's percentiles are
 * numbers >= 0 (summary.schema.json, `stats`), so a NaN or null there would break its schema
 * (JSON has no NaN: it would be written as null). A caller that must tell "none" apart checks
 * the count first.
 */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(percentile) / 1000;
}
