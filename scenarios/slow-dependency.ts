import { defineScenario, latency, timeout } from 'faultline';

// A slow dependency: first 50 ms (±10 ms) of latency on the store's replies (5 s to 12 s),
// below the service's 100 ms dependency timeout; then a stalled store (16 s to 23 s): a
// `timeout` toxic of 0 holds every connection open and passes no data. 300 req/s for 30 s.
//
// What it checks: latency below the timeout slows /verify down but it keeps answering from
// the store; a stall above it is cut by the timeout (100 ms, then the circuit opens) and
// answered from the cache: no request hangs, and the service returns to the store after.
export default defineScenario({
  name: 'slow-dependency',
  target: { baseUrl: 'http://127.0.0.1:8080' }, // TARGET_URL overrides
  load: {
    executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '30s',
    preAllocatedVUs: 30, maxVUs: 300,
  },
  requests: [
    {
      name: 'verify', weight: 9, method: 'POST', path: '/verify', timeout: '2s',
      headers: { 'content-type': 'application/json' },
      body: (ctx) => JSON.stringify({ token: `t-${ctx.iteration % 100}` }),
      expect: { status: [200] },
    },
    { name: 'health', weight: 1, method: 'GET', path: '/health', timeout: '2s', expect: { status: [200] } },
  ],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [
    { at: '5s', until: '12s', proxy: 'store', fault: latency({ latency: 50, jitter: 10 }) },
    { at: '16s', until: '23s', proxy: 'store', fault: timeout({ timeout: 0 }) },
  ],
  slo: {
    http_req_failed: 'rate<0.02',
    'transition.errorRate': 'max<0.05',
    // Slower, never stuck: the worst request is bounded by the timeout (100 ms) plus overhead.
    'http_req_duration{name:verify}': ['p(99)<250', 'max<1500'],
    'recovery.time': 'max<10s',
  },
  guardrails: [{ measure: 'p99', above: 2000, for: '10s' }],
});
