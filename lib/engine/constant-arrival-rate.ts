import type { ResolvedLoad } from '../scenario/resolved.ts';
import { commonProblems, countUpTo, type ArrivalSchedule, type Executor } from './executor.ts';

// k6's constant-arrival-rate: `rate` iterations per `timeUnit` for `duration`, started on
// schedule whatever the target does (open model). Iteration i is due at i * timeUnit / rate,
// from t0 up to and including the end of the duration, as k6 does: a recorded k6 v0.49 sent
// 601 requests for 200/s over 3 s, and 10 001 for 1000/s over 10 s.

export const constantArrivalRate: Executor = {
  name: 'constant-arrival-rate',

  validate(load) {
    const problems = commonProblems(load);
    if (!(load.startRate > 0)) problems.push({ path: 'load.rate', value: load.startRate, expected: 'a rate above 0' });
    if (load.stages.length !== 1) problems.push({ path: 'load', value: `${load.stages.length} stages`, expected: 'one constant stage' });
    return problems;
  },

  schedule(load: ResolvedLoad): ArrivalSchedule {
    const rate = load.startRate;
    const timeUnitMs = load.timeUnitMs;
    return {
      total: countUpTo((load.durationMs * rate) / timeUnitMs),
      // Multiply before dividing: i * (timeUnit / rate) would round the period once and
      // let that error grow with i.
      dueOffsetMs: (i) => (i * timeUnitMs) / rate,
    };
  },
};
