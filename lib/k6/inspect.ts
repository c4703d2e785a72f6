import type { ScenarioDefinition } from '../scenario/types.ts';
import { resolvePlan } from '../scenario/resolve-load.ts';
import { k6Options } from './runtime/options.ts';

// `k6 inspect` prints every option k6 knows, null where unset (recorded from k6 v0.49 in
// test/fixtures/k6/run-with-errors.inspect.json). faultline prints the same shape for a scenario.
const UNSET_OPTIONS = [
  'paused', 'vus', 'duration', 'iterations', 'stages', 'scenarios', 'executionSegment',
  'executionSegmentSequence', 'noSetup', 'setupTimeout', 'noTeardown', 'teardownTimeout', 'rps',
  'dns', 'maxRedirects', 'userAgent', 'batch', 'batchPerHost', 'httpDebug', 'insecureSkipTLSVerify',
  'tlsCipherSuites', 'tlsVersion', 'tlsAuth', 'throw', 'thresholds', 'blacklistIPs', 'blockHostnames',
  'hosts', 'noConnectionReuse', 'noVUConnectionReuse', 'minIterationDuration', 'ext', 'summaryTrendStats',
  'summaryTimeUnit', 'systemTags', 'tags', 'metricSamplesBufferSize', 'noCookiesReset', 'discardResponseBodies',
] as const;

export function k6InspectOutput(def: ScenarioDefinition): Record<string, unknown> {
  const options = k6Options(def, resolvePlan(def.load, def.timeline ?? []).load);
  const out: Record<string, unknown> = Object.fromEntries(UNSET_OPTIONS.map((key) => [key, null]));
  out.dns = { ttl: null, select: null, policy: null };
  out.scenarios = Object.fromEntries(
    Object.entries(options.scenarios).map(([name, s]) => {
      const { executor, ...rest } = s;
      return [name, { executor, startTime: null, gracefulStop: null, env: null, exec: null, tags: null, ...rest }];
    }),
  );
  out.thresholds = Object.keys(options.thresholds).length ? options.thresholds : null;
  out.summaryTrendStats = options.summaryTrendStats;
  return out;
}
