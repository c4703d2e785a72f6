import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../lib/errors.ts';
import { analyzeRun, parseThreshold, readScenarioInfo, scenarioInfoFromJson } from '../../lib/analysis/index.ts';
import { eventsFile, k6JsonRun, steady, tempDir, writeTemp } from './synthetic.ts';

// SLOs in k6 threshold syntax over k6 metrics and faultline measures.

test('thresholds parse like k6, with duration units in ms', () => {
  assert.deepEqual(parseThreshold('p(99)<250'), { aggregation: 'p', percentile: 99, op: '<', limit: 250 });
  assert.deepEqual(parseThreshold('p(99.9) <= 1.5s'), { aggregation: 'p', percentile: 99.9, op: '<=', limit: 1500 });
  assert.deepEqual(parseThreshold('rate<0.05'), { aggregation: 'rate', op: '<', limit: 0.05 });
  assert.deepEqual(parseThreshold('max<1m'), { aggregation: 'max', op: '<', limit: 60_000 });
  assert.equal(parseThreshold('below 5%'), null);
});

test('SLOs over k6 metrics and faultline measures; the verdict fails when one fails', async () => {
  // 200 req/s for 20 s; a fault 5-10 s fails 10% of requests and adds latency; clean after.
  const requests = steady(0, 20_000, 200, (t, i) => ({ failed: t >= 5000 && t < 10_000 && i % 10 === 0, durationMs: t >= 5000 && t < 10_000 ? 100 : 2 }));
  const dir = await tempDir();
  const samples = await writeTemp(dir, 's.json', k6JsonRun(requests, [{ atMs: 6000, count: 3 }]));
  const slo = {
    'overall.p99': ['p(99)<250'],
    'phase.fault-1.p50': ['value<50'], // fails: 100 ms
    'phase.fault.errorRate': ['max<0.2'],
    'phase.nope.p99': ['max<1'], // fails: no such phase
    'transition.errorRate': ['max<0.05', 'min<0.2'], // worst transition ~8%: fails, best passes
    'recovery.time': ['max<1s'],
    http_req_duration: ['p(95)<150', 'avg<50', 'med<3'],
    http_req_failed: ['rate<0.05'],
    http_reqs: ['count==4000'],
    dropped_iterations: ['count<1'], // fails: 3
    iterations: ['count>0'], // fails: not measured
  };
  const { summary } = await analyzeRun({
    samplesFile: samples,
    events: eventsFile([{ edge: 'on', proxy: 'store', atMs: 5000 }, { edge: 'off', proxy: 'store', atMs: 10_000 }]),
    scenario: scenarioInfoFromJson({ name: 's', slo }),
  });
  const byCondition = Object.fromEntries(summary.slo.map((r) => [`${r.measure} ${r.condition}`, r]));
  const passes = (key: string) => byCondition[key]!.pass;
  assert.equal(passes('overall.p99 p(99)<250'), true);
  assert.equal(passes('phase.fault-1.p50 value<50'), false);
  assert.equal(byCondition['phase.fault-1.p50 value<50']!.observed, 100);
  assert.equal(passes('phase.fault.errorRate max<0.2'), true);
  assert.equal(passes('phase.nope.p99 max<1'), false);
  assert.match(byCondition['phase.nope.p99 max<1']!.note!, /no phase named nope/);
  assert.equal(passes('transition.errorRate max<0.05'), false);
  assert.equal(passes('transition.errorRate min<0.2'), true);
  assert.equal(passes('recovery.time max<1s'), true);
  assert.equal(byCondition['recovery.time max<1s']!.observed, 0);
  assert.equal(passes('http_req_duration p(95)<150'), true);
  assert.equal(passes('http_req_duration avg<50'), true);
  assert.equal(passes('http_req_duration med<3'), true);
  assert.equal(passes('http_req_failed rate<0.05'), true);
  assert.equal(byCondition['http_req_failed rate<0.05']!.observed, 100 / 4000);
  assert.equal(passes('http_reqs count==4000'), true);
  assert.equal(passes('dropped_iterations count<1'), false);
  assert.equal(passes('iterations count>0'), false);
  assert.equal(summary.verdict, 'fail');
  assert.equal(summary.slo.length, 14);
});

test('no scenario: no SLOs and a pass; a scenario .ts and a scenario.json both give SLOs', async () => {
  const dir = await tempDir();
  const samples = await writeTemp(dir, 's.json', k6JsonRun(steady(0, 2000, 100)));
  const none = (await analyzeRun({ samplesFile: samples })).summary;
  assert.deepEqual([none.slo, none.verdict], [[], 'pass']);

  const ts = join(dir, 'scenario.ts');
  await writeFile(ts, `export default { name: 'from-ts', target: { baseUrl: 'http://127.0.0.1:8080' },
    load: { executor: 'constant-arrival-rate', rate: 100, duration: '2s' }, requests: [{ name: 'verify', path: '/' }],
    slo: { 'overall.p99': 'p(99)<1' } };\n`);
  const fromTs = await readScenarioInfo(ts);
  assert.deepEqual([fromTs.name, fromTs.targetRate, fromTs.slo], ['from-ts', 100, [{ measure: 'overall.p99', conditions: ['p(99)<1'] }]]);
  const summary = (await analyzeRun({ samplesFile: samples, scenario: fromTs })).summary;
  assert.deepEqual([summary.verdict, summary.load.targetRate, summary.scenario.target], ['fail', 100, 'http://127.0.0.1:8080']);

  assert.throws(() => scenarioInfoFromJson({ name: 'x', slo: { http_req_failed: ['rate<'] } }), InvalidInputError);
});
