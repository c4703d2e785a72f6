import { SUMMARY_SCHEMA_VERSION, type Phase, type SeriesPoint, type Stats, type Summary, type Transition } from '../../lib/analysis/summary.ts';
import { seeded } from '../helpers/random.ts';

// A hand-built summary of a realistic run: 40 s at 1000 req/s, the `store` dependency down
// from 10 s to 15 s. The service errors for about a second before it falls back, and p99
// settles a little over a second after the store returns. `seed` changes only the noise
// (another night's run of the same build); the factors make a slower or flakier build.

export interface RunShape {
  seed?: number;
  /** Multiplies every latency. */
  latencyFactor?: number;
  /** Added to every window's error rate (a fraction). */
  extraErrorRate?: number;
  /** Settle times of the on and off edges; null = never settled. */
  settleOnMs?: number | null;
  settleOffMs?: number | null;
  name?: string;
}

/** The service's behaviour in second `s`: base latencies (ms) and error rate. */
function shape(s: number): { p50: number; p95: number; p99: number; errorRate: number } {
  if (s === 10) return { p50: 30, p95: 180, p99: 260, errorRate: 0.07 };
  if (s > 10 && s < 15) return { p50: 6, p95: 14, p99: 26, errorRate: 0.003 };
  if (s === 15) return { p50: 9, p95: 40, p99: 70, errorRate: 0.02 };
  if (s === 16) return { p50: 5, p95: 11, p99: 19, errorRate: 0.002 };
  return { p50: 4, p95: 9, p99: 15, errorRate: 0.001 };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Stats over a set of windows, roughly as HDR would merge them. */
function merge(points: SeriesPoint[]): Stats {
  const requests = points.reduce((n, p) => n + p.requests, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);
  const dropped = points.reduce((n, p) => n + p.dropped, 0);
  const q = (key: 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max', at: number) => quantile(points.map((p) => p[key]), at);
  return { requests, errors, dropped, errorRate: (errors + dropped) / Math.max(1, requests + dropped),
    p50: q('p50', 0.5), p90: q('p90', 0.9), p95: q('p95', 0.95), p99: q('p99', 0.99), p999: q('p999', 0.99), max: q('max', 1) };
}

export function makeRun(run: RunShape = {}): Summary {
  const random = seeded(run.seed ?? 1);
  const lf = run.latencyFactor ?? 1;
  const noise = (v: number, spread: number) => v * lf * (1 + (random() - 0.5) * 2 * spread);
  const series: SeriesPoint[] = [];
  for (let s = 0; s < 40; s++) {
    const base = shape(s);
    const requests = 995 + Math.floor(random() * 10);
    const errors = Math.round(requests * Math.min(1, base.errorRate * (0.5 + random()) + (run.extraErrorRate ?? 0)));
    const dropped = s === 10 ? 3 : 0;
    const p99 = noise(base.p99, 0.12);
    series.push({ tMs: s * 1000, windowMs: 1000, requests, errors, dropped, errorRate: (errors + dropped) / (requests + dropped),
      p50: noise(base.p50, 0.05), p90: noise(base.p95 * 0.8, 0.08), p95: noise(base.p95, 0.08), p99, p999: p99 * 1.6, max: p99 * 2.5 });
  }
  const phase = (name: string, kind: Phase['kind'], startMs: number, endMs: number, faults: string[]): Phase =>
    ({ name, kind, startMs, endMs, faults, ...merge(series.filter((p) => p.tMs >= startMs && p.tMs < endMs)) });
  const phases = [phase('baseline', 'baseline', 0, 10_000, []), phase('fault-1', 'fault', 10_000, 15_000, ['store:down']),
    phase('recovery-1', 'recovery', 15_000, 40_000, [])];
  const t0 = Date.parse('2025-06-01T02:00:00.000Z');
  const transition = (edge: 'on' | 'off', atMs: number, settle: number | null, skewMs: number): Transition => {
    const w = merge(series.filter((p) => p.tMs >= atMs - 1000 && p.tMs < atMs + 2000));
    // Cast: summary.ts grows fields (kind, step, window, band, ...) while this is written;
    // the reports must work with and without them.
    return { edge, kind: 'edge', step: 0, proxy: 'store', type: 'down', at: new Date(t0 + atMs).toISOString(), atMs,
      windowStartMs: atMs - 1000, windowEndMs: atMs + 2000, errorRate: w.errorRate, requests: w.requests, errors: w.errors, dropped: w.dropped,
      settleTimeMs: settle, recoveryTimeMs: edge === 'off' ? settle : null, skewMs, settleHorizonMs: 5000,
      band: { source: edge === 'off' ? 'baseline' : 'steady-state', errorRate: 0.02, p99Ms: 26, sides: 'upper' } } as Transition;
  };
  const transitions = [transition('on', 10_000, run.settleOnMs === undefined ? 1100 : run.settleOnMs, 3),
    transition('off', 15_000, run.settleOffMs === undefined ? 1400 : run.settleOffMs, 4)];
  const overall = merge(series);
  const maxTransitionErrors = Math.max(...transitions.map((t) => t.errorRate));
  const recoveries = transitions.filter((t) => t.edge === 'off').map((t) => t.recoveryTimeMs);
  const maxRecovery = recoveries.includes(null) ? null : Math.max(...(recoveries as number[]));
  const slo = [
    { measure: 'http_req_failed', condition: 'rate<0.05', observed: overall.errorRate, pass: overall.errorRate < 0.05 },
    { measure: 'http_req_duration{name:verify}', condition: 'p(99)<250', observed: overall.p99, pass: overall.p99 < 250 },
    { measure: 'transition.errorRate', condition: 'max<0.05', observed: maxTransitionErrors, pass: maxTransitionErrors < 0.05 },
    { measure: 'recovery.time', condition: 'max<2s', observed: maxRecovery, pass: maxRecovery !== null && maxRecovery < 2000 },
  ];
  return ({
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: { name: run.name ?? 'redis-outage', target: 'http://127.0.0.1:8080' },
    engine: { name: 'k6', version: 'v0.52.0' },
    versions: { faultline: '0.1.0' },
    startedAt: new Date(t0).toISOString(),
    durationMs: 40_000,
    load: { targetRate: 1000, achievedRate: overall.requests / 40, requests: overall.requests, dropped: overall.dropped },
    overall, phases, series, transitions, slo,
    verdict: slo.every((r) => r.pass) ? 'pass' : 'fail',
    warnings: [],
    parameters: { seriesWindowMs: 1000, fineWindowMs: 100, transitionBeforeMs: 1000, transitionAfterMs: 5000, settleHorizonMs: 120_000,
      settleHoldMs: 2000, errorRateTolerance: 0.02, p99RelativeTolerance: 0.5, p99AbsoluteToleranceMs: 5, steadyStateFraction: 0.5, closeAfterMs: 10_000 },
    inputs: [{ file: 'samples.json.gz', format: 'k6-json', lines: 240_000, requests: overall.requests, skippedLines: 0 }],
  } as Summary);
}
