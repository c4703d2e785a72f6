import type { EventsFile } from '../timeline/events.ts';
import { TIMELINE_REQUEST_NAME } from '../timeline/plan.ts';
import type { AnalysisParameters } from './parameters.ts';
import { phaseIndexAt, type AnalysisPlan, type TransitionPlan } from './plan.ts';
import type { SampleSink, TagFilter } from './samples.ts';
import { STATE_VERSION, type AnalysisState, type InputReport } from './state.ts';
import { LiveWindow, WindowSeries } from './window.ts';

// The analysis's SampleSink: places each request, by its SEND time, in the overall
// window, its per-second window, its phase, the fine windows of every transition whose
// range covers it, and the windows of the tag filters it matches. The hot path is a few
// comparisons and histogram records per request.

interface FineRange {
  plan: TransitionPlan;
  /** Epoch ms range covered by fine windows: the transition window and the settle horizon. */
  startMs: number;
  endMs: number;
  series: WindowSeries;
}

/**
 * The in-k6 timeline's calls to the Toxiproxy API (lib/k6/runtime/timeline.ts) are requests
 * in k6's output too; they are not the load. Matched by their `name` tag: the calls from
 * setup() and teardown() carry no `scenario` tag in a real k6's output.
 */
export const TIMELINE_REQUESTS: TagFilter = { key: `name:${TIMELINE_REQUEST_NAME}`, tags: [['name', TIMELINE_REQUEST_NAME]] };

export class Accumulator implements SampleSink {
  private t0Ms: number;
  private readonly t0FromEvents: boolean;
  private readonly overall = new LiveWindow();
  private seconds: WindowSeries | undefined;
  private readonly phases: LiveWindow[];
  private readonly phaseStartsMs: number[];
  private ranges: FineRange[] = [];
  private readonly filters: LiveWindow[];
  /** Tag-filter bit of requests that are not load: the in-k6 timeline's own API calls. */
  private readonly skipMask: number;
  private firstSendMs = Infinity;
  private lastSendMs = -Infinity;
  private lastEndMs = -Infinity;
  private nextCloseMs = -Infinity;
  private phase = 0;
  requests = 0;

  constructor(
    private readonly events: EventsFile | null,
    private readonly plan: AnalysisPlan,
    private readonly params: AnalysisParameters,
    private readonly filterList: TagFilter[],
    /** Epoch ms of t0 when there are no events but t0 is known (several files of one run); else the first request read sets it. */
    runStartMs: number | null = null,
  ) {
    this.t0FromEvents = events !== null;
    const t0Ms = events ? Date.parse(events.t0) : runStartMs;
    this.t0Ms = t0Ms ?? NaN;
    this.phases = plan.phases.map(() => new LiveWindow());
    this.phaseStartsMs = plan.phases.map((p) => p.startMs);
    this.filters = filterList.map(() => new LiveWindow());
    const skip = filterList.indexOf(TIMELINE_REQUESTS);
    this.skipMask = skip < 0 ? 0 : 1 << skip;
    if (t0Ms !== null) this.startWindows(t0Ms);
  }

  request(sendMs: number, endMs: number, durationMs: number, failed: boolean, tagMask: number): void {
    if ((tagMask & this.skipMask) !== 0) return;
    if (this.seconds === undefined) this.startWindows(Math.floor(sendMs));
    this.requests++;
    if (sendMs < this.firstSendMs) this.firstSendMs = sendMs;
    if (sendMs > this.lastSendMs) this.lastSendMs = sendMs;
    if (endMs > this.lastEndMs) {
      this.lastEndMs = endMs;
      if (endMs >= this.nextCloseMs) this.closeOld(endMs);
    }
    this.overall.record(durationMs, failed);
    const seconds = this.seconds!;
    seconds.at(seconds.indexOf(sendMs)).record(durationMs, failed);
    this.phaseAt(sendMs).record(durationMs, failed);
    for (let i = 0; i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (sendMs >= r.startMs && sendMs < r.endMs) r.series.at(r.series.indexOf(sendMs)).record(durationMs, failed);
    }
    if (tagMask !== 0) {
      for (let i = 0; i < this.filters.length; i++) if ((tagMask & (1 << i)) !== 0) this.filters[i]!.record(durationMs, failed);
    }
  }

  dropped(atMs: number, count: number): void {
    if (this.seconds === undefined) this.startWindows(Math.floor(atMs));
    const seconds = this.seconds!;
    this.overall.dropped += count;
    seconds.at(seconds.indexOf(atMs)).dropped += count;
    this.phaseAt(atMs).dropped += count;
    for (const r of this.ranges) if (atMs >= r.startMs && atMs < r.endMs) r.series.at(r.series.indexOf(atMs)).dropped += count;
  }

  finish(inputs: InputReport[]): AnalysisState {
    if (this.seconds === undefined) this.startWindows(0);
    const offset = (ms: number) => (Number.isFinite(ms) ? ms - this.t0Ms : null);
    return {
      stateVersion: STATE_VERSION,
      t0Ms: this.t0Ms,
      t0FromEvents: this.t0FromEvents,
      events: this.events,
      params: this.params,
      filters: Object.fromEntries(this.filterList.map((f, i) => [f.key, this.filters[i]!.toData()])),
      firstSendMs: offset(this.firstSendMs),
      lastSendMs: offset(this.lastSendMs),
      lastEndMs: offset(this.lastEndMs),
      overall: this.overall.toData(),
      seconds: this.seconds!.finish(),
      phases: this.phases.map((w) => w.toData()),
      transitions: this.ranges.map((r) => r.series.finish()),
      inputs,
    };
  }

  /** Fixes t0 (from the events, the run's start, or else the first sample) and the window grids. */
  private startWindows(t0Ms: number): void {
    this.t0Ms = t0Ms;
    this.seconds = new WindowSeries(t0Ms, this.params.seriesWindowMs);
    for (let i = 0; i < this.phaseStartsMs.length; i++) this.phaseStartsMs[i] = t0Ms + this.plan.phases[i]!.startMs;
    this.ranges = this.plan.transitions.map((plan) => ({
      plan,
      startMs: t0Ms + plan.windowStartMs,
      endMs: t0Ms + Math.max(plan.windowEndMs, plan.horizonEndMs),
      series: new WindowSeries(t0Ms + plan.atMs, this.params.fineWindowMs),
    }));
  }

  private phaseAt(epochMs: number): LiveWindow {
    const starts = this.phaseStartsMs;
    const i = this.phase;
    const inCurrent = epochMs >= starts[i]! && (i + 1 === starts.length || epochMs < starts[i + 1]!);
    if (!inCurrent) this.phase = phaseIndexAt(this.plan.phases, epochMs - this.t0Ms);
    return this.phases[this.phase]!;
  }

  /** Closes windows the newest end time is well past (see WindowSeries); runs once a second of data. */
  private closeOld(endMs: number): void {
    this.nextCloseMs = endMs + this.params.seriesWindowMs;
    const before = endMs - this.params.closeAfterMs;
    this.seconds?.closeBefore(before);
    for (const r of this.ranges) r.series.closeBefore(before);
  }
}
