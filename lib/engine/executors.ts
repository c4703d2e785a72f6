import type { ResolvedLoad } from '../scenario/resolved.ts';
import { constantArrivalRate } from './constant-arrival-rate.ts';
import type { Executor } from './executor.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';

/** Every executor the builtin engine runs, by k6 name. Adding one adds its file and one line. */
export const EXECUTORS: Record<ResolvedLoad['executor'], Executor> = {
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
};
