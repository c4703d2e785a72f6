import { decodeHistogram, newHistogram, percentileMs, type Histogram } from '../hdr/index.ts';
import type { AnalysisParameters } from './parameters.ts';
import { errorRate } from './stats.ts';
import type { WindowData } from './window.ts';

// Settle time and recovery time (README "Measures" quotes this).
//
// Fine steps: W = fineWindowMs (default 100 ms); requests are placed by their send time.
// Step k >= 0 after the edge is the fine window [edge + k*W, edge + (k+1)*W).
// Judgement windows: at every step k, the FORWARD window [edge + k*W, edge + k*W + J),
// J = judgeWindowMs (default 1 s, a multiple of W), i.e. the J/W consecutive fine windows
// from step k taken together (counts added, histograms merged). A judgement window must lie
// inside the settle horizon. It is EMPTY with no request and no dropped iteration, IN BAND
// when its error rate (dropped counted as failures) and its p99 are within the band below,
// OUT OF BAND otherwise. The p99 of a judgement window leaves out its one worst fine window
// (the one with the highest p99): a stall shorter than W, such as a GC pause that catches a
// dozen requests, is not an unsettled service. (Seen on the demo: a 28 ms pause 1.3 s after
// a cut, with no error and nothing else wrong, held "settled" back by 1.3 s.) Steady-state
// reference windows are judged the same way; baseline windows are whole seconds and are not
// trimmed.
// The step's own fine window is never left out: settling at step k also needs fine window k,
// judged on its own against the same band, to be in band (or empty). Otherwise the window
// left out of judgement window k could be step k itself, and at the edge that is the
// transient: a 250 ms transient read 200 ms and a 90 ms one 0 ms (its last, partly
// transient step was the worst fine window of the judgement window starting there).
//
// Reference period:
//   - after an "off" edge that leaves no fault on: the baseline phase (before the first
//     fault); the band is one-sided ("upper"): only worse than the reference is out of
//     band (being better than baseline is recovered);
//   - after an "on" edge, or an "off" edge that leaves another fault on (or when there is
//     no baseline): the degraded steady state, i.e. the last steadyStateFraction (default
//     1/2) of the settle horizon; the band is two-sided ("both").
// The reference period is cut into consecutive, non-overlapping J-long windows lying
// inside it (baseline: whole `series` windows, the last one ending at or before the first
// fault; steady state: from the start of the tail), empty ones dropped; with none left, the
// whole period is the one window. The reference RANGE is [p99Lo, p99Hi], the lowest and
// highest p99 of those windows, and [eLo, eHi], their lowest and highest error rate. (The
// band's errorRate and p99Ms report the reference period taken as a whole.)
//
// Band, for a judgement window of n = requests + dropped, error rate r and p99 p:
//   p99: p <= p99Hi + tol and, two-sided only, p >= p99Lo - tol, with
//     tol = max(p99RelativeTolerance * p99Hi, p99AbsoluteToleranceMs) (defaults 50%, 25 ms);
//     a window of dropped iterations only has no p99 and passes this test;
//   error rate: r <= eHi + etol and, two-sided only, r >= eLo - etol, with
//     etol = errorRateTolerance (default 0.02) + 3 * sqrt(e * (1 - e) / n) (three binomial
//     sigmas: small windows are noisy), e = eHi for the upper limit, eLo for the lower one.
// Machine noise (rare slow requests that make a 100 ms window's p99 jump) is absorbed twice:
// a judgement window holds J worth of requests, and the reference range spans the noise
// the reference period itself showed.
//
// The settle horizon is [edge, min(next transition, edge + settleHorizonMs (120 s), last send)).
// settleTimeMs = k*W for the first k such that fine window k on its own is in band or empty,
// judgement window k is in band, and every non-empty judgement window starting in
// [k*W, k*W + settleHoldMs) (default hold 2 s) is in band too, all of them inside the horizon
// (k*W + settleHoldMs - W + J <= horizon): the first step from which on everything is in
// band. Empty judgement windows neither count for nor break the hold. null when no such k
// exists: the service never settled within the horizon (or the horizon is shorter than
// settleHoldMs - W + J: a warning says so).
// recoveryTimeMs = settleTimeMs of an "off" edge (null for "on" edges).
// Resolution: one step W. A transient that ends inside step k (its last bad request sent in
// [edge + (k-1)*W, edge + k*W)) reads k*W, never less, as long as it moves the p99 or the
// error rate of that last step on its own (2 bad requests of 100 move a p99); a lone stall
// later than that is forgiven (at most one fine window per judgement window), except in the
// step where the service settles, which then reads one step later. A stall that follows the
// transient after a step in band counts as a lone stall. Being out of band only on the low
// side (a p99 below a degraded reference) is seen only in steps where fewer than 2 requests
// of 100 are slow, so the end of such a state may read one step early.

export interface Band {
  source: 'baseline' | 'steady-state';
  /** Error rate and p99 of the reference period taken as a whole. */
  errorRate: number;
  p99Ms: number;
  /** `upper`: only worse than the reference is out of band; `both`: either side. */
  sides: 'upper' | 'both';
  /** Range of the p99s of the reference's J-long windows (the band is built on this). */
  p99LoMs: number;
  p99HiMs: number;
  /** Range of the error rates of the reference's J-long windows. */
  errorRateLo: number;
  errorRateHi: number;
}

export interface SettleInput {
  /** Fine windows by index from the edge, as in AnalysisState.transitions[i]. */
  windows: Record<string, WindowData>;
  /** Length of the settle horizon from the edge. */
  horizonMs: number;
  /** The baseline band, or null when to use the steady state. */
  baseline: Band | null;
}

/** Counts and a decoded histogram: windows are decoded once and merged in this form. */
interface Decoded {
  requests: number;
  errors: number;
  dropped: number;
  maxMs: number;
  h: Histogram;
}

function decode(w: WindowData): Decoded {
  return { requests: w.requests, errors: w.errors, dropped: w.dropped, maxMs: w.maxMs, h: decodeHistogram(w.histogram) };
}

function nonEmpty(w: WindowData | undefined): w is WindowData {
  return w !== undefined && w.requests + w.dropped > 0;
}

/** The windows taken together (null: all empty). */
function sum(windows: Array<WindowData | Decoded>): Decoded | null {
  const out: Decoded = { requests: 0, errors: 0, dropped: 0, maxMs: 0, h: newHistogram() };
  for (const w of windows) {
    if (w.requests + w.dropped === 0) continue;
    out.requests += w.requests;
    out.errors += w.errors;
    out.dropped += w.dropped;
    if (w.requests > 0) {
      out.maxMs = Math.max(out.maxMs, w.maxMs);
      out.h.add('h' in w ? w.h : decodeHistogram(w.histogram));
    }
  }
  return out.requests + out.dropped === 0 ? null : out;
}

/** p99 as statsOf reports it (HDR value capped at the exact max); null without requests. */
function p99Of(d: Decoded): number | null {
  return d.requests === 0 ? null : Math.min(percentileMs(d.h, 99), d.maxMs);
}

/**
 * A band from its reference period: `whole` the period taken as a whole, `parts` its J-long
 * windows (empty ones are ignored; none: the whole period is the one window). null when the
 * period is empty.
 */
function referenceBand(source: Band['source'], sides: Band['sides'], whole: Decoded | null, parts: Array<Decoded | null>, partP99s?: Array<number | null>): Band | null {
  if (!whole) return null;
  const p99s = new Map<Decoded, number | null>();
  parts.forEach((part, i) => { if (part && partP99s) p99s.set(part, partP99s[i] ?? null); });
  const windows = parts.filter((p): p is Decoded => p !== null);
  if (windows.length === 0) windows.push(whole);
  let p99Lo = Infinity;
  let p99Hi = -Infinity;
  let eLo = Infinity;
  let eHi = -Infinity;
  for (const w of windows) {
    const e = errorRate(w);
    eLo = Math.min(eLo, e);
    eHi = Math.max(eHi, e);
    const p = p99s.has(w) ? p99s.get(w)! : p99Of(w);
    if (p === null) continue;
    p99Lo = Math.min(p99Lo, p);
    p99Hi = Math.max(p99Hi, p);
  }
  const p99 = p99Of(whole) ?? 0;
  if (p99Lo === Infinity) p99Lo = p99Hi = p99; // only dropped iterations: no latency to judge
  return { source, errorRate: errorRate(whole), p99Ms: p99, sides, p99LoMs: p99Lo, p99HiMs: p99Hi, errorRateLo: eLo, errorRateHi: eHi };
}

/**
 * The baseline band: the baseline phase [startMs, endMs) (offsets from t0) cut into J-long
 * windows of whole `series` windows (`seconds`, width `seriesWidthMs`, indexed from t0), the
 * last one ending at or before endMs. `whole` is the baseline phase's own window.
 */
export function baselineBand(seconds: Record<string, WindowData>, seriesWidthMs: number, startMs: number, endMs: number, whole: WindowData, params: AnalysisParameters): Band | null {
  if (!nonEmpty(whole)) return null;
  const per = Math.round(params.judgeWindowMs / seriesWidthMs);
  const first = Math.ceil(startMs / seriesWidthMs);
  const parts: Array<Decoded | null> = [];
  for (let end = Math.floor(endMs / seriesWidthMs); end - per >= first; end -= per) {
    const group: WindowData[] = [];
    for (let i = end - per; i < end; i++) {
      const w = seconds[String(i)];
      if (nonEmpty(w)) group.push(w);
    }
    parts.push(sum(group));
  }
  return referenceBand('baseline', 'upper', decode(whole), parts.reverse());
}

/** The band a transition settles into (see above); null when there is no data to define it. */
export function bandFor(input: SettleInput, params: AnalysisParameters): Band | null {
  if (input.baseline) return input.baseline;
  const width = params.fineWindowMs;
  const per = Math.round(params.judgeWindowMs / width);
  const from = Math.floor((input.horizonMs * (1 - params.steadyStateFraction)) / width);
  const to = Math.floor(input.horizonMs / width);
  const tail: Decoded[] = [];
  const parts: Array<Decoded | null> = [];
  for (let k = from; k < to; k++) {
    const w = input.windows[String(k)];
    if (nonEmpty(w)) tail.push(decode(w));
  }
  const fine: Array<Decoded | null> = [];
  for (let k = 0; k < to; k++) {
    const w = k >= from ? input.windows[String(k)] : undefined;
    fine.push(nonEmpty(w) ? decode(w) : null);
  }
  const fineP99 = fine.map((d) => (d ? p99Of(d) : null));
  const trimmed: Array<number | null> = [];
  for (let start = from; start + per <= to; start += per) {
    const group = fine.slice(start, start + per).filter((d): d is Decoded => d !== null);
    const merged = sum(group);
    parts.push(merged);
    trimmed.push(merged ? trimmedP99(merged, fine, fineP99, start, start + per) : null);
  }
  return referenceBand('steady-state', 'both', sum(tail), parts, trimmed);
}

export function settleTimeMs(input: SettleInput, band: Band, params: AnalysisParameters): number | null {
  const width = params.fineWindowMs;
  const per = Math.round(params.judgeWindowMs / width);
  const count = Math.floor(input.horizonMs / width);
  const holdSteps = Math.round(params.settleHoldMs / width);
  // Judgement windows k = 0 .. last fit in the horizon; settling at k needs k + holdSteps - 1 <= last.
  const last = count - per;
  if (last < 0 || holdSteps - 1 > last) return null;
  // Each fine window decoded once; the judgement window is a running merge (add the window
  // entering, subtract the one leaving).
  const fine: Array<Decoded | null> = [];
  for (let k = 0; k < count; k++) {
    const w = input.windows[String(k)];
    fine.push(nonEmpty(w) ? decode(w) : null);
  }
  const running: Decoded = { requests: 0, errors: 0, dropped: 0, maxMs: 0, h: newHistogram() };
  const enter = (d: Decoded | null, sign: 1 | -1) => {
    if (!d) return;
    running.requests += sign * d.requests;
    running.errors += sign * d.errors;
    running.dropped += sign * d.dropped;
    if (d.requests === 0) return;
    if (sign === 1) running.h.add(d.h);
    else running.h.subtract(d.h);
  };
  const fineP99 = fine.map((d) => (d ? p99Of(d) : null));
  for (let k = 0; k < per - 1; k++) enter(fine[k]!, 1);
  const state: number[] = [];
  for (let k = 0; k <= last; k++) {
    enter(fine[k + per - 1]!, 1);
    state.push(judge(running, trimmedP99(running, fine, fineP99, k, k + per), band, params));
    enter(fine[k]!, -1);
  }
  // nextOut[k]: index of the first out-of-band judgement window at or after k.
  const nextOut = new Array<number>(last + 2).fill(last + 1);
  for (let k = last; k >= 0; k--) nextOut[k] = state[k] === -1 ? k : nextOut[k + 1]!;
  for (let k = 0; k + holdSteps - 1 <= last; k++) {
    if (state[k] !== 1 || nextOut[k]! < k + holdSteps) continue;
    const own = fine[k];
    if (own && judge(own, fineP99[k] ?? null, band, params) === -1) continue; // step k itself is not in band
    return k * width;
  }
  return null;
}

/**
 * The p99 of fine windows [from, to) taken together (`merged`), leaving out the one fine
 * window with the highest p99: a stall shorter than a fine window (a GC pause that catches a
 * dozen requests) is not an unsettled service. Capped at the exact max of the windows kept.
 * `merged` is left as it was. null when no window has a latency.
 */
function trimmedP99(merged: Decoded, fine: Array<Decoded | null>, fineP99: Array<number | null>, from: number, to: number): number | null {
  let worst = -1;
  let withLatency = 0;
  for (let i = from; i < to; i++) {
    const p = fineP99[i];
    if (p === null || p === undefined) continue;
    withLatency++;
    if (worst === -1 || p > fineP99[worst]!) worst = i;
  }
  if (withLatency === 0) return null;
  const skip = withLatency > 1 ? worst : -1;
  let maxMs = 0;
  for (let i = from; i < to; i++) if (i !== skip && fine[i]?.requests) maxMs = Math.max(maxMs, fine[i]!.maxMs);
  if (skip === -1) return Math.min(percentileMs(merged.h, 99), maxMs);
  const left = fine[skip]!;
  merged.h.subtract(left.h);
  const p = Math.min(percentileMs(merged.h, 99), maxMs);
  merged.h.add(left.h);
  return p;
}

/** 1 in band, -1 out of band, 0 empty. */
function judge(w: Decoded, p: number | null, band: Band, params: AnalysisParameters): number {
  const n = w.requests + w.dropped;
  if (n === 0) return 0;
  const upper = band.sides === 'upper';
  const etol = (e: number) => params.errorRateTolerance + 3 * Math.sqrt((e * (1 - e)) / n);
  const r = errorRate(w);
  const errorOk = r <= band.errorRateHi + etol(band.errorRateHi) && (upper || r >= band.errorRateLo - etol(band.errorRateLo));
  const tol = Math.max(params.p99RelativeTolerance * band.p99HiMs, params.p99AbsoluteToleranceMs);
  const p99Ok = p === null || (p <= band.p99HiMs + tol && (upper || p >= band.p99LoMs - tol));
  return errorOk && p99Ok ? 1 : -1;
}
