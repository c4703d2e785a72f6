import { bandwidth, defineScenario, limitData, slicer } from 'faultline';

// A resource-starved dependency, three ways, on the store's replies. 300 req/s for 32 s.
//   4 s-10 s   bandwidth 1 KB/s: about a fifth of what 270 verifications/s need, so replies
//              queue up behind each other and exceed the 100 ms timeout;
//   13 s-19 s  slicer: replies cut into ~8-byte pieces 1 ms apart, so every reply arrives in
//              fragments the client must reassemble (slower, but correct);
//   22 s-26 s  limit_data 2000 bytes: every connection is closed after 2 KB of replies,
//              so the client keeps reconnecting.
//
// What it checks: starvation ends in bounded failures answered from the cache, never in a
// hang or a wrong answer, and fragmented replies are parsed correctly.
export default defineScenario({
  name: 'resource-starved',
  target: { baseUrl: 'http://127.0.0.1:8080' }, // TARGET_URL overrides
  load: {
    executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '32s',
    preAllocatedVUs: 30, maxVUs: 300,
  },
  requests: [
    {
      name: 'verify', weight: 9, method: 'POST', path: '/verify', timeout: '2s',
      headers: { 'content-type': 'application/json' },
      body: (ctx) => JSON.stringify({ token: `t-${ctx.iteration % 100}` }),
      // Every seeded token is valid: a `false` here would be a reply matched to the wrong call.
      expect: { status: [200], check: (res) => res.body !== null && res.body.includes('"valid":true') },
    },
    { name: 'health', weight: 1, method: 'GET', path: '/health', timeout: '2s', expect: { status: [200] } },
  ],
  proxies: [{ name: 'store', listen: '127.0.0.1:26379', upstream: '127.0.0.1:16379' }],
  timeline: [
    { at: '4s', until: '10s', proxy: 'store', fault: bandwidth({ rate: 1 }) },
    { at: '13s', until: '19s', proxy: 'store', fault: slicer({ average_size: 8, size_variation: 4, delay: 1000 }) },
    { at: '22s', until: '26s', proxy: 'store', fault: limitData({ bytes: 2000 }) },
  ],
  slo: {
    http_req_failed: 'rate<0.02',
    'transition.errorRate': 'max<0.05',
    'http_req_duration{name:verify}': ['p(99)<250', 'max<1500'],
    'recovery.time': 'max<10s',
  },
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});
