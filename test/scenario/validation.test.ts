import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../lib/errors.ts';
import { down, latency, resolveScenario } from '../../lib/scenario/index.ts';

const valid = () => ({
  name: 'checkout',
  target: { baseUrl: 'http://127.0.0.1:8080' },
  load: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '30s', preAllocatedVUs: 10, maxVUs: 50 },
  requests: [{ name: 'get', path: '/x' }, { name: 'post', method: 'POST', path: '/y', body: { a: 1 }, weight: 3 }],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:6379' }, { name: 'api', listen: '127.0.0.1:28080', upstream: '127.0.0.1:9000' }],
  timeline: [
    { at: '5s', for: '5s', proxy: 'store', fault: down() },
    { at: '15s', until: '20s', proxy: 'api', fault: latency({ latency: 100 }) },
  ],
  slo: { http_req_failed: 'rate<0.05', 'transition.errorRate': ['max<0.05'] },
});

type Mutate = (s: ReturnType<typeof valid> & Record<string, any>) => void;

/** Each malformed scenario, the field path its error must name, and a word of the expectation. */
const CASES: Array<[string, Mutate, string, RegExp]> = [
  ['rate of the wrong type', (s) => { (s.load as any).rate = '100'; }, 'load.rate', /rate above 0/],
  ['negative rate', (s) => { s.load.rate = -5; }, 'load.rate', /above 0/],
  ['zero rate', (s) => { s.load.rate = 0; }, 'load.rate', /above 0/],
  ['unparsable duration', (s) => { s.load.duration = '30 seconds'; }, 'load.duration', /250ms, 30s or 1m30s/],
  ['zero duration', (s) => { s.load.duration = '0s'; }, 'load.duration', /above zero/],
  ['unknown executor', (s) => { (s.load as any).executor = 'constant-vus'; }, 'load.executor', /constant-arrival-rate/],
  ['maxVUs below preAllocatedVUs', (s) => { s.load.maxVUs = 5; }, 'load.maxVUs', /preAllocatedVUs/],
  ['no requests', (s) => { s.requests = []; }, 'requests', /at least one request/],
  ['negative weight', (s) => { s.requests[0]!.weight = -1 as any; }, 'requests[0].weight', /weight above 0/],
  ['path and url both missing', (s) => { delete (s.requests[0] as any).path; }, 'requests[0].path', /exactly one of/],
  ['non-string header', (s) => { (s.requests[0] as any).headers = { 'x-n': 1 }; }, 'requests[0].headers.x-n', /strings/],
  ['unknown toxic type', (s) => { s.timeline[0]!.fault = { type: 'packet_loss', attributes: {} } as any; }, 'timeline[0].fault.type', /latency, bandwidth/],
  ['negative toxic attribute', (s) => { s.timeline[1]!.fault = latency({ latency: -10 }); }, 'timeline[1].fault.attributes.latency', />= 0/],
  ['unknown toxic attribute', (s) => { s.timeline[1]!.fault = { type: 'latency', attributes: { delay: 5 } }; }, 'timeline[1].fault.attributes.delay', /latency, jitter/],
  ['step on an undeclared proxy', (s) => { s.timeline[0]!.proxy = 'db'; }, 'timeline[0].proxy', /declared in proxies \(store, api\)/],
  ['overlapping steps of the same toxic on one proxy', (s) => { s.timeline.push({ at: '18s', for: '5s', proxy: 'api', fault: latency({ latency: 5 }) } as any); }, 'timeline[2]', /no overlap with timeline\[1\]/],
  ['step beyond the load end', (s) => { s.timeline[0]!.at = '40s'; }, 'timeline[0].at', /before the load ends \(30000ms\)/],
  ['fault lasting past the load end', (s) => { s.timeline[0]!.for = '60s'; }, 'timeline[0].for', /by the load's end/],
  ['until before at', (s) => { (s.timeline[1] as any).until = '10s'; }, 'timeline[1].until', /after the step's start/],
  ['toxicity above 1', (s) => { (s.timeline[0] as any).toxicity = 1.5; }, 'timeline[0].toxicity', /probability from 0 to 1/],
  ['bad stream', (s) => { (s.timeline[1] as any).stream = 'both'; }, 'timeline[1].stream', /"upstream" or "downstream"/],
  ['proxy listen not host:port', (s) => { s.proxies[0]!.listen = '26379'; }, 'proxies[0].listen', /host:port/],
  ['duplicate proxy names', (s) => { s.proxies[1]!.name = 'store'; }, 'proxies[1].name', /not used by another/],
  ['bad SLO threshold', (s) => { (s.slo as any).http_req_duration = 'p99 under 250'; }, 'slo.http_req_duration', /k6 threshold/],
  ['unknown SLO measure', (s) => { (s.slo as any)['transition.p99'] = 'max<5'; }, 'slo.transition.p99', /faultline measure/],
  ['base URL not http', (s) => { s.target.baseUrl = 'localhost:8080'; }, 'target.baseUrl', /http\(s\) URL/],
  ['a typo in a field name', (s) => { (s.load as any).duraton = '10s'; }, 'load.duraton', /no such field/],
  ['name with spaces', (s) => { s.name = 'my scenario'; }, 'name', /letters, digits/],
];

for (const [title, mutate, path, expected] of CASES) {
  test(`rejects: ${title}`, () => {
    const scenario = valid();
    mutate(scenario);
    assert.throws(() => resolveScenario(scenario, { env: {} }), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, String(error));
      const problem = error.problems.find((p) => p.path === path);
      assert.ok(problem, `no problem at ${path}; got ${error.problems.map((p) => p.path).join(', ')}`);
      assert.match(problem.expected, expected);
      assert.ok(error.message.includes(path));
      return true;
    });
  });
}

test('every problem is listed at once', () => {
  const s: any = valid();
  s.load.rate = 0;
  s.load.duration = 'soon';
  s.requests[0].weight = 0;
  assert.throws(() => resolveScenario(s, { env: {} }), (e: InvalidInputError) => {
    assert.deepEqual(e.problems.map((p) => p.path).sort(), ['load.duration', 'load.rate', 'requests[0].weight']);
    return true;
  });
});

test('schema problems and problems across fields are listed together (the README example)', () => {
  const s: any = valid();
  s.load.rate = 0;
  s.timeline[0].proxy = 'db';
  s.timeline.push({ at: '18s', for: '5s', proxy: 'api', fault: latency({ latency: 5 }) });
  assert.throws(() => resolveScenario(s, { env: {} }), (e: InvalidInputError) => {
    assert.deepEqual(e.problems.map((p) => p.path), ['load.rate', 'timeline[0].proxy', 'timeline[2]']);
    return true;
  });
  // A part that is itself invalid is not checked against the others (no second, confusing error).
  const t: any = valid();
  t.proxies[0].listen = 'nowhere';
  t.timeline[0].proxy = 'db';
  assert.throws(() => resolveScenario(t, { env: {} }), (e: InvalidInputError) => {
    assert.deepEqual(e.problems.map((p) => p.path), ['proxies[0].listen']);
    return true;
  });
});

test('a valid scenario resolves: durations in ms, defaults, TARGET_URL', () => {
  const { scenario, warnings } = resolveScenario(valid(), { env: { TARGET_URL: 'http://127.0.0.1:9090/' } });
  assert.deepEqual(warnings, []);
  assert.equal(scenario.baseUrl, 'http://127.0.0.1:9090');
  assert.equal(scenario.requests[1]!.url, 'http://127.0.0.1:9090/y');
  assert.equal(scenario.requests[0]!.method, 'GET');
  assert.equal(scenario.requests[0]!.timeoutMs, 60_000);
  assert.deepEqual(scenario.load.stages, [{ target: 100, durationMs: 30_000 }]);
  assert.equal(scenario.load.gracefulStopMs, 30_000);
  assert.deepEqual(scenario.timeline.map((s) => [s.atMs, s.untilMs, s.stream, s.toxicity]), [[5000, 10_000, 'downstream', 1], [15_000, 20_000, 'downstream', 1]]);
});

test('--rate and a shorter --duration override the load and clip the timeline with a warning', () => {
  const { scenario, warnings } = resolveScenario(valid(), { env: {}, rate: 50, durationMs: 12_000 });
  assert.equal(scenario.load.startRate, 50);
  assert.equal(scenario.load.durationMs, 12_000);
  assert.deepEqual(scenario.timeline.map((s) => s.index), [0]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /timeline\[1\].*dropped/);
});

test('a bad TARGET_URL is named', () => {
  assert.throws(() => resolveScenario(valid(), { env: { TARGET_URL: 'nope' } }), /TARGET_URL: got "nope"/);
});

test('--proxy-listen and --proxy-upstream move a proxy; unknown names and bad addresses are named', () => {
  const { scenario } = resolveScenario(valid(), { env: {}, proxyListen: { store: '127.0.0.1:40001' }, proxyUpstream: { api: '127.0.0.1:40002' } });
  assert.deepEqual(scenario.proxies.map((p) => [p.listen, p.upstream]), [['127.0.0.1:40001', '127.0.0.1:6379'], ['127.0.0.1:28080', '127.0.0.1:40002']]);
  assert.throws(() => resolveScenario(valid(), { env: {}, proxyListen: { db: '127.0.0.1:1' }, proxyUpstream: { store: 'nowhere' } }), (e: InvalidInputError) => {
    assert.deepEqual(e.problems.map((p) => p.path), ['--proxy-listen db', '--proxy-upstream store']);
    return true;
  });
});
