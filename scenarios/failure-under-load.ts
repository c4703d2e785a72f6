import { defineScenario, latency, timeout } from 'faultline';
import { arrivalRate, demoTarget, health, storeProxy, verify, verifyNew } from './demo-system/index.ts';

// The headline scenario: failure during high load. 1000 req/s for 30 s at the demo service
// (targets/demo-service.ts): 87 verifications of the tokens users hold (t-0..t-99, all
// answered by the store and so cached before the run), 3 of tokens the service has never
// seen (a new one each time: never cached), 10 health checks. Its store (the Redis-protocol
// dependency behind the `store` proxy) gets slow, is cut off, comes back still slow, and
// recovers:
//    8 s-24 s  latency: every reply from the store 50 ms (±10 ms) late, under the service's
//              100 ms timeout, so /verify keeps answering from the store, 50 ms slower;
//   12 s-18 s  cut: a partition (a `timeout` toxic of 0: connections stay open, nothing
//              comes back), during the latency.
//
// What each transition shows, from the service's documented behaviour:
//   - on the cut, the calls in flight and those sent in the next ~100 ms wait for the 100 ms
//     timeout; the circuit opens after 5 failures, and from then /verify answers from the
//     cache at once: settled on the fallback within about 100 ms of the cut. Tokens never
//     seen have no fallback: 503 for those 3% as long as the circuit is open;
//   - when the store comes back (still slow), the circuit is open until its next probe (a
//     500 ms cool-down after the last failed one): until then the cache answers (fast) and
//     new tokens fail; the recovery ends with the first answer from the store;
//   - the latency's edges move p50 and p99 by the 50 ms, with no errors.
//
// Start the system under test first (or let `npm run demo` do it):
//   node --import tsx targets/kv-store.ts --port 16379
//   node --import tsx targets/demo-service.ts --port 8080 --store 127.0.0.1:26379
export default defineScenario({
  name: 'failure-under-load',
  target: demoTarget, // TARGET_URL overrides
  // 50 ms replies keep about 55 requests in flight. k6 runs one request at a time per VU and
  // drops iterations while it starts more VUs than it preallocated: start enough before t0.
  load: arrivalRate(1000, '30s', 500, 150),
  requests: [verify(87), verifyNew(3), health(10)],
  proxies: [storeProxy],
  timeline: [
    { at: '8s', until: '24s', proxy: 'store', fault: latency({ latency: 50, jitter: 10 }) },
    { at: '12s', until: '18s', proxy: 'store', fault: timeout({ timeout: 0 }) },
  ],
  slo: {
    // Under 5% errors in the window around each edge (1 s before to 5 s after it): only the
    // 3% of tokens with no fallback may fail during the cut.
    'transition.errorRate': 'max<0.05',
    // Settled (error rate and p99 steady) within 1 s of every edge: on the fallback after
    // the cut, back on the store after its return (one 500 ms cool-down, then a probe).
    'transition.settleTime': 'max<1s',
    'recovery.time': 'max<1s',
    // Over the whole run: under 1% failed requests; the tokens users hold never fail, and
    // their verifications stay fast throughout.
    http_req_failed: 'rate<0.01',
    'http_req_failed{name:verify}': 'rate<0.001',
    'http_req_duration{name:verify}': 'p(99)<250',
  },
  // Stop early if the service is clearly broken: over half the requests failing for 10 s
  // (a service without its fallback fails 90% of them during the 6 s cut, and is not stopped).
  guardrails: [{ measure: 'errorRate', above: 0.5, for: '10s' }],
});
