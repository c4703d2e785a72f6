import type { ResolvedLoad } from '../scenario/resolved.ts';
import { countBelow, type ArrivalSchedule, type Executor } from './executor.ts';

// k6's ramping-arrival-rate: the rate (iterations per `timeUnit`) moves linearly from
// `startRate` to each stage's `target` over the stage's duration. Iteration i is due when
// the area under the rate curve since t0 reaches i.

interface Ramp {
  startMs: number;
  durationMs: number;
  /** Rates in iterations per millisecond at the ramp's start and end. */
  fromPerMs: number;
  toPerMs: number;
  /** Iterations due before the ramp starts (the area so far; fractional). */
  countBefore: number;
  countAfter: number;
}

export const rampingArrivalRate: Executor = {
  name: 'ramping-arrival-rate',

  // Any valid load can ramp: its rules (rates >= 0, stage durations) are the scenario schema's.
  validate() {
    return [];
  },

  schedule(load: ResolvedLoad): ArrivalSchedule {
    const ramps = toRamps(load);
    const last = ramps[ramps.length - 1];
    let at = 0;
    return {
      total: last ? countBelow(last.countAfter) : 0,
      dueOffsetMs(i) {
        // The cursor only moves forward: callers ask for non-decreasing i.
        while (at < ramps.length - 1 && i >= ramps[at]!.countAfter) at++;
        return dueInRamp(ramps[at]!, i - ramps[at]!.countBefore);
      },
    };
  },
};

function toRamps(load: ResolvedLoad): Ramp[] {
  const ramps: Ramp[] = [];
  let fromPerMs = load.startRate / load.timeUnitMs;
  let startMs = 0;
  let count = 0;
  for (const stage of load.stages) {
    const toPerMs = stage.target / load.timeUnitMs;
    const area = ((fromPerMs + toPerMs) / 2) * stage.durationMs;
    if (area > 0) ramps.push({ startMs, durationMs: stage.durationMs, fromPerMs, toPerMs, countBefore: count, countAfter: count + area });
    count += area;
    startMs += stage.durationMs;
    fromPerMs = toPerMs;
  }
  return ramps;
}

/**
 * Time into the ramp at which the area under the rate reaches n:
 * from*t + (to-from)*t^2/(2*D) = n, solved in the form that stays exact when to == from.
 */
function dueInRamp(r: Ramp, n: number): number {
  if (n <= 0) return r.startMs;
  const a = (r.toPerMs - r.fromPerMs) / (2 * r.durationMs);
  const disc = r.fromPerMs * r.fromPerMs + 4 * a * n;
  const t = (2 * n) / (r.fromPerMs + Math.sqrt(Math.max(0, disc)));
  return r.startMs + Math.min(Math.max(0, t), r.durationMs);
}
