import { LatencyWindow } from '../hdr/index.ts';

// Counts and latencies over the current one-second window, for the live status line and
// for callers that watch the load as it runs (guardrails). Reset by the ticker each second.

export interface WindowSnapshot {
  started: number;
  completed: number;
  failed: number;
  dropped: number;
  /**
   * p99 of http_req_duration and of the intended-start latency in the window (ms); NaN when
   * none completed: a second with no answer has no p99, and a live figure must not show it as 0 ms.
   */
  p99Ms: number;
  intendedP99Ms: number;
}

export class WindowStats {
  started = 0;
  dropped = 0;
  private readonly duration = new LatencyWindow();
  private readonly intended = new LatencyWindow();

  record(durationMs: number, intendedMs: number, failed: boolean): void {
    this.duration.record(durationMs, failed);
    this.intended.record(intendedMs);
  }

  take(): WindowSnapshot {
    const { count, failed } = this.duration;
    const snap: WindowSnapshot = {
      started: this.started, completed: count, failed, dropped: this.dropped,
      p99Ms: count === 0 ? NaN : this.duration.percentileMs(99), intendedP99Ms: count === 0 ? NaN : this.intended.percentileMs(99),
    };
    this.started = this.dropped = 0;
    this.duration.reset();
    this.intended.reset();
    return snap;
  }
}
