import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenario } from '../../lib/k6/index.ts';
import { loadScenario } from '../../lib/scenario/index.ts';
import { formatDuration } from '../../lib/scenario/duration.ts';
import { InvalidInputError } from '../../lib/errors.ts';
import { loadBundleWithRecorder } from '../helpers/k6-recorder.ts';

// These tests load the real esbuild bundle in Node with k6's modules replaced by a recorder:
// they check faultline's mapping of a scenario onto k6's API (options, requests, checks),
// not k6 itself. A real k6 runs the same bundle unchanged.

const SMOKE = new URL('../../scenarios/smoke.ts', import.meta.url).pathname;
const tmp = () => mkdtemp(join(tmpdir(), 'faultline-bundle-'));

test('the smoke bundle exports the k6 options the scenario implies', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke' });
  const { options } = await loadBundleWithRecorder(file);
  assert.deepEqual(options.scenarios, {
    smoke: { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '30s', preAllocatedVUs: 50, maxVUs: 500, gracefulStop: '30s' },
  });
  // SLOs over k6 metrics become thresholds; faultline's own measures do not.
  assert.deepEqual(options.thresholds, { http_req_failed: ['rate<0.05'], 'http_req_duration{name:verify}': ['p(99)<250'] });
});

test('the default function sends the weighted mix with methods, URLs, bodies, headers and tags', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke' });
  const { recording, iterate } = await loadBundleWithRecorder(file, { TARGET_URL: 'http://127.0.0.1:9999/' });
  const n = 10_000;
  iterate(n);
  assert.equal(recording.requests.length, n);
  const verify = recording.requests.filter((r) => r.params.tags?.name === 'verify');
  const health = recording.requests.filter((r) => r.params.tags?.name === 'health');
  assert.equal(verify.length + health.length, n);
  // Weights 9:1, so verify ~ Binomial(10000, 0.9): sd = 30; 5 sd either side is 9000 ± 150.
  assert.ok(Math.abs(verify.length - 9000) < 150, `verify share ${verify.length}/${n}`);
  for (const r of verify) {
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'http://127.0.0.1:9999/verify');
    assert.equal(r.params.headers?.['content-type'], 'application/json');
    assert.deepEqual(r.params.responseCallback, { expectedStatuses: [200] });
  }
  // The body is a pure function of the iteration number.
  const first = recording.requests.findIndex((r) => r.params.tags?.name === 'verify');
  assert.equal(recording.requests[first]!.body, JSON.stringify({ token: `t-${first % 100}` }));
  for (const r of health) {
    assert.equal(r.method, 'GET');
    assert.equal(r.url, 'http://127.0.0.1:9999/health');
    assert.equal(r.body, null);
    assert.deepEqual(r.params.responseCallback, { expectedStatuses: [{ min: 200, max: 399 }] });
  }
  assert.equal(recording.checks['verify status']?.passes, verify.length);
  assert.equal(recording.checks['health status']?.passes, health.length);
});

test('without TARGET_URL the scenario base URL is used', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke' });
  const { recording, iterate } = await loadBundleWithRecorder(file, {});
  iterate(50);
  assert.ok(recording.requests.every((r) => r.url.startsWith('http://127.0.0.1:8080/')));
});

test('ramping load, JSON bodies, timeouts, user checks and absolute URLs map onto k6', async () => {
  const dir = await tmp();
  const scenario = join(dir, 'ramp.ts');
  await writeFile(scenario, `import { defineScenario } from 'faultline';
export default defineScenario({
  name: 'ramp', target: { baseUrl: 'http://127.0.0.1:8080' },
  load: { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: 1000, stages: [{ target: 100, duration: '1m30s' }, { target: 0, duration: 500 }], preAllocatedVUs: 5, gracefulStop: '5s' },
  requests: [{ name: 'put', method: 'put', url: 'http://127.0.0.1:7000/items', body: (ctx) => ({ id: ctx.iteration }), timeout: '2s',
               expect: { status: [200, 201], check: (r) => r.body !== null && r.body.includes('ok') } }],
});
`);
  // The scenario lives outside the package: `faultline` must still resolve, as for a user.
  const file = await bundleScenario(scenario, { outDir: dir, name: 'ramp' });
  const { options, recording, iterate } = await loadBundleWithRecorder(file);
  assert.deepEqual(options.scenarios, {
    ramp: { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', stages: [{ target: 100, duration: '1m30s' }, { target: 0, duration: '500ms' }], preAllocatedVUs: 5, maxVUs: 5, gracefulStop: '5s' },
  });
  iterate(3);
  assert.deepEqual(recording.requests.map((r) => [r.method, r.url, r.body, r.params.timeout, r.params.headers?.['content-type']]), [
    ['PUT', 'http://127.0.0.1:7000/items', '{"id":0}', '2s', 'application/json'],
    ['PUT', 'http://127.0.0.1:7000/items', '{"id":1}', '2s', 'application/json'],
    ['PUT', 'http://127.0.0.1:7000/items', '{"id":2}', '2s', 'application/json'],
  ]);
  assert.deepEqual(recording.checks['put check'], { passes: 3, fails: 0 });
});

test('the bundle is lowered to es2017 (no object spread, ?. or ??) with k6 imports left external', async () => {
  // The proof that k6 parses it is test/real-tools/k6-bundles.test.ts, with the real k6.
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke' });
  const code = await readFile(file, 'utf8');
  assert.doesNotMatch(code, /\?\.|\?\?|\{\s*\.\.\./);
  assert.match(code, /from "k6\/http"/);
  assert.match(code, /export \{[^}]*options[^}]*\}|export const options/);
  assert.doesNotMatch(code, /from "(zod|undici|esbuild)"/);
});

test('a scenario importing a Node built-in fails the build naming the import and the file', async () => {
  const dir = await tmp();
  const scenario = join(dir, 'uses-fs.ts');
  await writeFile(scenario, `import { readFileSync } from 'node:fs';
import { defineScenario } from 'faultline';
const token = String(readFileSync);
export default defineScenario({ name: 'fs', target: { baseUrl: 'http://127.0.0.1:1' },
  load: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' }, requests: [{ name: 'a', path: '/' + token.length }] });
`);
  await assert.rejects(bundleScenario(scenario, { outDir: dir, name: 'fs' }), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError);
    assert.match(error.message, /uses-fs\.ts:1/);
    assert.match(error.message, /"node:fs"/);
    return true;
  });
});

test('--timeline-in-k6 adds a one-VU scenario that calls the Toxiproxy API at each step offset', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke', timelineInK6: true });
  const { module, options, recording } = await loadBundleWithRecorder(file, { TOXIPROXY_URL: 'http://127.0.0.1:8474/', TARGET_URL: 'http://127.0.0.1:9' });
  assert.deepEqual(options.scenarios.faultline_timeline, { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'faultlineTimeline', maxDuration: '1m' });
  assert.deepEqual(options.thresholds, { 'http_req_failed{scenario:smoke}': ['rate<0.05'], 'http_req_duration{name:verify}': ['p(99)<250'] });
  recording.respond = (method, url) => (method === 'GET' && url.endsWith('/toxics') ? { status: 200, body: '[{"name":"faultline_1_latency_downstream"},{"name":"someone_elses"}]' } : undefined);
  module.setup!();
  const setupCalls = recording.requests.map((r) => `${r.method} ${r.url} ${r.body ?? ''}`);
  assert.deepEqual(setupCalls, [
    'POST http://127.0.0.1:8474/populate [{"name":"store","listen":"127.0.0.1:26379","upstream":"127.0.0.1:16379","enabled":true}]',
    'GET http://127.0.0.1:8474/proxies/store/toxics ',
    'DELETE http://127.0.0.1:8474/proxies/store/toxics/faultline_1_latency_downstream ',
    'POST http://127.0.0.1:8474/proxies/store {"enabled":true}',
  ]);
  recording.requests.length = 0;
  recording.respond = undefined;
  module.faultlineTimeline!();
  const calls = recording.requests.map((r) => [Math.round(r.atMs / 100) * 100, `${r.method} ${r.url.replace('http://127.0.0.1:8474', '')}`, r.body]);
  assert.deepEqual(calls.slice(0, 4), [
    [10_000, 'POST /proxies/store', '{"enabled":false}'],
    [15_000, 'POST /proxies/store', '{"enabled":true}'],
    [20_000, 'POST /proxies/store/toxics', '{"name":"faultline_1_latency_downstream","type":"latency","stream":"downstream","toxicity":1,"attributes":{"jitter":10,"latency":100}}'],
    [25_000, 'DELETE /proxies/store/toxics/faultline_1_latency_downstream', null],
  ]);
  // Then it clears whatever is left, as teardown does after an abort.
  assert.deepEqual(calls.slice(4).map((c) => c[1]), ['GET /proxies/store/toxics', 'POST /proxies/store']);
  assert.ok(recording.requests.every((r) => r.params.tags?.name === 'faultline-timeline'));
});

test('--timeline-in-k6 without TOXIPROXY_URL aborts the test with a message saying so', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke', timelineInK6: true });
  const { module, recording } = await loadBundleWithRecorder(file, {});
  assert.throws(() => module.setup!());
  assert.match(recording.aborted!, /TOXIPROXY_URL is not set/);
});

test('faultline run --rate/--duration reach the bundle as FAULTLINE_RATE and FAULTLINE_DURATION_MS', async () => {
  const file = await bundleScenario(SMOKE, { outDir: await tmp(), name: 'smoke' });
  const { options } = await loadBundleWithRecorder(file, { FAULTLINE_RATE: '200', FAULTLINE_DURATION_MS: '5000' });
  assert.equal(options.scenarios.smoke.rate, 200);
  assert.equal(options.scenarios.smoke.duration, '5s');
});

test('a --duration longer than the load holds its last rate, in the bundle as in the built-in engine', async () => {
  const dir = await tmp();
  const scenario = join(dir, 'steps.ts');
  await writeFile(scenario, `import { defineScenario, down } from 'faultline';
export default defineScenario({
  name: 'steps', target: { baseUrl: 'http://127.0.0.1:8080' },
  load: { executor: 'ramping-arrival-rate', startRate: 10, stages: [{ target: 50, duration: '10s' }, { target: 20, duration: '20s' }], preAllocatedVUs: 5 },
  requests: [{ name: 'a', path: '/' }],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [{ at: '5s', proxy: 'store', fault: down() }],
});
`);
  for (const durationMs of [12_000, 60_000]) {
    const env = { FAULTLINE_DURATION_MS: String(durationMs), TOXIPROXY_URL: 'http://127.0.0.1:8474' };
    const { scenario: builtin } = await loadScenario(scenario, { durationMs, env: {} });
    const file = await bundleScenario(scenario, { outDir: dir, name: 'steps', timelineInK6: true });
    const { module, options, recording } = await loadBundleWithRecorder(file, env);
    assert.deepEqual(options.scenarios.steps.stages, builtin.load.stages.map((s) => ({ target: s.target, duration: formatDuration(s.durationMs) })));
    module.faultlineTimeline!();
    const offMs = recording.requests.find((r) => r.body === '{"enabled":true}')!.atMs;
    assert.ok(Math.abs(offMs - builtin.timeline[0]!.untilMs) < 100, `the down step ends at ${offMs} ms in k6, ${builtin.timeline[0]!.untilMs} ms built in`);
  }
});
