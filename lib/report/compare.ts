import { mannWhitneyGreater, mannWhitneyLess } from './mann-whitney.ts';
import type { ComparableRun } from './summary-input.ts';
import { beyondTolerance, DEFAULT_TOLERANCES, type ToleranceKey, type Tolerances } from './tolerance.ts';

// The comparison of a run with a baseline (README "Comparing with a baseline").
//
// Method. For each measure (overall p50/p95/p99, error rate and achieved rate; per phase p99
// and error rate; per transition error rate and settle time) a difference is a REGRESSION
// only when it is
//   1. beyond the tolerance: worse by more than max(relative x baseline, absolute floor)
//      (defaults in tolerance.ts, overridable with --tolerance), AND
//   2. beyond the run's own noise: the per-second windows of the run (summary.series, the
//      same percentile or the error rate or the request rate; for a phase, the windows that
//      start inside it) are stochastically worse than the baseline's windows by a one-sided
//      Mann-Whitney U test at `alpha` (default 0.05), as canary analysis (Kayenta) does.
// A difference beyond the tolerance that the test cannot tell from noise is reported as
// "within noise" and passes. Transitions have one value per run, so they are judged on the
// tolerance alone; so is any measure with fewer than `minWindows` windows on a side. A
// transition that settled in the baseline and never settled now is a regression. Measures
// present on one side only (a renamed phase, a new fault) are listed and do not fail.

export type Unit = 'ms' | 'fraction' | 'req/s';
export type RowVerdict = 'ok' | 'regression' | 'better' | 'noise' | 'missing' | 'new';

export interface ComparisonRow {
  measure: string;
  unit: Unit;
  baseline: number | null;
  now: number | null;
  verdict: RowVerdict;
  /** One-sided Mann-Whitney p-value, when the noise test ran. */
  p: number | null;
  /** Why: "tolerance only", "never settled", ... */
  note?: string;
}

export interface CompareOptions {
  tolerances?: Tolerances;
  /** Significance level of the noise test. */
  alpha?: number;
  /** Fewest windows per side for the noise test; below it, tolerance alone decides. */
  minWindows?: number;
}

export interface Comparison {
  rows: ComparisonRow[];
  regressions: ComparisonRow[];
  tolerances: Tolerances;
  alpha: number;
}

type Series = ComparableRun['series'];
type Num = number | null | undefined;
interface Spec {
  measure: string; unit: Unit; key: ToleranceKey; worseWhen: 'higher' | 'lower';
  baseline: Num; now: Num; windows?: { baseline: number[]; now: number[] }; nullIsWorst?: boolean;
}

const STAT_WINDOWS = {
  p50: (s: Series) => pick(s, (p) => ((p.requests ?? 0) > 0 ? p.p50 : null)),
  p95: (s: Series) => pick(s, (p) => ((p.requests ?? 0) > 0 ? p.p95 : null)),
  p99: (s: Series) => pick(s, (p) => ((p.requests ?? 0) > 0 ? p.p99 : null)),
  errorRate: (s: Series) => pick(s, (p) => ((p.requests ?? 0) + (p.dropped ?? 0) > 0 ? p.errorRate : null)),
  rate: (s: Series) => pick(s, (p) => (p.windowMs > 0 ? ((p.requests ?? 0) * 1000) / p.windowMs : null)),
};

function pick(series: Series, f: (p: Series[number]) => Num): number[] {
  const out: number[] = [];
  for (const p of series) { const v = f(p); if (typeof v === 'number' && Number.isFinite(v)) out.push(v); }
  return out;
}

export function compareRuns(now: ComparableRun, baseline: ComparableRun, options: CompareOptions = {}): Comparison {
  const tolerances = options.tolerances ?? DEFAULT_TOLERANCES;
  const alpha = options.alpha ?? 0.05;
  const minWindows = options.minWindows ?? 3;
  const specs = [...overallSpecs(now, baseline), ...transitionSpecs(now, baseline), ...phaseSpecs(now, baseline)];
  const rows = specs.map((s) => judge(s, tolerances, alpha, minWindows));
  return { rows, regressions: rows.filter((r) => r.verdict === 'regression'), tolerances, alpha };
}

function overallSpecs(now: ComparableRun, base: ComparableRun): Spec[] {
  const stat = (k: 'p50' | 'p95' | 'p99' | 'errorRate'): Spec => ({
    measure: k === 'errorRate' ? 'overall error rate' : `overall ${k}`, unit: k === 'errorRate' ? 'fraction' : 'ms', key: k, worseWhen: 'higher',
    baseline: base.overall[k], now: now.overall[k], windows: { baseline: STAT_WINDOWS[k](base.series), now: STAT_WINDOWS[k](now.series) },
  });
  return [stat('p50'), stat('p95'), stat('p99'), stat('errorRate'), {
    measure: 'achieved rate', unit: 'req/s', key: 'rate', worseWhen: 'lower', baseline: base.load.achievedRate, now: now.load.achievedRate,
    windows: { baseline: STAT_WINDOWS.rate(base.series), now: STAT_WINDOWS.rate(now.series) },
  }];
}

function phaseSpecs(now: ComparableRun, base: ComparableRun): Spec[] {
  const names = unique([...base.phases.map((p) => p.name), ...now.phases.map((p) => p.name)]);
  return names.flatMap((name) => {
    const b = base.phases.find((p) => p.name === name);
    const n = now.phases.find((p) => p.name === name);
    const inside = (run: ComparableRun, p: typeof b) => (p ? run.series.filter((w) => w.tMs >= p.startMs && w.tMs < p.endMs) : []);
    return (['p99', 'errorRate'] as const).map((k): Spec => ({
      measure: `phase ${name} ${k === 'errorRate' ? 'error rate' : k}`, unit: k === 'errorRate' ? 'fraction' : 'ms', key: k, worseWhen: 'higher',
      baseline: b ? b[k] : null, now: n ? n[k] : null,
      windows: { baseline: STAT_WINDOWS[k](inside(base, b)), now: STAT_WINDOWS[k](inside(now, n)) },
    }));
  });
}

/** Transitions pair up by edge, proxy and fault type, in order of time. */
function transitionSpecs(now: ComparableRun, base: ComparableRun): Spec[] {
  const keyed = (run: ComparableRun) => {
    const seen = new Map<string, number>();
    return run.transitions.map((t) => {
      const kind = `${t.edge}${t.kind && t.kind !== 'edge' ? ` (${t.kind})` : ''} ${t.proxy}:${t.type}`;
      const n = (seen.get(kind) ?? 0) + 1;
      seen.set(kind, n);
      return { key: `${kind} #${n}`, t };
    });
  };
  const b = keyed(base);
  const n = keyed(now);
  return unique([...b.map((x) => x.key), ...n.map((x) => x.key)]).flatMap((key): Spec[] => {
    const bt = b.find((x) => x.key === key)?.t;
    const nt = n.find((x) => x.key === key)?.t;
    const absent = (t: typeof bt) => (t ? undefined : null); // a missing transition, not a "never settled" one
    return [
      { measure: `transition ${key} error rate`, unit: 'fraction', key: 'errorRate', worseWhen: 'higher', baseline: bt?.errorRate ?? null, now: nt?.errorRate ?? null },
      { measure: `transition ${key} settle time`, unit: 'ms', key: 'settle', worseWhen: 'higher', nullIsWorst: Boolean(bt && nt),
        baseline: bt ? bt.settleTimeMs : absent(bt), now: nt ? nt.settleTimeMs : absent(nt) },
    ];
  });
}

function judge(s: Spec, tolerances: Tolerances, alpha: number, minWindows: number): ComparisonRow {
  const row = (verdict: RowVerdict, p: number | null = null, note?: string): ComparisonRow =>
    ({ measure: s.measure, unit: s.unit, baseline: s.baseline ?? null, now: s.now ?? null, verdict, p, ...(note ? { note } : {}) });
  const { baseline, now } = s;
  if (baseline == null || now == null) {
    if (s.nullIsWorst) {
      if (baseline == null && now == null) return row('ok', null, 'never settled in either run');
      return baseline == null ? row('better', null, 'settled now, never in the baseline') : row('regression', null, 'never settled');
    }
    if (baseline == null && now == null) return row('ok', null, 'no data');
    return baseline == null ? row('new', null, 'not in the baseline') : row('missing', null, 'not in this run');
  }
  const tol = tolerances[s.key];
  const worse = beyondTolerance(baseline, now, tol, s.worseWhen);
  const better = beyondTolerance(baseline, now, tol, s.worseWhen === 'higher' ? 'lower' : 'higher');
  if (!worse && !better) return row('ok');
  const w = s.windows;
  if (!w || w.baseline.length < minWindows || w.now.length < minWindows) {
    return row(worse ? 'regression' : 'better', null, w ? `tolerance only: fewer than ${minWindows} windows` : 'tolerance only');
  }
  // One-sided in the direction of the observed change: is this run's window distribution shifted that way?
  const towardsHigher = (worse && s.worseWhen === 'higher') || (better && s.worseWhen === 'lower');
  const { p } = towardsHigher ? mannWhitneyGreater(w.now, w.baseline) : mannWhitneyLess(w.now, w.baseline);
  if (p >= alpha) return row(worse ? 'noise' : 'ok', p);
  return row(worse ? 'regression' : 'better', p);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
