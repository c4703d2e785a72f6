import type { ResolvedStep } from '../scenario/resolved.ts';
import { EVENTS_SCHEMA_VERSION, iso, planTimeline, type EventsFile } from '../timeline/index.ts';

/**
 * events.json for a run where no side controller recorded the fault calls
 * (`faultline build --timeline-in-k6`, distributed k6): every call placed at its scheduled
 * offset from t0, the first request's send time (the earliest over the files of a
 * distributed run), since k6 starts the timeline scenario with the load. Applied times and
 * skew were not measured: the summary warns.
 */
export function eventsFromSchedule(t0EpochMs: number, steps: ResolvedStep[]): EventsFile {
  const events = planTimeline(steps).map((a) => {
    const at = iso(t0EpochMs + a.atMs);
    return {
      edge: a.kind === 'off' ? ('off' as const) : ('on' as const), proxy: a.step.target, type: a.step.fault.type,
      attributes: a.attributes, step: a.step.index, kind: a.kind === 'ramp' ? ('ramp' as const) : ('edge' as const),
      toxicity: a.step.toxicity, stream: a.step.stream,
      scheduledAt: at, sentAt: at, appliedAt: at, scheduledMs: a.atMs, sentMs: a.atMs, appliedMs: a.atMs,
    };
  });
  return { schemaVersion: EVENTS_SCHEMA_VERSION, t0: iso(t0EpochMs), events, derivedFrom: 'schedule' };
}

export const SCHEDULE_WARNING = 'no events.json: transitions are placed on the scenario\'s schedule from t0 = the first request sent (the earliest in any samples file; as a --timeline-in-k6 run switches them); applied times and skew were not measured';
