import { decodeHistogram, percentileMs } from './hdr.ts';
import type { AnalysisParameters } from './parameters.ts';
import { errorRate, statsOf, sumWindows } from './stats.ts';
import type { WindowData } from './window.ts';

// Settle time and recovery time (README "Measures" quotes this).
//
// Fine windows: [edge + k*W, edge + (k+1)*W), W = fineWindowMs (default 100 ms), requests
// placed by their send time. A window is EMPTY with no request and no dropped iteration,
// IN BAND when its error rate (dropped counted as failures) and its p99 are within the band
// below, OUT OF BAND otherwise.
//
// Band = a reference (error rate e, p99 P) and a half-width:
//   error rate: errorRateTolerance (default 0.02) + 3 * sqrt(e * (1 - e) / n) for a window
//     of n requests + drops (three binomial sigmas: small windows are noisy);
//   p99: max(p99RelativeTolerance * P, p99AbsoluteToleranceMs) (defaults 50%, 5 ms).
// The reference is
//   - after an "off" edge that leaves no fault on: the baseline phase (before the first
//     fault), and the band is one-sided: a window is in band when it is no worse than
//     baseline + half-width (being better than baseline is recovered);
//   - after an "on" edge, or an "off" edge that leaves another fault on (or when there is
//     no baseline): the degraded steady state, i.e. the windows of the last
//     steadyStateFraction (default 1/2) of the settle horizon taken together, and the band
//     is two-sided (|value - reference| <= half-width).
// The settle horizon is [edge, min(next transition, edge + settleHorizonMs (120 s), last send)).
//
// settleTimeMs = k*W for the first k such that window k is in band and no window in
// [edge + k*W, edge + k*W + settleHoldMs) (default hold 2 s) is out of band, that whole hold
// period lying inside the horizon. Empty windows neither count for nor break the hold.
// null when no such k exists: the service never settled within the horizon.
// recoveryTimeMs = settleTimeMs of an "off" edge (null for "on" edges).
// Resolution: one fine window (the true settle moment lies in (settle - W, settle]).

export interface Band {
  source: 'baseline' | 'steady-state';
  errorRate: number;
  p99Ms: number;
  /** `upper`: only worse than the reference is out of band; `both`: either side. */
  sides: 'upper' | 'both';
}

export interface SettleInput {
  /** Fine windows by index from the edge, as in AnalysisState.transitions[i]. */
  windows: Record<string, WindowData>;
  /** Length of the settle horizon from the edge. */
  horizonMs: number;
  /** The baseline band reference, or null when to use the steady state. */
  baseline: Band | null;
}

/** The band a transition settles into (see above); null when there is no data to define it. */
export function bandFor(input: SettleInput, params: AnalysisParameters): Band | null {
  if (input.baseline) return input.baseline;
  const from = Math.floor((input.horizonMs * (1 - params.steadyStateFraction)) / params.fineWindowMs);
  const to = Math.floor(input.horizonMs / params.fineWindowMs);
  const tail: WindowData[] = [];
  for (let k = from; k < to; k++) {
    const w = input.windows[String(k)];
    if (w) tail.push(w);
  }
  const sum = sumWindows(tail);
  if (!sum || sum.requests + sum.dropped === 0) return null;
  const stats = statsOf(sum);
  return { source: 'steady-state', errorRate: stats.errorRate, p99Ms: stats.p99, sides: 'both' };
}

export function settleTimeMs(input: SettleInput, band: Band, params: AnalysisParameters): number | null {
  const width = params.fineWindowMs;
  const count = Math.floor(input.horizonMs / width);
  const holdWindows = Math.round(params.settleHoldMs / width);
  const state: number[] = [];
  for (let k = 0; k < count; k++) state.push(windowState(input.windows[String(k)], band, params));
  // nextOut[k]: index of the first out-of-band window at or after k.
  const nextOut = new Array<number>(count + 1).fill(count);
  for (let k = count - 1; k >= 0; k--) nextOut[k] = state[k] === -1 ? k : nextOut[k + 1]!;
  for (let k = 0; k + holdWindows <= count; k++) {
    if (state[k] === 1 && nextOut[k]! >= k + holdWindows) return k * width;
  }
  return null;
}

/** 1 in band, -1 out of band, 0 empty. */
function windowState(w: WindowData | undefined, band: Band, params: AnalysisParameters): number {
  if (!w || w.requests + w.dropped === 0) return 0;
  const n = w.requests + w.dropped;
  const e = band.errorRate;
  const errorTolerance = params.errorRateTolerance + 3 * Math.sqrt((e * (1 - e)) / n);
  const p99Tolerance = Math.max(params.p99RelativeTolerance * band.p99Ms, params.p99AbsoluteToleranceMs);
  const errorDelta = errorRate(w) - e;
  const p99Delta = w.requests === 0 ? 0 : percentileMs(decodeHistogram(w.histogram), 99) - band.p99Ms;
  const inBand = band.sides === 'upper'
    ? errorDelta <= errorTolerance && p99Delta <= p99Tolerance
    : Math.abs(errorDelta) <= errorTolerance && Math.abs(p99Delta) <= p99Tolerance;
  return inBand ? 1 : -1;
}
