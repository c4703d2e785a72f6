import { defineScenario, down } from 'faultline';

// A dependency lost during the run and reconnected: the store is cut from 8 s to 18 s of a
// 30 s run at 300 req/s.
//
// What it checks: the client reconnects by itself and the circuit closes again. While the
// store is gone, /verify answers from the cache (tokens t-0..t-99 are all cached in the
// first second); when it returns, the next probe (at most one 500 ms cool-down later)
// closes the circuit and the service reads from the store again.
export default defineScenario({
  name: 'dependency-lost-and-reconnected',
  target: { baseUrl: 'http://127.0.0.1:8080' }, // TARGET_URL overrides
  load: {
    executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '30s',
    preAllocatedVUs: 20, maxVUs: 200,
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
  timeline: [{ at: '8s', until: '18s', proxy: 'store', fault: down() }],
  slo: {
    'transition.errorRate': 'max<0.05', // the loss and the return are both nearly invisible
    'transition.settleTime': 'max<2s',
    'recovery.time': 'max<10s',
    http_req_failed: 'rate<0.02',
    'http_req_duration{name:verify}': 'p(99)<250',
  },
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});
