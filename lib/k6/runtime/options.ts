import type { LoadDefinition, ScenarioDefinition } from '../../scenario/types.ts';
import type { ResolvedLoad } from '../../scenario/resolved.ts';
import type { LoadOverrides } from '../../scenario/resolve-load.ts';
import { formatDuration } from '../../scenario/duration.ts';
import { k6Thresholds } from '../../scenario/k6-thresholds.ts';

// Pure mapping from a scenario's resolved load to k6 `options`. It runs inside k6 (in the
// bundle) and in Node (`faultline inspect`).

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

/** The k6 scenario of the resolved load (lib/scenario/resolve-load.ts, shared with the built-in engine). */
export function k6ScenarioFor(load: ResolvedLoad): K6ScenarioOptions {
  const shared = {
    timeUnit: formatDuration(load.timeUnitMs), preAllocatedVUs: load.preAllocatedVUs, maxVUs: load.maxVUs,
    gracefulStop: formatDuration(load.gracefulStopMs),
  };
  if (load.executor === 'constant-arrival-rate') {
    return { executor: load.executor, rate: load.startRate, duration: formatDuration(load.durationMs), ...shared };
  }
  return {
    executor: load.executor,
    startRate: load.startRate,
    stages: load.stages.map((s) => ({ target: s.target, duration: formatDuration(s.durationMs) })),
    ...shared,
  };
}

/**
 * `faultline run --rate/--duration` reach a k6 bundle as FAULTLINE_RATE (iterations per
 * timeUnit) and FAULTLINE_DURATION_MS; without them the scenario's load is used as written.
 */
export function loadOverrides(env: Record<string, string | undefined>): LoadOverrides {
  return {
    ...(env.FAULTLINE_RATE ? { rate: Number(env.FAULTLINE_RATE) } : {}),
    ...(env.FAULTLINE_DURATION_MS ? { durationMs: Number(env.FAULTLINE_DURATION_MS) } : {}),
  };
}

export function k6Options(def: ScenarioDefinition, load: ResolvedLoad): K6Options {
  return {
    scenarios: { [def.name]: k6ScenarioFor(load) },
    thresholds: k6Thresholds(def.slo),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'],
  };
}
