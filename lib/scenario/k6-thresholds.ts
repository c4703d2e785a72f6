import type { ScenarioDefinition } from './types.ts';

// Which SLOs are k6 thresholds, in k6's form. Pure: the k6 bundle's options and the built-in
// engine's Metric lines (both engines hand k6's outputs the same thresholds) come from here.

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
