import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeRun, mergeStates, UnmergeableError } from '../../lib/analysis/index.ts';
import { InvalidInputError } from '../../lib/errors.ts';
import { resolveScenario } from '../../lib/scenario/index.ts';
import { runCli } from '../helpers/cli.ts';
import { eventsFile, isoNs, k6JsonRun, steady, T0_MS, tempDir, writeTemp } from './synthetic.ts';

// A distributed k6 test (`--execution-segment`, k6-operator) writes one samples file per
// segment; analysed together they are one run: one t0 (the earliest load request in any
// file), counts that add up, transitions placed once. Files that cannot be one run are bad
// input, said in one line.

const scenario = resolveScenario({
  name: 'segments', target: { baseUrl: 'http://127.0.0.1:8080' },
  load: { executor: 'constant-arrival-rate', rate: 200, duration: '12s' },
  requests: [{ name: 'verify', path: '/verify' }],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [{ at: '5s', for: '5s', proxy: 'store', fault: { type: 'down', attributes: {} } }],
}, { env: {} }).scenario;

/** A call of the in-k6 timeline (setup, step or teardown) as k6 writes it: not load. */
function timelineCall(atMs: number, k6Scenario?: string): string {
  const scenarioTag = k6Scenario ? `,"scenario":"${k6Scenario}"` : '';
  const tags = `{"expected_response":"true","group":"","method":"POST","name":"faultline-timeline","proto":"HTTP/1.1"${scenarioTag},"status":"200","url":"http://127.0.0.1:8474/proxies/store"}`;
  const time = isoNs(T0_MS + atMs);
  return ['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_failed']
    .map((m) => `{"metric":"${m}","type":"Point","data":{"time":"${time}","value":${m === 'http_reqs' ? 1 : m === 'http_req_failed' ? 0 : 0.5},"tags":${tags}}}`).join('\n');
}

/**
 * Two segments of one run: A starts first; B starts 137 ms later. With `inK6Timeline`, each
 * ran setup() before its load and B ran the timeline's steps.
 */
async function segmentedRun(inK6Timeline = true) {
  const failed = (t: number) => t >= 5000 && t < 10_000;
  const a = steady(0, 12_000, 100, (t) => ({ durationMs: 2 + (t % 7), failed: failed(t) }));
  const b = steady(137, 12_000, 100, (t) => ({ durationMs: 3 + (t % 5), failed: failed(t) }));
  const setupA = inK6Timeline ? `${timelineCall(-400)}\n` : '';
  const setupB = inK6Timeline ? `${timelineCall(-300)}\n` : '';
  const steps = inK6Timeline ? `${timelineCall(5137.3, 'faultline_timeline')}\n${timelineCall(10_137.2, 'faultline_timeline')}\n` : '';
  const dir = await tempDir();
  const whole = [...a, ...b];
  return {
    requests: whole,
    counts: [a.length, b.length],
    whole: await writeTemp(dir, 'whole.json.gz', `${setupA}${setupB}${k6JsonRun(whole)}${steps}`, true),
    segA: await writeTemp(dir, 'seg-a.json.gz', `${setupA}${k6JsonRun(a)}`, true),
    segB: await writeTemp(dir, 'seg-b.json', `${setupB}${k6JsonRun(b)}${steps}`),
    dir,
  };
}

test('the segments of a --timeline-in-k6 run analyse as the whole run: one t0, counts added, transitions once', async () => {
  const run = await segmentedRun();
  const one = await analyzeRun({ samplesFile: run.whole, scenario });
  const two = await analyzeRun({ samplesFile: [run.segA, run.segB], scenario });
  const { inputs, ...twoRest } = two.summary;
  const { inputs: _whole, ...oneRest } = one.summary;
  assert.deepEqual(twoRest, oneRest);
  assert.equal(two.hlog, one.hlog);
  // t0 is segment A's first load request, not a setup() call and not segment B's start.
  assert.equal(two.summary.startedAt, new Date(T0_MS).toISOString());
  assert.equal(two.summary.load.requests, run.requests.length);
  assert.deepEqual(inputs?.map((i) => i.requests), run.counts);
  assert.deepEqual(two.summary.transitions.map((t) => [t.edge, t.atMs]), [['on', 5000], ['off', 10_000]]);
  const sentIn = (from: number, to: number) => run.requests.filter((r) => r.sendMs >= from && r.sendMs < to).length;
  assert.deepEqual(two.summary.phases.map((p) => [p.name, p.requests]), [['baseline', sentIn(0, 5000)], ['fault-1', sentIn(5000, 10_000)], ['recovery-1', sentIn(10_000, 12_000)]]);
  assert.equal(two.summary.phases[1]!.errorRate, 1);
});

test('segments without events or scenario merge on the earliest request of any file', async () => {
  const run = await segmentedRun(false);
  const one = (await analyzeRun({ samplesFile: run.whole })).summary;
  const two = (await analyzeRun({ samplesFile: [run.segB, run.segA] })).summary;
  assert.equal(two.startedAt, new Date(T0_MS).toISOString());
  assert.deepEqual([two.load, two.overall, two.series, two.phases], [one.load, one.overall, one.series, one.phases]);
  assert.equal(two.load.requests, run.requests.length);
  assert.deepEqual(two.transitions, []);
  assert.ok(two.warnings.some((w) => /t0 is the earliest request sent in any samples file/.test(w)), two.warnings.join('\n'));
});

test('a samples file given twice is refused in one line, exit 2 from the CLI', async () => {
  const run = await segmentedRun();
  await assert.rejects(analyzeRun({ samplesFile: [run.segA, join(run.dir, '.', 'seg-a.json.gz')], scenario }), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError);
    assert.match((error as Error).message, /^samples file .*seg-a\.json\.gz is given twice: its requests would be counted twice$/);
    return true;
  });
  const r = await runCli(['analyze', run.segA, run.segB, run.segA, '--out', join(run.dir, 'out')]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^faultline: samples file .* is given twice/);
});

test('states of different events do not merge: UnmergeableError, one line', async () => {
  const run = await segmentedRun();
  const on = await analyzeRun({ samplesFile: run.segA, events: eventsFile([{ edge: 'on', proxy: 'store', atMs: 5000 }]) });
  const off = await analyzeRun({ samplesFile: run.segB, events: eventsFile([{ edge: 'on', proxy: 'store', atMs: 6000 }]) });
  assert.throws(() => mergeStates(on.state, off.state), (error: unknown) => {
    assert.ok(error instanceof UnmergeableError && error instanceof InvalidInputError);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /seg-b\.json .*seg-a\.json\.gz: their events differ/);
    return true;
  });
});
