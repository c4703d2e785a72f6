import { bandwidth, defineScenario, limitData, slicer } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

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
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '32s', 300),
  requests: [
    // Every seeded token is valid: a `false` here would be a reply matched to the wrong call.
    verify(9, { status: [200], check: (res) => res.body !== null && res.body.includes('"valid":true') }),
    health(1),
  ],
  proxies: [storeProxy],
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
