import type { Histogram } from 'hdr-histogram-js';

// What the engine's and the analysis's HDR histograms share: values go in as integer
// MICROSECONDS (HDR counts integers) and come out as milliseconds. An empty histogram has
// no percentile: percentileMs() says so with null, and each caller states what stands in
// for it (the engine's live figures NaN, the summary 0; see their wrappers).

/** Milliseconds (fractional) to the integer microseconds a histogram records; at most 0 counts as 0. */
export function toUs(ms: number): number {
  return ms <= 0 ? 0 : Math.round(ms * 1000);
}

/** The value below which `percentile` % (0-100) of the recorded values fall, in ms; null when nothing was recorded. */
export function percentileMs(h: Histogram, percentile: number): number | null {
  return h.totalCount === 0 ? null : h.getValueAtPercentile(percentile) / 1000;
}
