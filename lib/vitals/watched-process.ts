import { isStatOf, readRssBytes, readStat, selectProcess, TICKS_PER_SECOND } from '../processes/index.ts';
import type { ResolvedProcess } from '../scenario/resolved.ts';

/**
 * /proc counts CPU time in ticks of 10 ms: a share over a shorter span than this (a last
 * sample right after the previous one) would be off by a tenth of a core or more.
 */
const MIN_CPU_SPAN_MS = 100;

export interface VitalsReading {
  pid: number;
  /** Cores used since the previous reading of the same process; null on its first reading (nothing to compare with). */
  cpuCores: number | null;
  rssBytes: number;
}

/**
 * One watched process across a run: the process its selector names, followed by pid and
 * start time. When that process is gone (a restart stops it and starts another), the
 * selector is asked again at each reading until it names one; a pid selector is not, since
 * its pid, once gone, can only come back as some other process.
 */
export class WatchedProcess {
  private pid: number | null = null;
  private startTicks = 0;
  /** The CPU ticks and time (epoch ms) the next CPU share is measured from. */
  private fromTicks = 0;
  private fromMs = 0;
  private lostForGood = false;

  constructor(readonly definition: ResolvedProcess, private readonly now: () => number) {}

  get name(): string {
    return this.definition.name;
  }

  /** The process's vital signs now, or null when it is not there. */
  async read(): Promise<VitalsReading | null> {
    if (this.pid !== null) {
      const pid = this.pid;
      const [stat, rssBytes] = await Promise.all([readStat(pid), readRssBytes(pid)]);
      const atMs = this.now();
      if (isStatOf(stat, this.startTicks) && rssBytes !== null) return { pid, cpuCores: this.cpuSince(stat.cpuTicks, atMs), rssBytes };
      this.pid = null;
      if (this.definition.pid !== undefined) this.lostForGood = true;
    }
    return this.lostForGood ? null : this.find();
  }

  private async find(): Promise<VitalsReading | null> {
    const selection = await selectProcess(this.definition);
    if ('problem' in selection) return null;
    const { pid, startTicks, cpuTicks } = selection.found;
    const rssBytes = await readRssBytes(pid);
    if (rssBytes === null) return null;
    this.pid = pid;
    this.startTicks = startTicks;
    this.fromTicks = cpuTicks;
    this.fromMs = this.now();
    return { pid, cpuCores: null, rssBytes };
  }

  private cpuSince(cpuTicks: number, atMs: number): number | null {
    const spanMs = atMs - this.fromMs;
    if (spanMs < MIN_CPU_SPAN_MS) return null;
    const cores = (cpuTicks - this.fromTicks) / TICKS_PER_SECOND / (spanMs / 1000);
    this.fromTicks = cpuTicks;
    this.fromMs = atMs;
    return cores;
  }
}
