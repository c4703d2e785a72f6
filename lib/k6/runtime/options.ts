import type { LoadDefinition, ScenarioDefinition } from '../../scenario/types.ts';
import { formatDuration, parseDurationMs } from '../../scenario/duration.ts';

// Pure mapping from a scenario to k6 `options`. It runs inside k6 (in the bundle) and in
// Node (`faultline inspect`), so it uses the definition as written, not the resolved form.

export interface K6ScenarioOptions {
  executor: LoadDefinition['executor'] | 'shared-iterations';
  rate?: number;
  startRate?: number;
  timeUnit?: string;
  duration?: string;
  stages?: { target: number; duration: string }[];
  preAllocatedVUs?: number;
  maxVUs?: number;
  vus?: number;
  iterations?: number;
  maxDuration?: string;
  gracefulStop?: string;
  exec?: string;
}

export interface K6Options {
  scenarios: Record<string, K6ScenarioOptions>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
}

const duration = (d: string | number) => (typeof d === 'number' ? formatDuration(d) : d);

export function k6ScenarioFor(load: LoadDefinition): K6ScenarioOptions {
  const preAllocatedVUs = load.preAllocatedVUs ?? 50;
  const shared = {
    timeUnit: duration(load.timeUnit ?? '1s'),
    preAllocatedVUs,
    maxVUs: load.maxVUs ?? preAllocatedVUs,
    ...(load.gracefulStop !== undefined ? { gracefulStop: duration(load.gracefulStop) } : {}),
  };
  if (load.executor === 'constant-arrival-rate') {
    return { executor: load.executor, rate: load.rate, duration: duration(load.duration), ...shared };
  }
  return {
    executor: load.executor,
    startRate: load.startRate ?? 0,
    stages: load.stages.map((s) => ({ target: s.target, duration: duration(s.duration) })),
    ...shared,
  };
}

/** SLOs over k6's own metrics become k6 thresholds; faultline's measures (with a dot) are judged by analysis. */
export function k6Thresholds(slo: ScenarioDefinition['slo']): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const [measure, conditions] of Object.entries(slo ?? {})) {
    if (measure.includes('.')) continue;
    thresholds[measure] = (Array.isArray(conditions) ? conditions : [conditions]).map(withoutUnits);
  }
  return thresholds;
}

/** k6 thresholds take plain numbers in the metric's unit (ms for trends): `p(99)<1s` -> `p(99)<1000`. */
function withoutUnits(condition: string): string {
  return condition.replace(/(\d+(?:\.\d+)?)(ms|s|m)\s*$/, (_, n: string, unit: string) =>
    String(Number(n) * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1)));
}

/**
 * `faultline run --rate/--duration` reach a k6 bundle as FAULTLINE_RATE (iterations per
 * timeUnit) and FAULTLINE_DURATION_MS; without them the scenario's load is used as written.
 */
export function applyLoadOverrides(load: LoadDefinition, env: Record<string, string | undefined>): LoadDefinition {
  const rate = env.FAULTLINE_RATE ? Number(env.FAULTLINE_RATE) : undefined;
  const durationMs = env.FAULTLINE_DURATION_MS ? Number(env.FAULTLINE_DURATION_MS) : undefined;
  if (load.executor === 'constant-arrival-rate') {
    return { ...load, ...(rate ? { rate } : {}), ...(durationMs ? { duration: durationMs } : {}) };
  }
  let left = durationMs ?? Infinity;
  const stages = load.stages.flatMap((s) => {
    const ms = Math.min(left, typeof s.duration === 'number' ? s.duration : parseDurationMs(s.duration) ?? 0);
    left -= ms;
    return ms > 0 ? [{ target: rate ?? s.target, duration: ms }] : [];
  });
  return { ...load, stages, ...(rate ? { startRate: rate } : {}) };
}

export function k6Options(def: ScenarioDefinition, env: Record<string, string | undefined> = {}): K6Options {
  return {
    scenarios: { [def.name]: k6ScenarioFor(applyLoadOverrides(def.load, env)) },
    thresholds: k6Thresholds(def.slo),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'],
  };
}
