import { open, type FileHandle } from 'node:fs/promises';
import { timerClock, type Clock } from '../clock/index.ts';
import { errorMessage } from '../errors.ts';
import type { ResolvedProcess } from '../scenario/resolved.ts';
import { declarationLines, VITALS_INTERVAL_MS, PROCESS_CPU_METRIC, PROCESS_RSS_METRIC, PROCESS_UP_METRIC, pointLine } from './metrics.ts';
import { WatchedProcess } from './watched-process.ts';

export interface VitalsSamplerOptions {
  /** The scenario's processes; those with `watch: false` are left out. */
  processes: ResolvedProcess[];
  /** Where the lines go (the run folder's vitals.json); created, or emptied. */
  file: string;
  clock?: Clock;
  /** Time between samples, ms (default VITALS_INTERVAL_MS, 1 s: what analysis assumes). */
  intervalMs?: number;
}

/**
 * Samples the watched processes' CPU share and RSS from /proc every interval from t0, on
 * the main thread (a few async file reads per process; the timer does not keep the process
 * alive). The reading at t0 only finds the processes and their CPU time: each sample after
 * it covers the interval before it. Each sample's lines go to the file at once, then
 * fdatasync: a run killed mid-way keeps its vital signs up to the last second. stop() takes
 * one more sample and closes the file; it never throws: what went wrong is in its answer.
 */
export class VitalsSampler {
  private readonly watched: WatchedProcess[];
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private file: Promise<FileHandle | null> = Promise.resolve(null);
  private timer: unknown = null;
  private t0Ms = 0;
  private nextAtMs = 0;
  /** The sample being taken, if any: samples never overlap (a slow disk skips a slot instead). */
  private sampling: Promise<void> | null = null;
  private stopped = false;
  private readonly problems = new Set<string>();
  /** Samples written, and slots skipped because the previous sample was still being taken. */
  samples = 0;
  skipped = 0;

  constructor(private readonly options: VitalsSamplerOptions) {
    this.clock = options.clock ?? timerClock;
    this.intervalMs = options.intervalMs ?? VITALS_INTERVAL_MS;
    this.watched = options.processes.filter((p) => p.watch).map((p) => new WatchedProcess(p, () => this.clock.now()));
  }

  /** Opens the file, reads the processes at `t0Ms` (default now), then samples once per interval. */
  start(t0Ms = this.clock.now()): void {
    this.file = open(this.options.file, 'w').then(async (handle) => {
      await handle.write(declarationLines());
      return handle;
    }).catch((error: unknown) => {
      this.problems.add(`vital signs not recorded: cannot write ${this.options.file} (${errorMessage(error)})`);
      return null;
    });
    this.t0Ms = t0Ms;
    this.nextAtMs = t0Ms;
    this.schedule();
  }

  /** Takes a last sample and closes the file; answers the problems met (none: []). */
  async stop(): Promise<string[]> {
    if (this.stopped) return [...this.problems];
    this.stopped = true;
    if (this.timer !== null) this.clock.cancel(this.timer);
    await this.sampling;
    await this.sample();
    const handle = await this.file;
    await handle?.close().catch((error: unknown) => this.problems.add(`vitals.json: closing failed (${errorMessage(error)})`));
    return [...this.problems];
  }

  private schedule(): void {
    this.timer = this.clock.at(this.nextAtMs, () => this.tick());
    (this.timer as { unref?: () => void }).unref?.();
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.sampling) this.skipped++;
    else this.sampling = this.sample(this.nextAtMs > this.t0Ms).finally(() => { this.sampling = null; });
    // The next slot on the t0 grid after now: a late tick (a busy loop) does not shift the grid.
    const now = this.clock.now();
    do this.nextAtMs += this.intervalMs; while (this.nextAtMs <= now);
    this.schedule();
  }

  /** Reads every watched process and, unless this is the reading at t0, writes what it found. */
  private async sample(write = true): Promise<void> {
    const handle = await this.file;
    if (!handle) return;
    try {
      const readings = await Promise.all(this.watched.map((w) => w.read()));
      if (!write) return;
      const atMs = this.clock.now();
      let lines = '';
      readings.forEach((r, i) => {
        const name = this.watched[i]!.name;
        if (r === null) {
          lines += pointLine(PROCESS_UP_METRIC, atMs, 0, { process: name });
          return;
        }
        const tags = { pid: String(r.pid), process: name };
        if (r.cpuCores !== null) lines += pointLine(PROCESS_CPU_METRIC, atMs, round(r.cpuCores, 4), tags);
        lines += pointLine(PROCESS_RSS_METRIC, atMs, r.rssBytes, tags);
        lines += pointLine(PROCESS_UP_METRIC, atMs, 1, tags);
      });
      await handle.write(lines);
      await handle.datasync();
      this.samples++;
    } catch (error) {
      this.problems.add(`vital signs: a sample could not be written to ${this.options.file} (${errorMessage(error)})`);
    }
  }
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** A sampler started at `t0Ms` when the scenario watches any process; null when it watches none. */
export function startVitals(processes: ResolvedProcess[], file: string, t0Ms: number): VitalsSampler | null {
  if (!processes.some((p) => p.watch)) return null;
  const sampler = new VitalsSampler({ processes, file });
  sampler.start(t0Ms);
  return sampler;
}
