import { InvalidInputError } from '../errors.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';
import { timerClock, type Clock } from '../clock/index.ts';
import { EXECUTORS } from './executors.ts';
import { EngineAgent, type ConnectTimes } from './http-agent.ts';
import { IterationRunner } from './iteration-runner.ts';
import { K6JsonOutput } from './k6-json-output.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { RequestMix } from './request-mix.ts';
import type { SampleOutput } from './samples.ts';
import { ArrivalScheduler } from './scheduler.ts';
import { VuSlots } from './vu-slots.ts';
import { WindowStats, type WindowSnapshot } from './window-stats.ts';

// One load from start to a complete samples file: executor schedule -> scheduler ->
// iteration runner (undici) -> sample sink. Ends at duration + gracefulStop at the latest,
// or soon after `signal` aborts; in both cases the samples file is flushed and closed and
// every socket and timer is released.

export interface LoadProgress extends WindowSnapshot {
  /** Since t0, ms. */
  elapsedMs: number;
  inFlight: number;
  /** Totals since t0. */
  totalFailed: number;
  totalDropped: number;
  /** The scheduler's largest lag in the window, ms. */
  lagMaxMs: number;
}

export interface RunLoadOptions {
  scenario: ResolvedScenario;
  /** Where the k6-format samples go; gzip when it ends in `.gz`. */
  samplesFile: string;
  /** Stops the load early (guardrails, SIGINT): in-flight requests are abandoned, samples flushed. */
  signal?: AbortSignal;
  /** Called at t0 (epoch ms), just before the first iteration is due, so a fault timeline can start in step. */
  onStart?(t0EpochMs: number): void;
  /** Called once a second with the last second's figures. */
  onProgress?(progress: LoadProgress): void;
  clock?: Clock;
  /** Overrides the output (tests); the samples file is then not written. */
  sink?: SampleOutput;
}

export interface LoadResult {
  t0EpochMs: number;
  endEpochMs: number;
  /** Iterations that came due (sent + dropped). */
  scheduled: number;
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
  interrupted: number;
  /** Iterations started per second over the time the schedule ran. */
  achievedRatePerSec: number;
  /** Actual start minus due time of every due iteration, ms. */
  schedulerLagMs: { p50: number; p99: number; p999: number; max: number };
  /** Largest number of VUs (in-flight iterations) allocated. */
  vusMax: number;
  aborted: boolean;
  samplesFile: string;
}

export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const { scenario, signal } = options;
  const clock = options.clock ?? timerClock;
  const load = scenario.load;
  const executor = EXECUTORS[load.executor];
  const problems = executor.validate(load);
  if (problems.length > 0) throw new InvalidInputError('load cannot run on the builtin engine', problems);
  const sink = options.sink ?? new K6JsonOutput(await ChunkWriter.open(options.samplesFile), {
    scenario: scenario.name,
    requests: scenario.requests.map((r) => ({ name: r.name, method: r.method.toUpperCase(), hasCheck: r.check !== undefined })),
    thresholds: scenario.thresholds,
  });
  const connects: ConnectTimes = { lastEndMs: 0, lastMs: 0 };
  const http = new EngineAgent(load.maxVUs, clock, connects);
  const vus = new VuSlots(load.preAllocatedVUs, load.maxVUs);
  const window = new WindowStats();
  const mix = new RequestMix(scenario);
  const runner = new IterationRunner(clock, mix, http, vus, sink, window, connects);
  const scheduler = new ArrivalScheduler(executor.schedule(load), clock, vus, runner);

  // One connection for each pre-allocated VU, as k6 has its VUs ready before the start.
  for (const origin of mix.origins()) await http.preconnect(origin, load.preAllocatedVUs);

  let aborted = false;
  let wakeGrace: () => void = () => {};
  const onAbort = () => { aborted = true; scheduler.stop(); wakeGrace(); };
  const t0 = clock.now();
  const ticker = startTicker(clock, t0, (atMs) => {
    const snap = window.take();
    const lagMaxMs = scheduler.takeWindowMaxLagMs();
    sink.gauges(atMs, vus.inUse, vus.allocated, lagMaxMs);
    sink.flush();
    options.onProgress?.({ ...snap, elapsedMs: atMs - t0, inFlight: vus.inUse, totalFailed: runner.counts.failed, totalDropped: runner.counts.dropped, lagMaxMs });
  });
  try {
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    // Stopped before t0 (during the preconnects): no load is started at all.
    if (!aborted) {
      options.onStart?.(t0);
      scheduler.start(t0);
      await scheduler.done;
    }
    const scheduleEndMs = clock.now();
    // gracefulStop: in-flight iterations may finish until duration + gracefulStop.
    if (!aborted) {
      await new Promise<void>((resolve) => {
        wakeGrace = resolve;
        const timer = clock.at(t0 + load.durationMs + load.gracefulStopMs, resolve);
        void runner.whenIdle().then(() => { clock.cancel(timer); resolve(); });
      });
    }
    runner.interruptAll();
    ticker.stop();
    const endMs = clock.now();
    sink.gauges(endMs, vus.inUse, vus.allocated, scheduler.takeWindowMaxLagMs());
    const c = runner.counts;
    const lag = scheduler.lag;
    return {
      t0EpochMs: t0, endEpochMs: endMs, scheduled: scheduler.next, ...c,
      achievedRatePerSec: c.sent / (Math.max(1, Math.min(scheduleEndMs - t0, load.durationMs)) / 1000),
      schedulerLagMs: { p50: lag.percentileMs(50), p99: lag.percentileMs(99), p999: lag.percentileMs(99.9), max: lag.maxMs },
      vusMax: vus.allocated, aborted, samplesFile: options.samplesFile,
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    runner.interruptAll();
    ticker.stop();
    await http.destroy();
    await sink.close();
  }
}

/** Calls `fn` at t0 + 1 s, t0 + 2 s, ... (computed from t0, so ticks do not drift). */
function startTicker(clock: Clock, t0: number, fn: (atMs: number) => void): { stop(): void } {
  let n = 1;
  let timer: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    fn(t0 + n * 1000);
    n++;
    timer = clock.at(t0 + n * 1000, tick);
  };
  timer = clock.at(t0 + 1000, tick);
  return { stop() { stopped = true; clock.cancel(timer); } };
}
