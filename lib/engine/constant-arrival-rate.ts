import type { ResolvedLoad } from '../scenario/resolved.ts';
import { commonProblems, countBelow, type ArrivalSchedule, type Executor } from './executor.ts';

// k6's constant-arrival-rate: `rate` iterations per `timeUnit` for `duration`, started on
// schedule whatever the target does (open model). Iteration i is due at i * timeUnit / rate.

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
      total: countBelow((load.durationMs * rate) / timeUnitMs),
      // Multiply before dividing: i * (timeUnit / rate) would round the period once and
      // let that error grow with i.
      dueOffsetMs: (i) => (i * timeUnitMs) / rate,
    };
  },
};
