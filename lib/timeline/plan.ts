import type { ResolvedStep } from '../scenario/resolved.ts';

/** One call to make on the fault API, at an offset from t0. */
export interface PlannedAction {
  atMs: number;
  step: ResolvedStep;
  /** `on`: add the toxic (or disable the proxy); `ramp`: change its attributes; `off`: remove it. */
  kind: 'on' | 'ramp' | 'off';
  /** Attributes to send (the full set for `on`, the changed ones for `ramp`). */
  attributes: Record<string, number>;
}

const ORDER = { off: 0, on: 1, ramp: 2 } as const;

/**
 * Turns the timeline into a list of actions sorted by time. At the same instant `off`
 * comes before `on`, so a fault that ends where the next begins never overlaps it.
 */
export function planTimeline(steps: ResolvedStep[]): PlannedAction[] {
  const actions: PlannedAction[] = [];
  for (const step of steps) {
    actions.push({ atMs: step.atMs, step, kind: 'on', attributes: { ...step.fault.attributes } });
    for (const point of step.ramp) {
      actions.push({ atMs: step.atMs + point.afterMs, step, kind: 'ramp', attributes: { ...point.attributes } });
    }
    actions.push({ atMs: step.untilMs, step, kind: 'off', attributes: {} });
  }
  return actions.sort((a, b) => a.atMs - b.atMs || ORDER[a.kind] - ORDER[b.kind] || a.step.index - b.step.index);
}

/** The name faultline gives a step's toxic: the prefix marks it as ours for cleanup. */
export const TOXIC_PREFIX = 'faultline_';
export const toxicName = (step: ResolvedStep) => `${TOXIC_PREFIX}${step.index}_${step.fault.type}_${step.stream}`;

/** The `name` tag of the in-k6 timeline's own Toxiproxy calls, so analysis can leave them out of the load. */
export const TIMELINE_REQUEST_NAME = 'faultline-timeline';
