import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileMs, toUs } from '../../lib/hdr/index.ts';
import { newHistogram, percentileMs as summaryPercentileMs } from '../../lib/analysis/hdr.ts';
import { LatencyHistogram } from '../../lib/engine/latency-histogram.ts';

test('an empty histogram has no percentile: null, which the engine reports as NaN and the summary as 0', () => {
  assert.equal(percentileMs(newHistogram(), 99), null);
  assert.ok(Number.isNaN(new LatencyHistogram().percentileMs(99)));
  assert.equal(summaryPercentileMs(newHistogram(), 99), 0);
});

test("the engine's and the analysis's histograms record ms as integer us and report the same percentiles", () => {
  const engine = new LatencyHistogram();
  const analysis = newHistogram();
  for (const ms of [-1, 0, 0.0004, 1.2345, 2, 250.5]) {
    engine.record(ms);
    analysis.recordValue(toUs(ms));
  }
  assert.equal(toUs(1.2345), 1235);
  for (const p of [0, 50, 90, 99, 100]) assert.equal(engine.percentileMs(p), summaryPercentileMs(analysis, p), `p${p}`);
  assert.equal(engine.percentileMs(100), percentileMs(analysis, 100));
});
