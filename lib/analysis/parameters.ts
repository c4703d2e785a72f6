// The parameters of faultline's measures, with their defaults. The definitions they feed
// are written beside the code that computes them (plan.ts, settle.ts) and quoted in the
// README; every summary.json records the values it was computed with (`parameters`).

export interface AnalysisParameters {
  /** Width of the `series` windows (per-second series). */
  seriesWindowMs: number;
  /** Width of the fine windows around every transition, aligned on the edge. */
  fineWindowMs: number;
  /** Transition window = [edge - transitionBeforeMs, edge + transitionAfterMs). */
  transitionBeforeMs: number;
  transitionAfterMs: number;
  /** Settling is judged over at most this long after the edge (and never past the next edge). */
  settleHorizonMs: number;
  /** How long every non-empty judgement window must stay in band to count as settled. */
  settleHoldMs: number;
  /** Settling is judged on windows this long (a multiple of fineWindowMs and of seriesWindowMs),
   * one starting at every fine step; the reference range is cut into windows this long (see settle.ts). */
  judgeWindowMs: number;
  /** Error-rate band half-width: this absolute tolerance plus 3 binomial sigmas (see settle.ts). */
  errorRateTolerance: number;
  /** p99 band tolerance: max(p99RelativeTolerance x top of the reference p99 range, p99AbsoluteToleranceMs). */
  p99RelativeTolerance: number;
  p99AbsoluteToleranceMs: number;
  /** The degraded steady state after an edge is measured over this last fraction of its horizon. */
  steadyStateFraction: number;
  /** Implementation, not a measure: windows stay live until the newest end time seen is this far past them. */
  closeAfterMs: number;
}

export const DEFAULT_PARAMETERS: AnalysisParameters = {
  seriesWindowMs: 1000,
  fineWindowMs: 100,
  transitionBeforeMs: 1000,
  transitionAfterMs: 5000,
  settleHorizonMs: 120_000,
  settleHoldMs: 2000,
  judgeWindowMs: 1000,
  errorRateTolerance: 0.02,
  p99RelativeTolerance: 0.5,
  // One-second p99s on a shared 2-core CI machine spike by 15-25 ms with no fault at all
  // (GC, scheduling); a smaller floor made a service that was settled look unsettled.
  p99AbsoluteToleranceMs: 25,
  steadyStateFraction: 0.5,
  closeAfterMs: 10_000,
};

export function resolveParameters(overrides: Partial<AnalysisParameters> = {}): AnalysisParameters {
  const p = { ...DEFAULT_PARAMETERS, ...overrides };
  const multiple = (ms: number) => Number.isInteger(ms / p.fineWindowMs);
  if (!(p.fineWindowMs > 0) || !multiple(p.transitionBeforeMs) || !multiple(p.transitionAfterMs) || !multiple(p.settleHoldMs)) {
    throw new RangeError('transitionBeforeMs, transitionAfterMs and settleHoldMs must be multiples of fineWindowMs');
  }
  // The baseline reference windows are made of whole `series` windows (settle.ts baselineBand).
  if (!(p.judgeWindowMs > 0) || !multiple(p.judgeWindowMs) || !(p.seriesWindowMs > 0) || !Number.isInteger(p.judgeWindowMs / p.seriesWindowMs)) {
    throw new RangeError('judgeWindowMs must be a positive multiple of fineWindowMs and of seriesWindowMs');
  }
  return p;
}
