import { defineScenario, down } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify } from './demo-system/index.ts';

// The headline scenario: failure during high load. 1000 req/s for 40 s at the demo service
// (targets/demo-service.ts), 9 token verifications to 1 health check, while its store (the
// Redis-protocol dependency behind the `store` proxy) is cut from 10 s to 25 s.
//
// What it checks: the service's documented fallback. Every token t-0..t-99 is cached within
// the first second, so when the store goes away /verify should answer from the cache
// (200, "source":"cache") almost at once (the circuit opens after 5 failures), and go back
// to the store within about a second (one 500 ms cool-down, then a probe) of its return.
//
// Start the system under test first (or let `npm run demo` do it):
//   node --import tsx targets/kv-store.ts --port 16379
//   node --import tsx targets/demo-service.ts --port 8080 --store 127.0.0.1:26379
export default defineScenario({
  name: 'failure-under-load',
  target: demoTarget, // TARGET_URL overrides
  load: arrivalRate(1000, '40s', 500),
  requests: [verify(9), health(1)],
  proxies: [storeProxy],
  timeline: [
    // The store is unreachable: the proxy is disabled (open connections closed, new ones refused).
    { at: '10s', until: '25s', proxy: 'store', fault: down() },
  ],
  slo: {
    // Under 5% errors in the window around each edge (1 s before to 5 s after it).
    'transition.errorRate': 'max<0.05',
    // Settled on the fallback (error rate and p99 steady) within 1 s of the cut...
    'transition.settleTime': 'max<1s',
    // ...and back to the baseline within 30 s of the store's return.
    'recovery.time': 'max<30s',
    // Over the whole run: under 1% failed requests, and verifications fast throughout.
    http_req_failed: 'rate<0.01',
    'http_req_duration{name:verify}': 'p(99)<250',
  },
  // Stop early if the service is clearly broken: over half the requests failing for 10 s.
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});
