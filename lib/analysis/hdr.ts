import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { percentileMs as percentileOrNull } from '../hdr/index.ts';

// A thin wrapper over hdr-histogram-js so the rest of analysis sees faultline's units.
// Latencies are recorded in MICROSECONDS (integers: HDR counts integer values) with 3
// significant digits: any reported percentile is within 0.1% of the exact value. Reported
// figures are converted back to milliseconds. Histograms start small and grow on demand
// (autoResize), so a window that only saw 2 ms requests costs about 9 KB.

export type { Histogram };
export { toUs } from '../hdr/index.ts';

/** Values are microseconds. */
export const HDR_SIGNIFICANT_DIGITS = 3;

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
 * The value below which `percentile` % of the recorded values fall, in milliseconds; 0 for
 * an empty histogram, which has no percentile: the summary's percentiles are numbers
 * (summary.schema.json, emptyStats), and every caller that must tell "no requests" apart
 * checks the request count first (slo.ts, settle.ts).
 */
export function percentileMs(h: Histogram, percentile: number): number {
  return percentileOrNull(h, percentile) ?? 0;
}
