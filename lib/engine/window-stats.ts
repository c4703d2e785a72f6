import { LatencyHistogram } from './latency-histogram.ts';

// Counts and latencies over the current one-second window, for the live status line and
// for callers that watch the load as it runs (guardrails). Reset by the ticker each second.

export interface WindowSnapshot {
  started: number;
  completed: number;
  failed: number;
  dropped: number;
  /** p99 of http_req_duration and of the intended-start latency in the window (ms); NaN when none completed. */
  p99Ms: number;
  intendedP99Ms: number;
}

export class WindowStats {
  started = 0;
  dropped = 0;
  private completed = 0;
  private failed = 0;
  private readonly duration = new LatencyHistogram();
  private readonly intended = new LatencyHistogram();

  record(durationMs: number, intendedMs: number, failed: boolean): void {
    this.completed++;
    if (failed) this.failed++;
    this.duration.record(durationMs);
    this.intended.record(intendedMs);
  }

  take(): WindowSnapshot {
    const snap: WindowSnapshot = {
      started: this.started, completed: this.completed, failed: this.failed, dropped: this.dropped,
      p99Ms: this.duration.percentileMs(99), intendedP99Ms: this.intended.percentileMs(99),
    };
    this.started = this.dropped = this.completed = this.failed = 0;
    this.duration.reset();
    this.intended.reset();
    return snap;
  }
}
