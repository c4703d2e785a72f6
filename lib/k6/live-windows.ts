import type { K6RestApi } from './rest-api.ts';

/** One second of a k6 run as its REST API tells it (no latency percentiles: k6 only keeps whole-run trends there). */
export interface K6Window {
  /** Window start, offset from t0 (ms). */
  tMs: number;
  requests: number;
  errors: number;
  dropped: number;
  p99Ms: null;
}

/**
 * Polls k6's REST API once a second while the test runs and turns its running totals into
 * one-second windows (for guardrails): requests from `http_reqs.count`, failures from
 * `http_req_failed.rate` x that count, `dropped_iterations.count`.
 */
export function watchWindows(api: K6RestApi, onWindow: (w: K6Window) => void, periodMs = 1000): { stop(): void } {
  let last = { requests: 0, errors: 0, dropped: 0 };
  let tick = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void totals(api).then((now) => {
      const tMs = tick++ * periodMs;
      onWindow({ tMs, requests: now.requests - last.requests, errors: Math.max(0, now.errors - last.errors), dropped: now.dropped - last.dropped, p99Ms: null });
      last = now;
    }).catch(() => undefined).finally(() => { busy = false; });
  }, periodMs);
  return { stop: () => clearInterval(timer) };
}

async function totals(api: K6RestApi) {
  const [reqs, failed, dropped] = await Promise.all([api.metric('http_reqs'), api.metric('http_req_failed'), api.metric('dropped_iterations')]);
  const requests = reqs?.count ?? 0;
  return { requests, errors: Math.round((failed?.rate ?? 0) * requests), dropped: dropped?.count ?? 0 };
}
