import { readFile } from 'node:fs/promises';
import { InvalidInputError, type InputProblem } from '../errors.ts';
import { loadScenarioFile, parseDurationMs, resolveScenario } from '../scenario/index.ts';
import type { ResolvedLoad, ResolvedScenario, ResolvedSlo, ResolvedStep } from '../scenario/resolved.ts';
import { parseThreshold } from './slo.ts';

// What analysis needs from a scenario: its name, target, asked rate and SLOs. It comes
// from a resolved scenario (in-process, `faultline run`), a scenario file (.ts/.js), or the
// `scenario.json` a run saves in its folder ({ name, slo: { measure: string[] }, ... }).

export interface ScenarioInfo {
  name: string;
  target?: string;
  /** Iterations per second the load asked for on average; null when unknown. */
  targetRate: number | null;
  slo: ResolvedSlo[];
  /** The fault timeline, when known: it places transitions for runs without events.json. */
  timeline?: ResolvedStep[];
}

export function scenarioInfoFromResolved(s: ResolvedScenario): ScenarioInfo {
  return { name: s.name, target: s.baseUrl, targetRate: askedRate(s.load), slo: s.slo, timeline: s.timeline };
}

/** `scenario.json` or a scenario module, by extension. */
export async function readScenarioInfo(file: string): Promise<ScenarioInfo> {
  if (!file.endsWith('.json')) {
    const definition = await loadScenarioFile(file);
    try {
      return scenarioInfoFromResolved(resolveScenario(definition).scenario);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError(`invalid scenario ${file}`, error.problems);
      throw error;
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read scenario ${file}`, [{ path: file, value: (error as Error).message, expected: 'a readable scenario.json' }]);
  }
  return scenarioInfoFromJson(doc, file);
}

export function scenarioInfoFromJson(doc: unknown, subject = 'scenario.json'): ScenarioInfo {
  const d = (doc ?? {}) as { name?: unknown; baseUrl?: unknown; target?: { baseUrl?: unknown }; slo?: unknown; load?: unknown };
  const problems: InputProblem[] = [];
  if (typeof d.name !== 'string') problems.push({ path: 'name', value: d.name, expected: 'the scenario name' });
  const slo: ResolvedSlo[] = [];
  const entries = Array.isArray(d.slo) ? (d.slo as ResolvedSlo[]).map((s) => [s.measure, s.conditions] as const) : Object.entries((d.slo ?? {}) as Record<string, unknown>);
  for (const [measure, value] of entries) {
    const conditions = Array.isArray(value) ? value : [value];
    if (!conditions.every((c) => typeof c === 'string' && parseThreshold(c) !== null)) {
      problems.push({ path: `slo.${measure}`, value, expected: 'k6 thresholds such as p(99)<250 or rate<0.05' });
    } else slo.push({ measure, conditions: conditions as string[] });
  }
  if (problems.length > 0) throw new InvalidInputError(`invalid ${subject}`, problems);
  const target = typeof d.baseUrl === 'string' ? d.baseUrl : typeof d.target?.baseUrl === 'string' ? d.target.baseUrl : undefined;
  const info: ScenarioInfo = { name: d.name as string, targetRate: loadRate(d.load), slo };
  if (target !== undefined) info.target = target;
  return info;
}

/** Average iterations/s asked: total iterations of all stages over their duration. */
export function askedRate(load: Pick<ResolvedLoad, 'startRate' | 'timeUnitMs' | 'stages'>): number | null {
  let iterations = 0;
  let durationMs = 0;
  let from = load.startRate;
  for (const stage of load.stages) {
    iterations += ((from + stage.target) / 2) * (stage.durationMs / load.timeUnitMs);
    durationMs += stage.durationMs;
    from = stage.target;
  }
  return durationMs > 0 ? (iterations * 1000) / durationMs : null;
}

/** The asked rate from a saved load, resolved (`timeUnitMs`) or as written (`rate`, `timeUnit`). */
function loadRate(load: unknown): number | null {
  const l = (load ?? {}) as Partial<ResolvedLoad> & { rate?: unknown };
  if (typeof l.startRate === 'number' && typeof l.timeUnitMs === 'number' && Array.isArray(l.stages)) return askedRate(l as ResolvedLoad);
  const timeUnitMs = parseDurationMs((l as { timeUnit?: string | number }).timeUnit ?? '1s');
  return typeof l.rate === 'number' && timeUnitMs ? (l.rate * 1000) / timeUnitMs : null;
}
