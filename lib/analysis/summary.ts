import type { FaultType } from '../scenario/types.ts';
import type { AnalysisParameters } from './parameters.ts';

// summary.json: the machine-readable result of a run. The JSON Schema beside this file
// (summary.schema.json) describes the same shape; bump SUMMARY_SCHEMA_VERSION on any change
// that is not a pure addition. Times are milliseconds, rates are fractions (0..1).
// Fields marked optional were added after version 1 was fixed: `faultline analyze` always
// writes them, older summaries and hand-made fixtures may lack them.

export const SUMMARY_SCHEMA_VERSION = 1;

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Counts {
  /** Requests sent (completed, ok or not). */
  requests: number;
  /** Requests that failed (`http_req_failed` = 1). */
  errors: number;
  /** Iterations the engine could not start (k6's dropped_iterations). */
  dropped: number;
  /** (errors + dropped) / (requests + dropped): dropped iterations count as failures. */
  errorRate: number;
}

export type Stats = Percentiles & Counts;

export interface Phase extends Stats {
  /** `baseline`, `fault-1`, `recovery-1`, ... */
  name: string;
  kind: 'baseline' | 'fault' | 'recovery';
  /** Offsets from t0. */
  startMs: number;
  endMs: number;
  /** The faults on during this phase, as `proxy:type`. */
  faults: string[];
}

export interface SeriesPoint extends Stats {
  /** Window start, offset from t0. */
  tMs: number;
  windowMs: number;
}

export interface Transition {
  edge: 'on' | 'off';
  /** `edge`: switched on/off; `ramp`: attributes of a fault already on changed; `cleanup`: removed early. */
  kind?: 'edge' | 'ramp' | 'cleanup';
  /** Index of the step in the scenario's timeline. */
  step?: number;
  proxy: string;
  type: FaultType;
  /** ISO time of the edge (the fault's applied time). */
  at: string;
  /** Offset of the edge from t0. */
  atMs: number;
  /** The transition window, offsets from t0: [atMs - transitionBeforeMs, atMs + transitionAfterMs). */
  windowStartMs?: number;
  windowEndMs?: number;
  /** Error rate over the transition window around the edge (dropped iterations count as failures). */
  errorRate: number;
  requests: number;
  errors: number;
  dropped: number;
  /** Time from the edge until the service settled (see README "Measures"); null when it never did. */
  settleTimeMs: number | null;
  /** For `off` edges: the recovery time (= settleTimeMs); null otherwise or if never recovered. */
  recoveryTimeMs: number | null;
  /** Applied minus scheduled time of the fault API call. */
  skewMs: number | null;
  /** Length of the settle horizon from the edge (see README "Measures"). */
  settleHorizonMs?: number;
  /**
   * What the service had to settle into; null when there was no data to define it.
   * errorRate and p99Ms: the reference period as a whole; the *Lo/*Hi ranges: of its
   * judgeWindowMs-long windows, which the band is built on (see README "Measures").
   */
  band?: {
    source: 'baseline' | 'steady-state';
    errorRate: number;
    p99Ms: number;
    sides: 'upper' | 'both';
    p99LoMs?: number;
    p99HiMs?: number;
    errorRateLo?: number;
    errorRateHi?: number;
  } | null;
}

export interface SloResult {
  measure: string;
  /** The k6 threshold expression, e.g. `p(99)<250`. */
  condition: string;
  /** The observed value the condition was judged on; null when there was nothing to judge. */
  observed: number | null;
  pass: boolean;
  /** Why there was nothing (or nothing valid) to judge, when that is the case. */
  note?: string;
}

/** A watched process's vital signs over a span (the run, or one phase), from vitals.json. */
export interface VitalsStats {
  /** Mean and largest CPU share of the span's samples, in cores (1 = one core busy throughout); null without a sample. */
  cpuCoresMean: number | null;
  cpuCoresMax: number | null;
  /** Mean and largest resident set size (VmRSS), bytes; null without a sample. */
  rssBytesMean: number | null;
  rssBytesMax: number | null;
  /** Seconds the process was not found (it was stopped, or being restarted): samples with faultline_process_up = 0, one a second. */
  downSeconds: number;
  /** Samples taken in the span (faultline_process_up points, found or not). */
  samples: number;
}

export interface ProcessVitals {
  /** The process's name in the scenario (the points' `process` tag). */
  process: string;
  overall: VitalsStats;
  /** One per phase, in the order of `phases`. */
  phases: Array<VitalsStats & { phase: string }>;
  /** Per seriesWindowMs window from the first sample to the last: means, null where there was none. */
  series: Array<{ tMs: number; cpuCores: number | null; rssBytes: number | null; up: number | null }>;
}

export interface Summary {
  schemaVersion: number;
  scenario: { name: string; target?: string };
  engine: { name: string; version?: string };
  versions: Record<string, string>;
  /** ISO time of the load's start (t0) and the analysed span. */
  startedAt: string;
  durationMs: number;
  load: { targetRate: number; achievedRate: number; requests: number; dropped: number };
  overall: Stats;
  phases: Phase[];
  /** Per-second windows. */
  series: SeriesPoint[];
  transitions: Transition[];
  slo: SloResult[];
  verdict: 'pass' | 'fail';
  /** What the reader should know about the data (coarse timestamps, skipped lines, ...). */
  warnings: string[];
  /**
   * The parameters the measures were computed with (defaults in lib/analysis/parameters.ts).
   * judgeWindowMs came later: summaries written before it lack it.
   */
  parameters?: Omit<AnalysisParameters, 'judgeWindowMs'> & Partial<Pick<AnalysisParameters, 'judgeWindowMs'>>;
  /** The samples files read. */
  inputs?: Array<{ file: string; format: string; lines: number; requests: number; skippedLines: number }>;
  /** The watched processes' CPU and memory (vitals.json), by process; empty when there was none. */
  vitals?: ProcessVitals[];
}
