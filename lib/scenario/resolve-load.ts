import { parseDurationMs } from './duration.ts';
import type { ResolvedLoad, ResolvedStep } from './resolved.ts';
import type { Duration, LoadDefinition, TimelineStep } from './types.ts';

// The one resolution of a scenario's load and timeline, with `--rate`/`--duration` applied.
// Both engines run what this returns: the built-in engine through validate.ts, and the k6
// bundle, which imports this file and calls it inside k6. So it imports nothing but pure
// code, and takes the definition as written (durations as strings or ms).

export interface LoadOverrides {
  /** `--rate`: replaces the rate (every stage's target, for a ramp). */
  rate?: number;
  /** `--duration` in ms: a shorter load is cut there; a longer one holds its last rate. */
  durationMs?: number;
}

export interface ResolvedPlan {
  load: ResolvedLoad;
  timeline: ResolvedStep[];
  /** What the overrides changed that a person should be told (a clipped or dropped step). */
  notes: string[];
}

/** k6's defaults: timeUnit 1s, 50 preallocated VUs, maxVUs = preAllocatedVUs, gracefulStop 30s. */
const DEFAULTS = { timeUnitMs: 1000, preAllocatedVUs: 50, gracefulStopMs: 30_000 };

const ms = (d: Duration | undefined, fallback: number) => (d === undefined ? fallback : parseDurationMs(d) ?? fallback);

/** The load's length as written, before any override. */
export function writtenLoadMs(load: LoadDefinition): number {
  return load.executor === 'constant-arrival-rate' ? ms(load.duration, 0) : load.stages.reduce((sum, s) => sum + ms(s.duration, 0), 0);
}

/** The load and timeline both engines run, from the scenario as written and the overrides. */
export function resolvePlan(load: LoadDefinition, timeline: TimelineStep[], overrides: LoadOverrides = {}): ResolvedPlan {
  const notes: string[] = [];
  const resolved = resolveLoad(load, overrides, notes);
  return { load: resolved, timeline: resolveTimeline(timeline, writtenLoadMs(load), resolved.durationMs, notes), notes };
}

function resolveLoad(l: LoadDefinition, { rate, durationMs }: LoadOverrides, notes: string[]): ResolvedLoad {
  const preAllocatedVUs = l.preAllocatedVUs ?? DEFAULTS.preAllocatedVUs;
  const common = {
    timeUnitMs: ms(l.timeUnit, DEFAULTS.timeUnitMs), preAllocatedVUs, maxVUs: l.maxVUs ?? preAllocatedVUs,
    gracefulStopMs: ms(l.gracefulStop, DEFAULTS.gracefulStopMs),
  };
  const written = l.executor === 'constant-arrival-rate'
    ? [{ target: rate ?? l.rate, durationMs: ms(l.duration, 0) }]
    : l.stages.map((s) => ({ target: rate ?? s.target, durationMs: ms(s.duration, 0) }));
  const startRate = l.executor === 'constant-arrival-rate' ? written[0]!.target : rate ?? l.startRate ?? 0;
  const stages = durationMs === undefined ? written : fitStages(written, durationMs, notes);
  return { executor: l.executor, ...common, startRate, stages, durationMs: stages.reduce((sum, s) => sum + s.durationMs, 0) };
}

/** Cuts the stages at `durationMs`, or holds the last stage's rate until then. */
function fitStages(stages: ResolvedLoad['stages'], durationMs: number, notes: string[]): ResolvedLoad['stages'] {
  const writtenMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (durationMs > writtenMs) {
    const last = stages[stages.length - 1]!;
    notes.push(`--duration ${durationMs}ms is longer than the scenario's load (${writtenMs}ms): the load holds its last rate (${last.target} per timeUnit) to the end; the timeline is as written`);
    return [...stages, { target: last.target, durationMs: durationMs - writtenMs }];
  }
  let left = durationMs;
  return stages.flatMap((s) => {
    const cut = Math.min(s.durationMs, left);
    left -= cut;
    return cut > 0 ? [{ ...s, durationMs: cut }] : [];
  });
}

/**
 * The steps in ms. A step without `for`/`until` lasts to the end of the load as written;
 * a load cut short clips the steps (or drops those that would start after its end).
 */
function resolveTimeline(steps: TimelineStep[], writtenMs: number, loadMs: number, notes: string[]): ResolvedStep[] {
  const resolved: ResolvedStep[] = [];
  steps.forEach((step, index) => {
    const atMs = ms(step.at, 0);
    const writtenUntil = step.until !== undefined ? ms(step.until, writtenMs) : step.for !== undefined ? atMs + ms(step.for, 0) : writtenMs;
    if (atMs >= loadMs) {
      notes.push(`timeline[${index}] (${step.fault.type} on ${stepTarget(step).target} at ${atMs}ms) dropped: the load now ends at ${loadMs}ms`);
      return;
    }
    const untilMs = Math.min(writtenUntil, loadMs);
    if (untilMs < writtenUntil) notes.push(`timeline[${index}] clipped to end at ${untilMs}ms with the load`);
    const ramp = (step.ramp ?? []).map((p) => ({ afterMs: ms(p.after, 0), attributes: p.attributes })).filter((p) => atMs + p.afterMs < untilMs);
    resolved.push({
      index, atMs, untilMs, ...stepTarget(step), fault: step.fault, toxicity: step.toxicity ?? 1, stream: step.stream ?? 'downstream', ramp,
    });
  });
  return resolved;
}

/** What a step acts on: its proxy, its process, or (a machine-wide step) the host. */
export function stepTarget(step: Pick<TimelineStep, 'proxy' | 'process'>): Pick<ResolvedStep, 'targetKind' | 'target'> {
  if (step.proxy !== undefined) return { targetKind: 'proxy', target: step.proxy };
  if (step.process !== undefined) return { targetKind: 'process', target: step.process };
  return { targetKind: 'host', target: 'host' };
}
