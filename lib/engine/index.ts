// The builtin load engine: open-model arrival-rate executors on undici, writing samples in
// k6's JSON output format. This file is its whole public surface.
export { runLoad, type RunLoadOptions, type LoadResult, type LoadProgress } from './run-load.ts';
export { probeTarget } from './probe.ts';
export { warmUpEngine } from './warm-up.ts';
export { EXECUTORS } from './executors.ts';
export type { Executor, ArrivalSchedule } from './executor.ts';
export type { RequestSample, SampleOutput } from './samples.ts';
export { INTENDED_LATENCY_METRIC, SCHEDULER_LAG_METRIC } from './samples.ts';
export { classifyError, statusErrorCode, type RequestError } from './error-codes.ts';
