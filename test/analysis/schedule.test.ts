import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../lib/analysis/index.ts';
import { resolveScenario } from '../../lib/scenario/index.ts';
import { isoNs, k6JsonRun, steady, T0_MS, tempDir, writeTemp } from './synthetic.ts';

// A --timeline-in-k6 run has no events.json: its faults are placed on the scenario's
// schedule from the first request sent, and the timeline's own Toxiproxy API calls (k6
// requests tagged scenario=faultline_timeline) are not counted as load.

const scenario = resolveScenario({
  name: 'sched', target: { baseUrl: 'http://127.0.0.1:8080' },
  load: { executor: 'constant-arrival-rate', rate: 200, duration: '20s' },
  requests: [{ name: 'verify', path: '/verify' }],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [{ at: '5s', for: '5s', proxy: 'store', fault: { type: 'down', attributes: {} } }],
  slo: { 'transition.errorRate': 'max<0.5' },
}, { env: {} }).scenario;

/** A timeline call as k6 writes it: an http request of the faultline_timeline scenario. */
function timelineCall(atMs: number): string {
  const tags = '{"expected_response":"true","group":"","method":"POST","name":"faultline-timeline","proto":"HTTP/1.1","scenario":"faultline_timeline","status":"200","url":"http://127.0.0.1:8474/proxies/store"}';
  const time = isoNs(T0_MS + atMs);
  return ['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_failed']
    .map((m) => `{"metric":"${m}","type":"Point","data":{"time":"${time}","value":${m === 'http_reqs' ? 1 : m === 'http_req_failed' ? 0 : 0.5},"tags":${tags}}}`).join('\n');
}

test('without events.json, transitions follow the scenario schedule from the first request sent', async () => {
  // The load starts at t0 + 0; the store is down (every request fails) from 5 s to 10 s.
  const requests = steady(0, 20_000, 200, (t) => ({ failed: t >= 5000 && t < 10_000 }));
  const samples = `${k6JsonRun(requests)}\n${timelineCall(5000.3)}\n${timelineCall(10_000.2)}`;
  const file = await writeTemp(await tempDir(), 'samples.json', samples);
  const { summary } = await analyzeRun({ samplesFile: file, scenario });
  assert.equal(summary.load.requests, requests.length, 'the timeline\'s own API calls are not load');
  assert.deepEqual(summary.transitions.map((t) => [t.edge, Math.round(t.atMs)]), [['on', 5000], ['off', 10_000]]);
  assert.deepEqual(summary.phases.map((p) => [p.name, p.requests]), [['baseline', 1000], ['fault-1', 1000], ['recovery-1', 2000]]);
  assert.equal(summary.phases[1]!.errorRate, 1);
  assert.ok(summary.warnings.some((w) => /schedule/.test(w)), summary.warnings.join('\n'));
});

test('an explicit `events: null` (a run that never started its timeline) derives nothing', async () => {
  const file = await writeTemp(await tempDir(), 'samples.json', k6JsonRun(steady(0, 3000, 100)));
  const { summary } = await analyzeRun({ samplesFile: file, scenario, events: null });
  assert.deepEqual(summary.transitions, []);
});
