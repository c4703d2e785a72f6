// HDR histograms as the engine and the analysis both use them: one wrapper of
// hdr-histogram-js (units, encoding, an empty histogram's percentiles) and one window of
// latencies over it.

export { decodeHistogram, encodeHistogram, HDR_SIGNIFICANT_DIGITS, newHistogram, percentileMs, toUs, type Histogram } from './histogram.ts';
export { LatencyWindow } from './latency-window.ts';
