import type { ResolvedGuardrail } from '../scenario/resolved.ts';

/** One second of the load as the engine saw it. */
export interface LoadWindow {
  /** Window start, offset from t0 (ms). */
  tMs: number;
  requests: number;
  errors: number;
  dropped: number;
  /** p99 of http_req_duration in the window (ms); null when the engine cannot say. */
  p99Ms: number | null;
}

export interface GuardrailTrip {
  guardrail: ResolvedGuardrail;
  /** When the condition started to hold, and when it tripped (offsets from t0, ms). */
  sinceMs: number;
  atMs: number;
  reason: string;
}

/**
 * Watches one-second windows and trips when a guardrail's measure stays above its limit for
 * its whole `for` duration: e.g. error rate (errors + dropped over requests + dropped) above
 * 0.5 in every window for 10 s. A window with no traffic breaks no streak and extends none.
 */
export class GuardrailMonitor {
  private readonly since = new Map<ResolvedGuardrail, number>();

  constructor(private readonly guardrails: ResolvedGuardrail[], private readonly windowMs = 1000) {}

  /** Feeds one window; returns the first guardrail that trips, if any. */
  observe(window: LoadWindow): GuardrailTrip | undefined {
    const attempts = window.requests + window.dropped;
    for (const guardrail of this.guardrails) {
      const value = guardrail.measure === 'errorRate'
        ? (attempts ? (window.errors + window.dropped) / attempts : null)
        : window.p99Ms;
      if (value === null) continue;
      if (value <= guardrail.above) { this.since.delete(guardrail); continue; }
      const since = this.since.get(guardrail) ?? window.tMs;
      this.since.set(guardrail, since);
      const heldMs = window.tMs + this.windowMs - since;
      if (heldMs >= guardrail.forMs) {
        const what = guardrail.measure === 'errorRate' ? 'error rate' : 'p99 latency';
        const limit = guardrail.measure === 'errorRate' ? `${guardrail.above * 100}%` : `${guardrail.above} ms`;
        return { guardrail, sinceMs: since, atMs: window.tMs + this.windowMs, reason: `guardrail: ${what} above ${limit} for ${heldMs / 1000} s (since ${since / 1000} s into the load)` };
      }
    }
    return undefined;
  }
}
