import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from '../../lib/engine/index.ts';
import { startCountingServer } from '../helpers/net.ts';
import { points, readSamples, samplesPath, scenarioFor } from './support.ts';

// Rates and counts measured where the requests arrive: at a real local server.

test('constant-arrival-rate: exactly rate x duration + 1 requests arrive (as k6), spread at the rate', async () => {
  const server = await startCountingServer();
  try {
    const file = await samplesPath();
    const scenario = scenarioFor(server.url, { executor: 'constant-arrival-rate', rate: 200, duration: '2s', maxVUs: 400 });
    let t0 = 0;
    const result = await runLoad({ scenario, samplesFile: file, onStart: (t) => { t0 = t; } });
    assert.equal(server.arrivals.length, 401, 'the engine controls the count: exact');
    assert.equal(result.sent, 401);
    assert.equal(result.completed, 401);
    assert.equal(result.dropped, 0);
    assert.ok(t0 > 0 && result.t0EpochMs === t0);
    // maxVUs covers every iteration, so even a stalled machine cannot make the load drop one.
    // 200 arrivals due per second from t0; a busy machine may shift a few across the boundary.
    const count = sinceT0(server.arrivals, t0);
    assert.ok(Math.abs(count(0, 1000) - 200) <= 30, `first second: ${count(0, 1000)} arrivals`);
    assert.ok(Math.abs(count(1000, 2100) - 201) <= 30, `second second and the one at 2 s: ${count(1000, 2100)} arrivals`);
    const span = server.arrivals[400]! - server.arrivals[0]!;
    assert.ok(span > 1800 && span < 2200, `400 intervals of 5 ms span ${span} ms`);
    assert.equal(points(readSamples(file), 'http_reqs').length, 401);
  } finally {
    await server.close();
  }
});

test('ramping-arrival-rate: stage counts at the server follow the ramp', async () => {
  const server = await startCountingServer();
  try {
    // 0 -> 400/s over 1 s (200 iterations), then 400/s for 0.5 s (200).
    const scenario = scenarioFor(server.url, { executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 400, duration: '1s' }, { target: 400, duration: '500ms' }], maxVUs: 400 });
    let t0 = 0;
    const result = await runLoad({ scenario, samplesFile: await samplesPath(), onStart: (t) => { t0 = t; } });
    assert.equal(server.arrivals.length, 400);
    assert.equal(result.sent, 400);
    const count = sinceT0(server.arrivals, t0);
    // Cumulative from t0 (one boundary each, so a stalled machine shifts few): the first half
    // of the ramp holds a quarter of its area (50), the whole ramp 200, then 400/s.
    assert.ok(Math.abs(count(0, 500) - 50) <= 25, `ramp's first half: ${count(0, 500)}`);
    assert.ok(Math.abs(count(0, 1000) - 200) <= 30, `whole ramp: ${count(0, 1000)}`);
    assert.ok(count(0, 500) < count(500, 1000), 'the rate rises along the ramp');
  } finally {
    await server.close();
  }
});

/** Counts arrivals (performance.now() ms) in [fromMs, toMs) after t0 (epoch ms). */
function sinceT0(arrivals: number[], t0EpochMs: number) {
  const t0 = t0EpochMs - performance.timeOrigin;
  return (fromMs: number, toMs: number) => arrivals.filter((t) => t - t0 >= fromMs && t - t0 < toMs).length;
}
