import type { SloResult, Summary, Transition } from '../analysis/summary.ts';

// Which SLO results fail a given transition. summary.json judges transition measures
// (`transition.errorRate`, `transition.settleTime`, `recovery.time`) as one result per
// measure and condition, usually an aggregate like `max<0.05` over every transition. To say
// WHICH transition broke it, each transition's own value is held against the same
// condition: for `max`, `value` and `rate` that is exactly "this transition exceeded it".
// A result that names its transition (a numeric `transition` index field, or a measure like
// `transition[2].errorRate`) is used as given.

const THRESHOLD = /^\s*(avg|min|max|med|count|rate|value|p\(\d+(?:\.\d+)?\))\s*(<=|>=|<|>|===|==|!=)\s*(-?\d+(?:\.\d+)?)(ms|s|m)?\s*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

type Measure = 'errorRate' | 'settle' | 'recovery';

function measureOf(measure: string): { kind: Measure; index: number | null } | null {
  const m = /^(transition|recovery)(?:\[(\d+)\])?\.(errorRate|settleTime|time)$/.exec(measure);
  if (!m) return null;
  const index = m[2] === undefined ? null : Number(m[2]);
  if (m[1] === 'recovery') return { kind: 'recovery', index };
  return { kind: m[3] === 'errorRate' ? 'errorRate' : 'settle', index };
}

/** The SLO results that fail transition `index` of the summary, with a reason each. */
export function transitionSloFailures(summary: Pick<Summary, 'slo' | 'transitions'>, index: number): string[] {
  const transition = summary.transitions[index];
  if (!transition) return [];
  const reasons: string[] = [];
  for (const result of summary.slo) {
    const measure = measureOf(result.measure);
    if (!measure) continue;
    if (measure.kind === 'recovery' && transition.edge !== 'off') continue;
    const named = (result as SloResult & { transition?: unknown }).transition;
    const target = typeof named === 'number' ? named : measure.index;
    if (target !== null) {
      if (target === index && !result.pass) reasons.push(`${result.measure} ${result.condition}`);
      continue;
    }
    if (result.pass) continue; // an aggregate that passed passed for each transition too
    if (violates(result.condition, valueOf(transition, measure.kind))) reasons.push(`${result.measure} ${result.condition}`);
  }
  return reasons;
}

function valueOf(t: Transition, kind: Measure): number | null {
  if (kind === 'errorRate') return t.errorRate;
  return kind === 'recovery' ? t.recoveryTimeMs : t.settleTimeMs;
}

/** Whether `value` breaks the condition; null (never settled) counts as infinitely long. */
export function violates(condition: string, value: number | null): boolean {
  const m = THRESHOLD.exec(condition);
  if (!m) return false; // not a comparison we can hold one value against
  const v = value ?? Infinity; // never settled: infinitely long, as analysis judges it
  const limit = Number(m[3]) * (m[4] ? (UNIT_MS[m[4]] ?? 1) : 1);
  switch (m[2]) {
    case '<': return !(v < limit);
    case '<=': return !(v <= limit);
    case '>': return !(v > limit);
    case '>=': return !(v >= limit);
    case '==': case '===': return v !== limit;
    case '!=': return v === limit;
    default: return false;
  }
}
