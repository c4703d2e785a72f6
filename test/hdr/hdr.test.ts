import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { statsOf } from '../../lib/analysis/stats.ts';
import { LiveWindow, mergeWindowData } from '../../lib/analysis/window.ts';
import { WindowStats } from '../../lib/engine/window-stats.ts';
import { decodeHistogram, LatencyWindow, newHistogram, percentileMs, toUs } from '../../lib/hdr/index.ts';

// lib/hdr is the one wrapper of hdr-histogram-js under the engine (live windows, scheduler
// lag) and the analysis (windows written down and merged): one set of units, one answer for
// an empty histogram.

const SCHEMA = new URL('../../lib/analysis/summary.schema.json', import.meta.url);

async function statsValidator() {
  const schema = JSON.parse(await readFile(SCHEMA, 'utf8')) as { $id: string };
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}#/$defs/stats`);
  assert.ok(validate, 'summary.schema.json defines stats');
  return validate;
}

test('an empty histogram\'s percentiles are 0 in the engine and the analysis alike: what summary.schema.json allows, no NaN or null in JSON', async () => {
  const engine = new LatencyWindow(); // as the scheduler's lag
  const analysis = new LiveWindow();
  for (const p of [0, 50, 99, 99.9, 100]) {
    assert.equal(percentileMs(newHistogram(), p), 0, `p${p} of a new histogram`);
    assert.equal(engine.percentileMs(p), 0, `p${p} of the engine's window`);
    assert.equal(analysis.percentileMs(p), 0, `p${p} of the analysis's window`);
  }
  engine.record(5);
  engine.reset();
  assert.deepEqual([engine.count, engine.percentileMs(99)], [0, 0], 'a reset window is empty again');

  const empty = statsOf(analysis.toData());
  const validate = await statsValidator();
  assert.ok(validate(JSON.parse(JSON.stringify(empty))), JSON.stringify(validate.errors));
  assert.deepEqual(Object.entries(empty).filter(([, v]) => !Number.isFinite(v)), [], 'every figure a finite number');
  assert.equal(empty.requests, 0, 'the count is what says the window is empty');
});

test("the engine's live window says an empty second has no p99 (NaN, by its count), never 0 ms", () => {
  const window = new WindowStats();
  window.started = 2;
  const quiet = window.take();
  assert.deepEqual([quiet.started, quiet.completed], [2, 0]);
  assert.ok(Number.isNaN(quiet.p99Ms) && Number.isNaN(quiet.intendedP99Ms), `${quiet.p99Ms}, ${quiet.intendedP99Ms}`);
  window.record(12, 15, true);
  const busy = window.take();
  assert.deepEqual([busy.started, busy.completed, busy.failed], [0, 1, 1]);
  assert.ok(Math.abs(busy.p99Ms - 12) <= 0.012 && Math.abs(busy.intendedP99Ms - 15) <= 0.015, `${busy.p99Ms}, ${busy.intendedP99Ms}`);
  assert.ok(Number.isNaN(window.take().p99Ms), 'take() starts the next second empty');
});

test("the engine's and the analysis's windows record ms as integer us and report the same figures, before and after a merge", () => {
  const engine = new LatencyWindow();
  const analysis = new LiveWindow();
  const values = [-1, 0, 0.0004, 1.2345, 2, 250.5, 7_200_000];
  for (const [i, ms] of values.entries()) {
    engine.record(ms, i % 2 === 0);
    analysis.record(ms, i % 2 === 0);
  }
  assert.equal(toUs(1.2345), 1235);
  assert.deepEqual([engine.count, engine.failed, engine.minMs, engine.maxMs], [7, 4, -1, 7_200_000]);
  assert.deepEqual([analysis.count, analysis.failed, analysis.minMs, analysis.maxMs], [7, 4, -1, 7_200_000]);
  // Two halves merged, as two k6 machines' windows are, give the whole.
  const [a, b] = [new LiveWindow(), new LiveWindow()];
  for (const [i, ms] of values.entries()) (i < 3 ? a : b).record(ms, i % 2 === 0);
  const merged = mergeWindowData(a.toData(), b.toData());
  const whole = analysis.toData();
  assert.deepEqual({ ...merged, histogram: '', sumMs: 0 }, { ...whole, histogram: '', sumMs: 0 });
  assert.ok(Math.abs(merged.sumMs - whole.sumMs) < 1e-6, `${merged.sumMs} vs ${whole.sumMs}`);
  const mergedHistogram = decodeHistogram(merged.histogram);
  for (const p of [0, 50, 90, 99, 100]) {
    assert.equal(engine.percentileMs(p), analysis.percentileMs(p), `p${p}`);
    assert.equal(percentileMs(mergedHistogram, p), analysis.percentileMs(p), `p${p} merged`);
  }
  const top = engine.percentileMs(100);
  assert.ok(Math.abs(top - 7_200_000) / 7_200_000 <= 0.001, `two hours (past the range a histogram starts with) within 0.1%: ${top}`);
});
