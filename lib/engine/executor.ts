import type { InputProblem } from '../errors.ts';
import type { ResolvedLoad } from '../scenario/resolved.ts';

// What every executor provides (the shared base, like k6's base_config.go): its own checks
// on the load and the arrival schedule. The open-model run loop (scheduler.ts) is shared.
// The load's field rules (rates, VU counts, timeUnit, maxVUs >= preAllocatedVUs) are the
// scenario's (lib/scenario/schema.ts and validate.ts), checked once at the edge.

/**
 * When each iteration is due, as an offset from the load's t0. Iteration i is due when the
 * integral of the rate since t0 reaches i, so iteration 0 starts at t0 and no timer error
 * accumulates: every due time is computed from t0, never from the previous start.
 */
export interface ArrivalSchedule {
  /** How many iterations are due from t0 to the load's end. */
  readonly total: number;
  /** Milliseconds after t0 at which iteration `i` (0-based, < total) is due; call with non-decreasing i. */
  dueOffsetMs(i: number): number;
}

export interface Executor {
  readonly name: ResolvedLoad['executor'];
  /** Problems with a valid load that this executor still cannot run, each naming its field; empty when fine. */
  validate(load: ResolvedLoad): InputProblem[];
  schedule(load: ResolvedLoad): ArrivalSchedule;
}

/** Iterations due in [0, x): x rounded up, forgiving float noise just above a whole number. */
export function countBelow(x: number): number {
  return Math.max(0, Math.ceil(x - 1e-9));
}

/** Iterations due in [0, x]: one more than countBelow when x is whole (float noise forgiven). */
export function countUpTo(x: number): number {
  return x < 0 ? 0 : Math.floor(x + 1e-9) + 1;
}
