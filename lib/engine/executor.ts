import type { InputProblem } from '../errors.ts';
import type { ResolvedLoad } from '../scenario/resolved.ts';

// What every executor provides (the shared base, like k6's base_config.go): its own checks
// on the load and the arrival schedule. The open-model run loop (scheduler.ts) is shared.

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
  /** Problems with the load this executor cannot run, each naming its field; empty when fine. */
  validate(load: ResolvedLoad): InputProblem[];
  schedule(load: ResolvedLoad): ArrivalSchedule;
}

/** Problems shared by the arrival-rate executors. */
export function commonProblems(load: ResolvedLoad): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!(load.timeUnitMs > 0)) problems.push({ path: 'load.timeUnit', value: `${load.timeUnitMs}ms`, expected: 'a duration above 0' });
  if (!(load.maxVUs >= 1) || !Number.isInteger(load.maxVUs)) problems.push({ path: 'load.maxVUs', value: load.maxVUs, expected: 'a whole number of at least 1' });
  if (load.preAllocatedVUs > load.maxVUs) problems.push({ path: 'load.preAllocatedVUs', value: load.preAllocatedVUs, expected: `at most maxVUs (${load.maxVUs})` });
  return problems;
}

/** Iterations due in [0, x): x rounded up, forgiving float noise just above a whole number. */
export function countBelow(x: number): number {
  return Math.max(0, Math.ceil(x - 1e-9));
}

/** Iterations due in [0, x]: one more than countBelow when x is whole (float noise forgiven). */
export function countUpTo(x: number): number {
  return x < 0 ? 0 : Math.floor(x + 1e-9) + 1;
}
