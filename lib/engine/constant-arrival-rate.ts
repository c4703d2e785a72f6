import type { ResolvedLoad } from '../scenario/resolved.ts';
import { countUpTo, type ArrivalSchedule, type Executor } from './executor.ts';

// k6's constant-arrival-rate: `rate` iterations per `timeUnit` for `duration`, started on
// schedule whatever the target does (open model). Iteration i is due at i * timeUnit / rate,
// from t0 up to and including the end of the duration, as k6 does: a recorded k6 v0.49 sent
// 601 requests for 200/s over 3 s, and 10 001 for 1000/s over 10 s.

export const constantArrivalRate: Executor = {
  name: 'constant-arrival-rate',

  // One rate throughout: a longer --duration adds a stage that holds it, a ramp cannot run here.
  validate(load) {
    const ramp = load.stages.find((s) => s.target !== load.startRate);
    return ramp ? [{ path: 'load.stages', value: `a stage at ${ramp.target}`, expected: `one constant rate (${load.startRate})` }] : [];
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
