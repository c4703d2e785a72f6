import { InvalidInputError, type InputProblem } from '../errors.ts';

// How much worse a measure may get before compare calls it a regression. A change counts
// only when it exceeds BOTH the relative part (of the baseline's value) and the absolute
// floor: 10% of a 2 ms p50 is 0.2 ms, less than a scheduler hiccup, so the floor decides
// there; 1 ms on a 400 ms p99 is nothing, so the 10% decides there.

export type ToleranceKey = 'p50' | 'p95' | 'p99' | 'errorRate' | 'rate' | 'settle';

export interface Tolerance {
  /** Fraction of the baseline value (0.1 = 10%). */
  relative: number;
  /** In the measure's unit: ms for latencies and settle times, a fraction for error rates, req/s for rate. */
  absolute: number;
}

export type Tolerances = Record<ToleranceKey, Tolerance>;

export const DEFAULT_TOLERANCES: Readonly<Tolerances> = Object.freeze({
  // Latency floors: back-to-back runs of the same build on a shared 2-core machine moved a
  // phase's p99 from 6.9 to 13 ms, so differences of a few milliseconds are machine noise,
  // not findings a nightly chaos job should fail on.
  p50: { relative: 0.2, absolute: 2 },
  p95: { relative: 0.2, absolute: 5 },
  p99: { relative: 0.25, absolute: 10 },
  // Error rates: 1 percentage point; a relative part would make 0.1% -> 0.2% a "+100%" failure.
  errorRate: { relative: 0, absolute: 0.01 },
  // Achieved rate (lower is worse): 5%, and at least 1 req/s.
  rate: { relative: 0.05, absolute: 1 },
  // Settle and recovery times are found window by window (100 ms to 1 s), so one window of
  // jitter must not fail a build: 20% and at least 500 ms.
  settle: { relative: 0.2, absolute: 500 },
});

const KEYS = Object.keys(DEFAULT_TOLERANCES) as ToleranceKey[];
const TIME_KEYS: ReadonlySet<ToleranceKey> = new Set(['p50', 'p95', 'p99', 'settle']);
const SPEC_WORDS = 'KEY=VALUE[,KEY=VALUE...] with KEY one of p50, p95, p99, errorRate, rate, settle and VALUE a relative "15%" or an absolute floor ("2ms", "1s", "0.02", "2pp")';

/**
 * Parses `--tolerance p99=15%,p99=2ms,errorRate=0.02` over the defaults. `%` sets the
 * relative part; anything else sets the absolute floor: a number in the measure's unit,
 * `ms`/`s` for times, `pp` (percentage points) for error rates.
 */
export function parseTolerances(spec: string | undefined, base: Readonly<Tolerances> = DEFAULT_TOLERANCES): Tolerances {
  const result = Object.fromEntries(KEYS.map((k) => [k, { ...base[k] }])) as Tolerances;
  if (spec === undefined || spec.trim() === '') return result;
  const problems: InputProblem[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)\s*=\s*(\d+(?:\.\d+)?)\s*(%|ms|s|pp)?$/.exec(item);
    const key = m?.[1] as ToleranceKey | undefined;
    if (!m || !key || !KEYS.includes(key)) { problems.push({ path: '--tolerance', value: item, expected: SPEC_WORDS }); continue; }
    const value = Number(m[2]);
    const unit = m[3];
    if (unit === '%') result[key].relative = value / 100;
    else if ((unit === 'ms' || unit === 's') && TIME_KEYS.has(key)) result[key].absolute = unit === 's' ? value * 1000 : value;
    else if (unit === 'pp' && key === 'errorRate') result[key].absolute = value / 100;
    else if (unit === undefined) result[key].absolute = value;
    else problems.push({ path: '--tolerance', value: item, expected: `a unit that fits ${key} (${TIME_KEYS.has(key) ? '%, ms or s' : key === 'errorRate' ? '%, pp or a fraction' : '% or a number'})` });
  }
  if (problems.length) throw new InvalidInputError('invalid --tolerance', problems);
  return result;
}

/** Whether `now` is worse than `baseline` by more than the tolerance, in the given direction. */
export function beyondTolerance(baseline: number, now: number, tol: Tolerance, worseWhen: 'higher' | 'lower'): boolean {
  const worse = worseWhen === 'higher' ? now - baseline : baseline - now;
  return worse > Math.max(tol.relative * Math.abs(baseline), tol.absolute);
}

/** The tolerances as one line, for the compare output. */
export function describeTolerances(t: Readonly<Tolerances>): string {
  const part = (k: ToleranceKey, unit: string, scale = 1) => `${k} +${Math.round(t[k].relative * 1000) / 10}%/${t[k].absolute * scale}${unit}`;
  return [part('p50', 'ms'), part('p95', 'ms'), part('p99', 'ms'), `errorRate +${t.errorRate.relative * 100}%/${Math.round(t.errorRate.absolute * 10000) / 100}pp`,
    `rate -${t.rate.relative * 100}%/${t.rate.absolute}req/s`, part('settle', 'ms')].join(', ');
}
