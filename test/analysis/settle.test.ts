import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun, type Summary } from '../../lib/analysis/index.ts';
import { eventsFile, k6JsonRun, steady, tempDir, writeTemp, type SyntheticEdge, type SyntheticRequest } from './synthetic.ts';

// Settle time is "the first step after which everything is in band": a transient that ends
// inside step k (its last bad request sent in [edge + (k-1) x 100 ms, edge + k x 100 ms))
// reads k steps, never fewer, while a lone stall later on (a GC pause) is still forgiven.
// 1000 req/s, so every 100 ms step holds 100 requests and its last step holds at least 2 bad
// ones here (what a p99 of 100 requests sees).

const STEP_MS = 100;
const ON_MS = 5003.5; // not on a 100 ms boundary of t0: steps are aligned on the edge
const OFF_MS = 11_001.25;

async function analyze(requests: SyntheticRequest[], edges: SyntheticEdge[]): Promise<Summary> {
  const dir = await tempDir();
  const file = await writeTemp(dir, 'samples.json', k6JsonRun(requests));
  return (await analyzeRun({ samplesFile: file, events: eventsFile(edges), scenario: { name: 't', targetRate: 1000, slo: [] } })).summary;
}

const edges: SyntheticEdge[] = [{ edge: 'on', proxy: 'store', atMs: ON_MS }, { edge: 'off', proxy: 'store', atMs: OFF_MS }];
const within = (t: number, from: number, lengthMs: number) => t >= from && t < from + lengthMs;
const stepsOf = (lengthMs: number) => Math.ceil(lengthMs / STEP_MS) * STEP_MS;

/**
 * 16.5 s at 1000 req/s: 2 ms before the fault, 1 ms during it (a cache answering), 2 ms after;
 * for `lengthMs` after each edge every request takes `slowMs` (no errors), or fails with `failing`.
 */
function transients(lengthMs: number, options: { slowMs?: number; failing?: boolean; extra?: (t: number) => Partial<SyntheticRequest> | undefined } = {}): SyntheticRequest[] {
  return steady(0, 16_500, 1000, (t) => {
    const extra = options.extra?.(t);
    if (extra) return extra;
    if (within(t, ON_MS, lengthMs) || within(t, OFF_MS, lengthMs)) {
      return options.failing ? { failed: true, durationMs: 0.5 } : { durationMs: options.slowMs ?? 120 };
    }
    return { durationMs: t >= ON_MS && t < OFF_MS ? 1 : 2 };
  });
}

test('a latency-only transient right after the edge reads the steps it touched, never fewer', async () => {
  // 250 ms read 200 ms and 90 ms read 0 ms when the judgement window could leave out its own first step.
  for (const lengthMs of [20, 90, 250, 710]) {
    const [on, off] = (await analyze(transients(lengthMs), edges)).transitions;
    assert.equal(on!.settleTimeMs, stepsOf(lengthMs), `on edge, ${lengthMs} ms transient`);
    assert.equal(off!.recoveryTimeMs, stepsOf(lengthMs), `off edge, ${lengthMs} ms transient`);
  }
});

test('an error transient reads the steps it touched too', async () => {
  for (const lengthMs of [90, 1350]) {
    const [on, off] = (await analyze(transients(lengthMs, { failing: true }), edges)).transitions;
    assert.equal(on!.settleTimeMs, stepsOf(lengthMs), `on edge, ${lengthMs} ms of errors`);
    assert.equal(off!.recoveryTimeMs, stepsOf(lengthMs), `off edge, ${lengthMs} ms of errors`);
  }
});

test('a lone stall away from the edge (a GC pause) does not hold settling back; in the settling step it costs that one step', async () => {
  // 250 ms transient; then 25 consecutive requests of 40 ms (one fine window) at `stallAtMs` after each edge.
  const withStall = (stallAtMs: number) => transients(250, {
    extra: (t) => (within(t, ON_MS + stallAtMs, 25) || within(t, OFF_MS + stallAtMs, 25) ? { durationMs: 40 } : undefined),
  });
  for (const stallAtMs of [500, 1300]) {
    const [on, off] = (await analyze(withStall(stallAtMs), edges)).transitions;
    assert.deepEqual([on!.settleTimeMs, off!.recoveryTimeMs], [300, 300], `stall ${stallAtMs} ms after the edge`);
  }
  // The stall in the very step where the service settles cannot be told from the transient's tail.
  const [on, off] = (await analyze(withStall(310), edges)).transitions;
  assert.deepEqual([on!.settleTimeMs, off!.recoveryTimeMs], [400, 400]);
});
