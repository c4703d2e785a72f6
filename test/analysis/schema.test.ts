import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { analyzeRun, writeAnalysis } from '../../lib/analysis/index.ts';
import { FAULT_TYPES } from '../../lib/scenario/index.ts';
import { HistogramLogReader } from 'hdr-histogram-js';
import { eventsFile, k6JsonRun, steady, tempDir, writeTemp } from './synthetic.ts';

// summary.json against its JSON Schema (draft 2020-12), and latency.hlog read back with
// HdrHistogram's own log reader.

const SCHEMA = new URL('../../lib/analysis/summary.schema.json', import.meta.url);

async function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(JSON.parse(await readFile(SCHEMA, 'utf8')));
}

test('a produced summary.json validates against summary.schema.json; latency.hlog reads back', async () => {
  const validate = await validator();
  const dir = await tempDir();
  const requests = steady(0, 6000, 500, (t) => ({ failed: t >= 2000 && t < 2600, durationMs: 1 + (t % 7) }));
  const samples = await writeTemp(dir, 'samples.json.gz', k6JsonRun(requests, [{ atMs: 2100 }]), true);
  const result = await analyzeRun({
    samplesFile: samples,
    events: eventsFile([{ edge: 'on', proxy: 'store', atMs: 2000 }, { edge: 'off', proxy: 'store', atMs: 2500 }]),
    scenario: { name: 's', target: 'http://127.0.0.1:8080', targetRate: 500, slo: [{ measure: 'overall.p99', conditions: ['p(99)<250'] }, { measure: 'recovery.time', conditions: ['max<1s'] }] },
    engine: { name: 'k6', version: 'v0.49.0' },
    versions: { faultline: '0.1.0' },
  });
  const { summaryFile, hlogFile } = await writeAnalysis(join(dir, 'out'), result);
  const written = JSON.parse(await readFile(summaryFile, 'utf8'));
  assert.ok(validate(written), JSON.stringify(validate.errors, null, 2));
  assert.equal((written as { transitions: unknown[] }).transitions.length, 2);

  const reader = new HistogramLogReader(await readFile(hlogFile, 'utf8'));
  let total = 0;
  let intervals = 0;
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) {
    total += h.totalCount;
    intervals++;
  }
  assert.equal(intervals, 6);
  assert.equal(total, requests.length);
});

test('the schema rejects a summary that breaks the contract', async () => {
  const validate = await validator();
  const dir = await tempDir();
  const samples = await writeTemp(dir, 's.json', k6JsonRun(steady(0, 2000, 100)));
  const { summary } = await analyzeRun({ samplesFile: samples });
  assert.ok(validate(JSON.parse(JSON.stringify(summary))));
  assert.equal(validate({ ...summary, verdict: 'maybe' }), false);
  assert.equal(validate({ ...summary, overall: { ...summary.overall, errorRate: 2 } }), false);
  const { transitions: _t, ...withoutTransitions } = summary;
  assert.equal(validate(withoutTransitions), false);
});

test("summary.schema.json's transition types are exactly the scenario's fault types", async () => {
  const schema = JSON.parse(await readFile(SCHEMA, 'utf8')) as { $defs: { transition: { properties: { type: { enum: string[] } } } } };
  assert.deepEqual([...schema.$defs.transition.properties.type.enum].sort(), [...FAULT_TYPES].sort());
});
