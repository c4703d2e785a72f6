import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from '../../lib/engine/index.ts';
import { startCountingServer } from '../helpers/net.ts';
import { points, readSamples, samplesPath, scenarioFor } from './support.ts';

test('a slow target with a small maxVUs: iterations are dropped and counted, never delayed', async () => {
  // Each answer takes 250 ms; 10 VUs hold 10 requests at a time: at most 40/s of the 100/s asked.
  const server = await startCountingServer((_req, res) => { setTimeout(() => res.end('ok'), 250); });
  try {
    const file = await samplesPath();
    const scenario = scenarioFor(server.url, { executor: 'constant-arrival-rate', rate: 100, duration: '1s', preAllocatedVUs: 5, maxVUs: 10 });
    const result = await runLoad({ scenario, samplesFile: file });
    assert.equal(result.sent + result.dropped, 101, 'every due iteration (0 ms to 1000 ms, both included) is either started or dropped');
    assert.equal(server.arrivals.length, result.sent);
    assert.equal(result.vusMax, 10);
    // A VU holds each request >= 250 ms, so it starts at most 4 of the 100 due in 1 s: at
    // most 40 start, at least the first 10 do.
    assert.ok(result.dropped >= 55 && result.dropped <= 90, `dropped ${result.dropped}`);
    const lines = readSamples(file);
    assert.equal(points(lines, 'dropped_iterations').length, result.dropped);
    assert.deepEqual(points(lines, 'dropped_iterations')[0]!.data.tags, { scenario: 'load' });
    assert.equal(points(lines, 'iterations').length, result.sent);
    // Open model: an iteration without a free VU is dropped, not made to wait for one (a
    // wait would show as lags near the 250 ms service time). Loose bounds: busy machines.
    assert.ok(result.schedulerLagMs.p50 < 20, `lag p50 ${result.schedulerLagMs.p50} ms`);
    assert.ok(result.schedulerLagMs.p99 < 150, `lag p99 ${result.schedulerLagMs.p99} ms`);
  } finally {
    await server.close();
  }
});
