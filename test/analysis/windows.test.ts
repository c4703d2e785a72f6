import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun, type Summary } from '../../lib/analysis/index.ts';
import { eventsFile, k6JsonRun, steady, tempDir, writeTemp, type SyntheticRequest, seededRandom } from './synthetic.ts';

// Windows with known truth: percentiles against exact ones, the send-time placement of
// slow requests, dropped iterations as failures, and merging two partial runs.

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it (HDR's definition). */
function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length - 1e-9) - 1)]!;
}

async function analyze(requests: SyntheticRequest[], options: { dropped?: Array<{ atMs: number }>; events?: Parameters<typeof eventsFile>[0] } = {}): Promise<Summary> {
  const dir = await tempDir();
  const file = await writeTemp(dir, 'samples.json.gz', k6JsonRun(requests, options.dropped), true);
  return (await analyzeRun({ samplesFile: file, events: eventsFile(options.events ?? []) })).summary;
}

test('percentiles are within HDR precision (3 significant digits) of the exact values', async () => {
  const next = seededRandom(42);
  // Log-uniform from 0.2 ms to 5 s: every HDR bucket range is exercised.
  const requests = steady(0, 5000, 2000, () => ({ durationMs: Math.round(0.2 * Math.pow(25_000, next()) * 1000) / 1000 }));
  const summary = await analyze(requests, { events: [{ edge: 'on', proxy: 'store', atMs: 2500 }] });
  const check = (values: number[], stats: Summary['overall'], what: string) => {
    const sorted = [...values].sort((a, b) => a - b);
    for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9]] as const) {
      const exact = exactPercentile(sorted, p);
      assert.ok(Math.abs(stats[key] - exact) <= exact * 0.001 + 0.0005, `${what} ${key}: ${stats[key]} vs exact ${exact}`);
    }
    assert.equal(stats.max, sorted[sorted.length - 1], `${what} max is exact`);
    assert.equal(stats.requests, values.length);
  };
  check(requests.map((r) => r.durationMs), summary.overall, 'overall');
  check(requests.filter((r) => r.sendMs < 2500).map((r) => r.durationMs), summary.phases[0]!, 'baseline');
  check(requests.filter((r) => r.sendMs >= 2500).map((r) => r.durationMs), summary.phases[1]!, 'fault-1');
  check(requests.filter((r) => r.sendMs >= 3000 && r.sendMs < 4000).map((r) => r.durationMs), summary.series[3]!, 'second 3');
});

test('a request is placed at its send time: end - duration - blocked', async () => {
  const requests = steady(0, 10_000, 100);
  requests.push({ sendMs: 2300, durationMs: 5000, failed: true }); // hung through a fault, ended at 7.3 s
  requests.push({ sendMs: 4100, durationMs: 100, blockedMs: 850 }); // waited for a connection, ended at 5.05 s
  const summary = await analyze(requests);
  const second = (s: number) => summary.series.find((p) => p.tMs === s * 1000)!;
  assert.equal(second(2).requests, 101);
  assert.equal(second(2).errors, 1);
  assert.equal(second(2).max, 5000);
  assert.equal(second(7).requests, 100);
  assert.equal(second(7).max, 2);
  assert.equal(second(4).requests, 101);
  assert.equal(second(5).requests, 100);
});

test('dropped iterations count as failures in every error rate and are reported apart', async () => {
  const requests = steady(0, 4000, 100); // 100 per second, no errors
  const dropped = [...Array(25).keys()].map((i) => ({ atMs: 2000 + i * 40 })); // 25 in second 2
  const summary = await analyze(requests, { dropped, events: [{ edge: 'on', proxy: 'store', atMs: 2000 }] });
  assert.equal(summary.load.dropped, 25);
  assert.equal(summary.overall.dropped, 25);
  assert.equal(summary.overall.errorRate, 25 / 425);
  const s2 = summary.series[2]!;
  assert.deepEqual([s2.requests, s2.errors, s2.dropped, s2.errorRate], [100, 0, 25, 25 / 125]);
  assert.equal(summary.phases[1]!.errorRate, 25 / 225);
  assert.equal(summary.transitions[0]!.dropped, 25);
  assert.equal(summary.transitions[0]!.errorRate, 25 / (25 + 300)); // window [1 s, 7 s) clipped by the data: 300 requests
  assert.ok(summary.warnings.some((w) => /25 iteration\(s\) dropped/.test(w)));
});

test('two partial runs (two k6 machines) merge into the summary of the whole run', async () => {
  const next = seededRandom(7);
  const requests = steady(0, 8000, 500, (t) => ({ durationMs: 1 + next() * 20, failed: t > 3000 && t < 3500 }));
  const events = eventsFile([{ edge: 'on', proxy: 'store', atMs: 3000 }, { edge: 'off', proxy: 'store', atMs: 3500 }]);
  const dir = await tempDir();
  const whole = await writeTemp(dir, 'whole.json.gz', k6JsonRun(requests), true);
  const a = await writeTemp(dir, 'a.json.gz', k6JsonRun(requests.filter((_, i) => i % 2 === 0)), true);
  const b = await writeTemp(dir, 'b.json', k6JsonRun(requests.filter((_, i) => i % 2 === 1)));
  const one = await analyzeRun({ samplesFile: whole, events });
  const two = await analyzeRun({ samplesFile: [a, b], events });
  const { inputs: _x, ...oneRest } = one.summary;
  const { inputs: _y, ...twoRest } = two.summary;
  assert.deepEqual(twoRest, oneRest);
  assert.equal(two.hlog, one.hlog);
});
