import { PROCESS_CPU_METRIC, PROCESS_RSS_METRIC, VITALS_INTERVAL_MS, type VitalsMetric } from '../vitals/index.ts';
import { phaseIndexAt, type PhasePlan } from './plan.ts';

// The vital signs of a run's watched processes (vitals.json, see lib/vitals) as plain data,
// per process: sums, counts and maxima per phase and per second from t0. Two states of the
// same run merge by adding them, as the request windows do.

export interface VitalsWindow {
  /** `faultline_process_cpu` points: how many, their sum and their largest value (cores). */
  cpuCount: number;
  cpuSum: number;
  cpuMax: number;
  /** `faultline_process_rss` points (bytes). */
  rssCount: number;
  rssSum: number;
  rssMax: number;
  /** `faultline_process_up` points, and of those the ones at 0 (the process was not found). */
  upCount: number;
  downCount: number;
}

export interface ProcessVitalsState {
  /** Per phase of the plan, in order. */
  phases: VitalsWindow[];
  /** By window index from t0 (seriesWindowMs wide), as AnalysisState.seconds. */
  seconds: Record<string, VitalsWindow>;
}

export interface VitalsState {
  /** By process name (the points' `process` tag). */
  processes: Record<string, ProcessVitalsState>;
  /** The vitals files read, with their unreadable lines. */
  inputs: Array<{ file: string; lines: number; problemCount: number; problems: Array<{ line: number; reason: string }> }>;
}

export const emptyVitalsWindow = (): VitalsWindow =>
  ({ cpuCount: 0, cpuSum: 0, cpuMax: 0, rssCount: 0, rssSum: 0, rssMax: 0, upCount: 0, downCount: 0 });

/**
 * Places vitals points in their process's phase and second. A sample stamped t measured the
 * interval before it, so it is placed in the middle of that interval, t - interval/2: the
 * sample at t0 + 3 s tells of [2 s, 3 s), and falls in that second and in the phase of 2.5 s,
 * whatever the order in which the sampler and a fault switched at 3 s.
 */
export class VitalsAccumulator {
  private readonly processes: Record<string, ProcessVitalsState> = {};

  constructor(private readonly t0Ms: number, private readonly phases: PhasePlan[], private readonly windowMs: number) {}

  point(metric: VitalsMetric, process: string, atMs: number, value: number): void {
    const p = (this.processes[process] ??= { phases: this.phases.map(emptyVitalsWindow), seconds: {} });
    const offset = atMs - this.t0Ms - VITALS_INTERVAL_MS / 2;
    const second = (p.seconds[String(Math.floor(offset / this.windowMs))] ??= emptyVitalsWindow());
    const phase = p.phases[phaseIndexAt(this.phases, offset)]!;
    if (metric === PROCESS_CPU_METRIC || metric === PROCESS_RSS_METRIC) {
      record(phase, metric, value);
      record(second, metric, value);
      return;
    }
    for (const w of [phase, second]) {
      w.upCount++;
      if (value === 0) w.downCount++;
    }
  }

  finish(inputs: VitalsState['inputs']): VitalsState {
    return { processes: this.processes, inputs };
  }
}

function record(w: VitalsWindow, metric: VitalsMetric, value: number): void {
  if (metric === PROCESS_CPU_METRIC) {
    w.cpuCount++;
    w.cpuSum += value;
    w.cpuMax = Math.max(w.cpuMax, value);
  } else {
    w.rssCount++;
    w.rssSum += value;
    w.rssMax = Math.max(w.rssMax, value);
  }
}

export function mergeVitalsWindows(a: VitalsWindow, b: VitalsWindow): VitalsWindow {
  return {
    cpuCount: a.cpuCount + b.cpuCount, cpuSum: a.cpuSum + b.cpuSum, cpuMax: Math.max(a.cpuMax, b.cpuMax),
    rssCount: a.rssCount + b.rssCount, rssSum: a.rssSum + b.rssSum, rssMax: Math.max(a.rssMax, b.rssMax),
    upCount: a.upCount + b.upCount, downCount: a.downCount + b.downCount,
  };
}

/** Two vitals states of one run (same t0 and phases); either may be absent. */
export function mergeVitals(a: VitalsState | undefined, b: VitalsState | undefined): VitalsState | undefined {
  if (!a || !b) return a ?? b;
  const processes: Record<string, ProcessVitalsState> = { ...a.processes };
  for (const [name, q] of Object.entries(b.processes)) {
    const p = processes[name];
    if (!p) {
      processes[name] = q;
      continue;
    }
    const seconds = { ...p.seconds };
    for (const [k, w] of Object.entries(q.seconds)) seconds[k] = seconds[k] ? mergeVitalsWindows(seconds[k], w) : w;
    processes[name] = { phases: p.phases.map((w, i) => mergeVitalsWindows(w, q.phases[i]!)), seconds };
  }
  return { processes, inputs: [...a.inputs, ...b.inputs] };
}
