import type { SloResult, Summary } from './summary.ts';
import type { AnalysisState } from './state.ts';
import { parseMetricFilter } from '../scenario/metric-filter.ts';
import { decodeHistogram, percentileMs } from '../hdr/index.ts';
import type { ResolvedSlo } from '../scenario/resolved.ts';

// SLOs in k6 threshold syntax (`p(99)<250`, `rate<0.05`, `max<1s`) over
// - k6 metrics, optionally with a tag filter (`http_req_duration{name:verify}`):
//   http_req_duration (avg, min, max, med, p(N), count; ms), http_req_failed (rate = failed /
//   requests, as k6: dropped iterations are not requests), http_reqs and dropped_iterations
//   (count, rate per second of the run);
// - faultline measures: overall.<stat>, phase.<name>.<stat> (<name> a phase name such as
//   fault-1, or a kind, baseline/fault/recovery, for all phases of that kind),
//   transition.errorRate, transition.settleTime (ms), recovery.time (ms; off edges).
//   Where a measure has several values (one per transition or phase) the aggregation word
//   picks: min -> the smallest, avg/med -> the mean, count -> how many, anything else
//   (max, value, rate, p(N)) -> the worst (largest). A transition that never settled counts
//   as infinitely long: observed null, the condition fails. No value at all (no transition)
//   passes with a note; an unknown measure or phase fails with a note.
// Durations in a condition may carry a unit: `ms` (default), `s`, `m`.

export interface Threshold {
  aggregation: string;
  /** The percentile for `p(N)`. */
  percentile?: number;
  op: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  /** The limit, in ms when a unit was given. */
  limit: number;
}

const THRESHOLD = /^\s*(avg|min|max|med|count|rate|value|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|<|>|===|==|!=)\s*(-?\d+(?:\.\d+)?)(ms|s|m)?\s*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function parseThreshold(text: string): Threshold | null {
  const m = THRESHOLD.exec(text);
  if (!m) return null;
  const t: Threshold = { aggregation: m[2] === undefined ? m[1]! : 'p', op: m[3] as Threshold['op'], limit: Number(m[4]) * UNIT_MS[m[5] ?? 'ms']! };
  if (m[2] !== undefined) t.percentile = Number(m[2]);
  return t;
}

/** `single`: one value already aggregated as the threshold asks (k6 metrics, overall.*), taken as is. */
type Judged = { values: Array<number | null>; note?: string | undefined; single?: boolean } | { unknown: string };

export function evaluateSlos(slos: ResolvedSlo[], summary: Omit<Summary, 'slo' | 'verdict'>, state: AnalysisState): SloResult[] {
  const out: SloResult[] = [];
  for (const { measure, conditions } of slos) {
    for (const condition of conditions) {
      const t = parseThreshold(condition);
      const judged: Judged = t ? measureValues(measure, t, summary, state) : { unknown: 'not a k6 threshold' };
      out.push(judge(measure, condition, t, judged));
    }
  }
  return out;
}

function judge(measure: string, condition: string, t: Threshold | null, judged: Judged): SloResult {
  if (!t || 'unknown' in judged) return { measure, condition, observed: null, pass: false, note: 'unknown' in judged ? judged.unknown : 'not a k6 threshold' };
  const { values } = judged;
  if (values.length === 0) return { measure, condition, observed: null, pass: true, note: judged.note ?? 'nothing to judge' };
  const observed = judged.single ? (values[0] ?? Infinity) : aggregate(t, values.map((v) => (v === null ? Infinity : v)));
  if (!Number.isFinite(observed)) return { measure, condition, observed: null, pass: compare(Infinity, t), note: 'never settled' };
  const result: SloResult = { measure, condition, observed, pass: compare(observed, t) };
  if (judged.note) result.note = judged.note;
  return result;
}

function aggregate(t: Threshold, values: number[]): number {
  if (t.aggregation === 'count') return values.length;
  if (t.aggregation === 'min') return Math.min(...values);
  if (t.aggregation === 'avg' || t.aggregation === 'med') return values.reduce((a, b) => a + b, 0) / values.length;
  return Math.max(...values);
}

function compare(v: number, t: Threshold): boolean {
  switch (t.op) {
    case '<': return v < t.limit;
    case '<=': return v <= t.limit;
    case '>': return v > t.limit;
    case '>=': return v >= t.limit;
    case '!=': return v !== t.limit;
    default: return v === t.limit;
  }
}

const STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'errorRate'] as const;
type StatName = (typeof STATS)[number];

function measureValues(measure: string, t: Threshold, s: Omit<Summary, 'slo' | 'verdict'>, state: AnalysisState): Judged {
  const [head, ...rest] = measure.split('.');
  if (head === 'overall' && STATS.includes(rest[0] as StatName)) return { values: [s.overall[rest[0] as StatName]], single: true };
  if (head === 'phase' && rest.length === 2 && STATS.includes(rest[1] as StatName)) {
    const phases = s.phases.filter((p) => p.name === rest[0] || p.kind === rest[0]);
    return phases.length === 0 ? { unknown: `no phase named ${rest[0]}` } : { values: phases.map((p) => p[rest[1] as StatName]) };
  }
  const none = s.transitions.length ? undefined : 'no transitions';
  if (measure === 'transition.errorRate') return { values: s.transitions.map((x) => x.errorRate), note: none };
  if (measure === 'transition.settleTime') return { values: s.transitions.map((x) => x.settleTimeMs), note: none };
  if (measure === 'recovery.time') {
    const off = s.transitions.filter((x) => x.edge === 'off');
    return { values: off.map((x) => x.recoveryTimeMs), note: off.length ? undefined : 'no "off" transition' };
  }
  const k6 = k6Metric(measure, t, s, state);
  return 'values' in k6 ? { ...k6, single: true } : k6;
}

function k6Metric(measure: string, t: Threshold, s: Omit<Summary, 'slo' | 'verdict'>, state: AnalysisState): Judged {
  const { metric, filter } = parseMetricFilter(measure);
  const w = filter ? state.filters[filter.key] : state.overall;
  if (!w) return { unknown: `tag filter {${filter?.key}} was not tracked` };
  const seconds = s.durationMs / 1000;
  const a = t.aggregation;
  switch (metric) {
    case 'http_req_duration': {
      if (a === 'count') return { values: [w.requests] };
      if (w.requests === 0) return { values: [], note: 'no requests' };
      if (a === 'avg') return { values: [w.sumMs / w.requests] };
      if (a === 'min') return { values: [w.minMs] };
      if (a === 'max') return { values: [w.maxMs] };
      const p = a === 'med' ? 50 : a === 'p' ? t.percentile! : NaN;
      return Number.isNaN(p) ? { unknown: `${a} does not apply to a trend` } : { values: [percentileMs(decodeHistogram(w.histogram), p)] };
    }
    case 'http_req_failed':
      if (a !== 'rate' && a !== 'value') return { unknown: `${a} does not apply to a rate (use rate)` };
      return w.requests === 0 ? { values: [], note: 'no requests' } : { values: [w.errors / w.requests] };
    case 'http_reqs':
    case 'dropped_iterations': {
      const n = metric === 'http_reqs' ? w.requests : w.dropped;
      if (a === 'count') return { values: [n] };
      if (a === 'rate') return { values: [seconds > 0 ? n / seconds : 0] };
      return { unknown: `${a} does not apply to a counter (use count or rate)` };
    }
    default:
      return { unknown: `${metric} is not measured by faultline analyze` };
  }
}
