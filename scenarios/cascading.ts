import { defineScenario, down, latency } from 'faultline';
import { arrivalRate, demoTarget, health, profilesProxy, storeProxy, verify } from './demo-system/index.ts';

// Cascading failures: both of the demo service's dependencies fail, overlapping. The store
// is cut from 5 s to 15 s; the profile API slows to 300 ms (over the service's 200 ms
// profile timeout) from 10 s to 20 s; both are failing from 10 s to 15 s. 300 req/s for 30 s,
// 6 verifications : 3 profile reads : 1 health check.
//
// Start the profile API too:
//   node --import tsx targets/profile-api.ts --port 18080
//   node --import tsx targets/demo-service.ts --port 8080 --store 127.0.0.1:26379 --profiles 127.0.0.1:28080
//
// What it checks: failures stay contained. /profile has no fallback, so it answers 503
// while the profile API is slow, but quickly (timeout, then its own circuit); /verify keeps
// answering from its cache throughout, unaffected by the other dependency's failure; /health
// stays up; and both features recover on their own.
export default defineScenario({
  name: 'cascading',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(300, '30s', 300),
  requests: [
    verify(6),
    { name: 'profile', weight: 3, method: 'GET', path: '/profile/u-1', timeout: '2s', expect: { status: [200] } },
    health(1),
  ],
  proxies: [
    storeProxy,
    profilesProxy,
  ],
  timeline: [
    { at: '5s', until: '15s', proxy: 'store', fault: down() },
    { at: '10s', until: '20s', proxy: 'profiles', fault: latency({ latency: 300 }) },
  ],
  slo: {
    // The store's outage is absorbed by the cache, even while the profile API fails too.
    'http_req_failed{name:verify}': 'rate<0.02',
    'http_req_duration{name:verify}': 'p(99)<250',
    // Profiles fail for 10 s of 30 s (no fallback), but fail fast.
    'http_req_failed{name:profile}': 'rate<0.45',
    'http_req_duration{name:profile}': 'p(99)<500',
    'http_req_failed{name:health}': 'rate<0.001',
    'recovery.time': 'max<10s',
  },
});
