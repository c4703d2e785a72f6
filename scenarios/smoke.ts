import { defineScenario, down, latency } from 'faultline';

// The canonical example: 1000 req/s for 30 s, a 9:1 mix, one dependency (`store`) behind
// the fault proxy, cut for 5 s at 10 s and slowed by 100 ms (±10 ms) at 20 s.
export default defineScenario({
  name: 'smoke',
  target: { baseUrl: 'http://127.0.0.1:8080' }, // TARGET_URL overrides
  load: {
    executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '30s',
    preAllocatedVUs: 50, maxVUs: 500,
  },
  requests: [
    {
      name: 'verify', weight: 9, method: 'POST', path: '/verify',
      headers: { 'content-type': 'application/json' },
      body: (ctx) => JSON.stringify({ token: `t-${ctx.iteration % 100}` }),
      expect: { status: [200] },
    },
    { name: 'health', weight: 1, method: 'GET', path: '/health' },
  ],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [
    { at: '10s', for: '5s', proxy: 'store', fault: down() },
    { at: '20s', for: '5s', proxy: 'store', fault: latency({ latency: 100, jitter: 10 }) },
  ],
  slo: {
    http_req_failed: 'rate<0.05',
    'http_req_duration{name:verify}': 'p(99)<250',
    'transition.errorRate': 'max<0.05',
    'recovery.time': 'max<1s',
  },
});
